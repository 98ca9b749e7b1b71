#!/bin/sh
# SPDX-License-Identifier: MIT
# Every C source and header of the tree in the one style of .clang-format
# (clang-format 14, from Debian): prints the files that differ and how to
# fix them. The tracked files when this is a git checkout, else all of them
# outside build/.
set -u
CF=${CLANG_FORMAT:-clang-format-14}
command -v "$CF" >/dev/null || { echo "format: $CF missing (make deps installs it)"; exit 1; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    files=$(git ls-files '*.c' '*.h')
else
    files=$(find . -path ./build -prune -o \( -name '*.c' -o -name '*.h' \) -print)
fi
bad=""
for f in $files; do
    [ -f "$f" ] || continue
    "$CF" --style=file --dry-run --Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
    echo "format: not in .clang-format's style (fix: $CF -i <file>):"
    for f in $bad; do echo "    $f"; done
    exit 1
fi
