#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The same Lithos user programs print the same lines natively, on Xenolith
# and on Xen 4.17. Reuses the logs of lithos-native.sh, xenolith-lithos.sh
# and lithos-xen.sh when they are newer than the images, else runs those
# scripts (with all their checks) again.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

# environment | the scenario that produces its log | images the log must be newer than
RUNS=(
    "native|lithos-native|$BUILD/lithos.elf"
    "Xenolith|xenolith-lithos|$BUILD/lithos.elf $BUILD/xenolith"
    "Xen 4.17|lithos-xen|$BUILD/lithos.elf"
)
# What user/hello.c and user/fault.c print, after the "(dN) " prefix that
# Xenolith puts on a guest's console lines is removed.
USER_LINES='^(hello from user .*|user[ :].*|faulting user program: .*)$'

# <log> <images...>: the log exists, is newer than every image, and its
# run got as far as the end of the self-check.
fresh() {
    local log=$1 img
    shift
    [ -f "$log" ] || return 1
    for img in "$@"; do [ "$log" -nt "$img" ] || return 1; done
    tr -d '\r' < "$log" | grep -qE '^(\(d[0-9]+\) )?Lithos: self-check passed$'
}

user_lines() { # <log>
    tr -d '\r' < "$1" | sed 's/^(d[0-9]*) //' | grep -E "$USER_LINES"
}

ref=
ref_env=
for run in "${RUNS[@]}"; do
    IFS='|' read -r env script images <<< "$run"
    log=$LOGS/$script.log
    # shellcheck disable=SC2086 # images is a word list
    if ! fresh "$log" $images; then
        out=$(BUILD=$BUILD LOGS=$LOGS bash "tests/boot/$script.sh" 2>&1) ||
            fail "$env: tests/boot/$script.sh failed: $(echo "$out" | tail -n 1)"
    fi
    lines=$(user_lines "$log")
    [ -n "$lines" ] || fail "$env: expected user program lines in $log, got none"
    if [ -z "$ref_env" ]; then
        ref=$lines
        ref_env=$env
        echo "user program output ($env, $(echo "$lines" | wc -l) lines):"
        echo "$lines" | sed 's/^/    /'
    elif [ "$lines" != "$ref" ]; then
        echo "$env differs from $ref_env (- $ref_env, + $env):"
        diff <(echo "$ref") <(echo "$lines") | sed 's/^/    /'
        fail "user program output: expected $env's lines to equal $ref_env's, see $log"
    else
        echo "$env: identical"
    fi
done
