#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One fuzz check of `make test` (tests/run), for harness <name>:
#   replay  run every input of tests/fuzz/corpus/<name>/ once
#   smoke   fuzz for FUZZ_SMOKE_SECONDS (default 5) starting from that corpus
# Exits 0, or prints one line naming the reproducer and exits 1. New inputs
# and crash artifacts go under $BUILD/fuzz/, never into the tree.
# Usage: tests/fuzz/check.sh replay|smoke <name>   Environment: BUILD, LOGS.
set -u
step=$1 name=$2
BUILD=${BUILD:-build}
LOGS=${LOGS:-$BUILD/test-logs}
bin=$BUILD/fuzz/$name
corpus=tests/fuzz/corpus/$name
artifacts=$BUILD/fuzz/artifacts/$name/
log=$LOGS/fuzz-$name-$step.log
mkdir -p "$LOGS" "$artifacts"

[ -x "$bin" ] || { echo "$bin was not built"; exit 1; }
shopt -s nullglob
inputs=("$corpus"/*)
[ ${#inputs[@]} -gt 0 ] || { echo "$corpus is empty"; exit 1; }

# -timeout: an input running for 10 s is a hang, and a finding like a crash.
common=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts")
case "$step" in
    replay)
        "$bin" "${common[@]}" "${inputs[@]}" > "$log" 2>&1 ;;
    smoke)
        work=$BUILD/fuzz/smoke/$name
        rm -rf "$work" && mkdir -p "$work"
        "$bin" "${common[@]}" -max_total_time="${FUZZ_SMOKE_SECONDS:-5}" "$work" "$corpus" \
            > "$log" 2>&1 ;;
    *)
        echo "unknown step $step"; exit 1 ;;
esac
rc=$?

# What went wrong, in one line: the sanitizer's or the harness's own words.
why=$(grep -m1 -E '^==[0-9]+==ERROR|invariant violated|^SUMMARY|runtime error|ALARM|out-of-memory' \
      "$log" | sed 's/^==[0-9]*==//')
if [ "$step" = replay ]; then
    ran=$(grep -c '^Executed ' "$log")
    if [ $rc -eq 0 ] && [ "$ran" -eq ${#inputs[@]} ]; then exit 0; fi
    # libFuzzer names each input as it starts it: the last one is the culprit.
    culprit=$(grep '^Running: ' "$log" | tail -n 1 | cut -d' ' -f2-)
    echo "reproduce: $bin $culprit; ${why:-exit $rc, $ran of ${#inputs[@]} inputs ran}; log $log"
    exit 1
fi
[ $rc -eq 0 ] && exit 0
culprit=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
echo "reproduce: $bin ${culprit:-(no artifact)}; ${why:-exit $rc}; log $log"
exit 1
