#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Seeds tests/fuzz/corpus/ from real inputs (`make fuzz-seeds`, after
# `make` and the conformance guests), keeping only what adds coverage
# (tests/fuzz/merge.sh), so the corpus stays small. Names say where an
# input came from: real-* (always kept afterwards), unit-*, seed-*.
#   elf_image      real-: build/lithos.elf and build/conformance/*.elf,
#                  stripped (symbols go, section headers stay: the loader
#                  reads them when no PT_NOTE has Xen notes); unit-: the
#                  images the elf and note_sources suites build
#   x86_decode     real-store.*: every MOV/XCHG/CMPXCHG store in build/xenolith
#                  and build/lithos.elf; unit-: the x86_decode suite's encodings
#   module_config  unit-: the module suite's strings; seed-: the README's examples
#   xenbus_state   seed-: every state, the nodes a frontend writes, and garbage
# Environment: BUILD (default build).
set -eu
BUILD=${BUILD:-build}
seeds=$BUILD/fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds/unit" "$seeds/elf_image" "$seeds/x86_decode" "$seeds/module_config" \
         "$seeds/xenbus_state"

# The unit suites hand these to the parsers; unit_dump_input() saves them.
UNIT_DUMP_DIR=$seeds/unit "$BUILD/unit-tests" > /dev/null
for f in "$seeds"/unit/elf.* "$seeds"/unit/note_sources.*; do
    cp "$f" "$seeds/elf_image/unit-$(basename "$f")"
done
for f in "$seeds"/unit/x86_decode.*; do cp "$f" "$seeds/x86_decode/unit-$(basename "$f")"; done
for f in "$seeds"/unit/module.*; do cp "$f" "$seeds/module_config/unit-$(basename "$f")"; done

for elf in "$BUILD/lithos.elf" "$BUILD"/conformance/*.elf; do
    strip -o "$seeds/elf_image/real-$(basename "$elf")" "$elf"
done

# objdump's AT&T text: a store is a mov/xchg/cmpxchg whose last operand is
# a memory reference. Each encoding becomes one file.
n=0
objdump -d --insn-width=15 "$BUILD/xenolith" "$BUILD/lithos.elf" |
    awk -F'\t' 'NF >= 3 && $3 ~ /^(lock )?(mov|xchg|cmpxchg)[a-z0-9]* / && $3 ~ /,[^,]*\(/ {
                    gsub(/ /, "", $2); print $2 }' | sort -u |
    while read -r hex; do
        n=$((n + 1))
        printf '%b' "$(printf '%s' "$hex" | sed 's/../\\x&/g')" > "$seeds/x86_decode/real-store.$n"
    done

i=0
for s in "lithos.elf name=a mem=32M consoles=2 -- shell" "lithos.elf name=b mem=32M -- shell" \
         "name=big mem=128M" "-- console=xen" "x mem=4096K consoles=4 name=Z.9_- -- a -- b" \
         "x mem=68719476736 --"; do
    i=$((i + 1))
    printf '%s' "$s" > "$seeds/module_config/seed-readme.$i"
done

# Byte 0 the backend's state, byte 1 the frontend's, then a node's text.
i=0
for s in 0 1 2 3 4 5 6 7 8 9 04 -1 +4 " 4" "4 " 0x4 "" 4294967295 4294967296 \
         18446744073709551615 18446744073709551616; do
    for pair in '\002\003' '\002\004' '\004\005' '\006\001' '\005\006' '\377\011'; do
        i=$((i + 1))
        printf "$pair%s" "$s" > "$seeds/xenbus_state/seed-state.$i"
    done
done

# The seeds that add coverage among themselves join the corpus under their
# origin's name; then the whole corpus is re-minimized (real-* stay).
for name in elf_image x86_decode module_config xenbus_state; do
    BUILD=$BUILD bash tests/fuzz/merge.sh "$name" "$seeds/selected/$name" "$seeds/$name"
    cp "$seeds/selected/$name"/* "tests/fuzz/corpus/$name/"
    BUILD=$BUILD bash tests/fuzz/merge.sh "$name" "tests/fuzz/corpus/$name"
done
