#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make fuzz`: each harness named on the command line for FUZZ_SECONDS from
# tests/fuzz/corpus/<name>/, one after the other, then that corpus is
# re-minimized with what the run found (tests/fuzz/merge.sh). A crash stops that
# harness only; its artifact is under $BUILD/fuzz/artifacts/<name>/ and the
# script exits 1 at the end. Environment: BUILD, FUZZ_SECONDS (600).
set -u
BUILD=${BUILD:-build}
seconds=${FUZZ_SECONDS:-600}
failed=0

for name in "$@"; do
    bin=$BUILD/fuzz/$name
    corpus=tests/fuzz/corpus/$name
    work=$BUILD/fuzz/work/$name
    artifacts=$BUILD/fuzz/artifacts/$name/
    log=$BUILD/fuzz/$name.log
    # A previous run's finds are in the corpus by now, or added nothing.
    rm -rf "$work" && mkdir -p "$corpus" "$work" "$artifacts"

    echo "FUZZ    $name for ${seconds}s (log: $log)"
    # New inputs go to the first directory, $work; the corpus is only read.
    if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$artifacts" -print_final_stats=1 "$work" "$corpus" > "$log" 2>&1; then
        failed=1
        echo "FUZZ    $name: finding: $(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)"
        grep -m1 -E '^==[0-9]+==ERROR|invariant violated|runtime error|ALARM' "$log" || true
    fi

    BUILD=$BUILD bash tests/fuzz/merge.sh "$name" "$corpus" "$work" || failed=1
done
exit $failed
