#!/bin/sh
# Writes the binary seeds of a corpus folder kept as hex text (FILE.hex ->
# DEST/FILE, e.g. tests/fuzz/corpus/macho) so the repository holds no binary
# file.  Usage: hex-seeds.sh SRC_DIR DEST_DIR
set -eu
src=$1
dest=$2
mkdir -p "$dest"
for f in "$src"/*.hex; do
    name=$(basename "$f" .hex)
    xxd -r -p "$f" > "$dest/$name"
done
