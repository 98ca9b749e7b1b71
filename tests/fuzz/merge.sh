#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Re-minimizes the corpus <corpus-dir> of harness <name> together with the
# inputs in <dir>... (libFuzzer's -merge=1, smallest inputs first). The
# corpus's real-* (real images and instructions) and regress-* (reproducers
# of fixed bugs) inputs always stay; of everything else only what adds edge
# coverage (-use_counters=0: hit counts would keep hundreds of near-copies).
# A kept input keeps its name (real-, unit-, seed-, regress-<origin>);
# libFuzzer's own finds are named by their SHA-1. The corpus is replaced
# only when the merge succeeds.
# Usage: tests/fuzz/merge.sh <name> <corpus-dir> [<dir>...]   Environment: BUILD.
set -eu
BUILD=${BUILD:-build}
name=$1 corpus=$2
shift 2
bin=$BUILD/fuzz/$name
merged=$BUILD/fuzz/merge/$name
names=$BUILD/fuzz/merge/$name.names
log=$BUILD/fuzz/merge/$name.log
artifacts=$BUILD/fuzz/artifacts/$name/
mkdir -p "$corpus" "$artifacts"
rm -rf "$merged" && mkdir -p "$merged"

shopt -s nullglob
: > "$names"
for f in "$corpus"/*; do
    case $(basename "$f") in
        real-*|regress-*) cp "$f" "$merged/" ;;
    esac
done
for dir in "$corpus" "$@"; do
    for f in "$dir"/*; do
        echo "$(sha1sum < "$f" | cut -d' ' -f1) $(basename "$f")" >> "$names"
    done
done

"$bin" -merge=1 -use_counters=0 -timeout=10 -artifact_prefix="$artifacts" \
    "$merged" "$corpus" "$@" > "$log" 2>&1 ||
    { echo "merge: $name failed, corpus left as it was (see $log)"; exit 1; }

# Back to the name an input came with, unless that was only its hash.
while read -r hash origin; do
    if [ -f "$merged/$hash" ] && [ "$origin" != "$hash" ]; then
        mv "$merged/$hash" "$merged/$origin"
    fi
done < "$names"

before=$(find "$corpus" -type f | wc -l)
rm -f "$corpus"/*
cp "$merged"/* "$corpus/"
echo "merge: $name: $before -> $(find "$corpus" -type f | wc -l) inputs," \
     "$(cat "$corpus"/* | wc -c) bytes"
