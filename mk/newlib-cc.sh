#!/bin/sh
# SPDX-License-Identifier: MIT
# CC_FOR_TARGET for the newlib build: host gcc with the kernel flags (passed
# as arguments by mk/newlib.mk). A file that cannot compile without SSE
# (x86-64 passes doubles in %xmm) is retried with SSE allowed and logged, so
# the library builds whole; mk/check-no-sse.sh keeps such code out of kernels.
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
if gcc "$@" 2>"$tmp"; then
    cat "$tmp" >&2
    exit 0
fi
if ! grep -q 'SSE' "$tmp"; then
    cat "$tmp" >&2
    exit 1
fi
# Rebuild the argument list without the flags that forbid SSE.
first=1
for a in "$@"; do
    [ $first -eq 1 ] && { set --; first=0; }
    case "$a" in
        -mno-sse|-mno-sse2|-mno-mmx) ;;
        *) set -- "$@" "$a" ;;
    esac
done
if [ -n "${NEWLIB_SSE_LOG:-}" ]; then
    for a in "$@"; do
        case "$a" in *.c|*.S) echo "$a" >> "$NEWLIB_SSE_LOG" ;; esac
    done
fi
exec gcc "$@"
