#!/bin/sh
# check_exports.sh — libkubesim.so exports exactly the functions kubesim.h declares, and the
# library's version number matches the header's.
#
# Environment: LIBDIR (directory of libkubesim.so), TEST_API (the built test_api),
# KS_HEADER (the header); each defaults to its place in the source tree.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
header=${KS_HEADER:-$root/Include/kubesim.h}
so=${LIBDIR:-$root/.build/release}/libkubesim.so
test_api=${TEST_API:-$here/build/test_api}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Declarations start at the left margin with a return type; comments and macros do not.
sed -n 's/^[A-Za-z_][A-Za-z0-9_ ]*[ *]\(ks_[A-Za-z0-9_]*\)[ ]*(.*/\1/p' "$header" | sort -u > "$tmp/declared"
nm -D --defined-only "$so" | awk 'NF >= 3 && $3 ~ /^ks_/ { print $3 }' | sed 's/@.*//' | sort -u > "$tmp/exported"

status=0
if [ ! -s "$tmp/declared" ]; then
    echo "FAIL check_exports: found no declarations in $header"
    exit 1
fi
missing=$(comm -23 "$tmp/declared" "$tmp/exported")
extra=$(comm -13 "$tmp/declared" "$tmp/exported")
if [ -n "$missing" ]; then
    echo "FAIL check_exports: declared in kubesim.h but not exported by $so:"
    echo "$missing" | sed 's/^/    /'
    status=1
fi
if [ -n "$extra" ]; then
    echo "FAIL check_exports: exported by $so but not declared in kubesim.h:"
    echo "$extra" | sed 's/^/    /'
    status=1
fi
if [ $status -eq 0 ]; then
    echo "ok   exports: $(wc -l < "$tmp/declared" | tr -d ' ') functions, declared = exported"
fi

if "$test_api" --version-check > "$tmp/version" 2>&1; then
    echo "ok   $(cat "$tmp/version")"
else
    echo "FAIL check_exports: $(cat "$tmp/version")"
    status=1
fi
exit $status
