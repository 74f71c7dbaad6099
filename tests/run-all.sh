#!/bin/sh
# The whole test suite, as CI runs it: a warning-free (-Werror) build and its
# tests with the default compiler, the same with clang (the compiler of
# macOS; skipped, saying so, without clang) in the default build type
# (Release), then the suite built with AddressSanitizer and
# UndefinedBehaviorSanitizer, then a short run of the libFuzzer harnesses
# (skipped, saying so, without clang).  Run from anywhere; builds in
# build-ci/, build-clang/, build-asan/ and build-fuzz/ at the top of the
# source tree.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build with -Werror and run the tests"
cmake -S . -B build-ci -DKEXTCHECK_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build-ci -j"$jobs"
ctest --test-dir build-ci --output-on-failure -j"$jobs"

echo "== build with clang and -Werror (default build type) and run the tests"
if command -v clang >/dev/null 2>&1; then
    cmake -S . -B build-clang -DCMAKE_C_COMPILER=clang -DKEXTCHECK_WERROR=ON
    cmake --build build-clang -j"$jobs"
    ctest --test-dir build-clang --output-on-failure -j"$jobs"
else
    echo "== clang build skipped: clang not found"
fi

echo "== build with ASan+UBSan and run the tests"
cmake -S . -B build-asan -DKEXTCHECK_WERROR=ON -DKEXTCHECK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build build-asan -j"$jobs"
# A sanitizer report exits 99, which no test expects from kextcheck.
ASAN_OPTIONS=detect_leaks=1:exitcode=99 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"

# A short fuzz run: every libFuzzer harness for 10 s (tests/fuzz/run.sh,
# in build-fuzz/), when clang and its libFuzzer runtime are installed.
echo "== short fuzz run (tests/fuzz/run.sh 10)"
fuzz_rc=0
sh tests/fuzz/run.sh 10 || fuzz_rc=$?
if [ "$fuzz_rc" -eq 77 ]; then
    echo "== fuzz run skipped (see the reason above)"
elif [ "$fuzz_rc" -ne 0 ]; then
    exit "$fuzz_rc"
fi
