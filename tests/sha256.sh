# Sourced by the shell tests that check files stayed byte-identical:
# kc_sha256 is the command that prints each file's SHA-256, sha256sum (GNU
# coreutils) or `shasum -a 256` (macOS), else POSIX cksum (a CRC, said so).
# Use it unquoted: find . -type f -exec $kc_sha256 {} +
if command -v sha256sum >/dev/null 2>&1; then
    kc_sha256=sha256sum
elif command -v shasum >/dev/null 2>&1; then
    kc_sha256="shasum -a 256"
else
    kc_sha256=cksum
    echo "SKIP: neither sha256sum nor shasum found: files are compared with cksum (CRC) instead"
fi
