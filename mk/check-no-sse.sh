#!/bin/sh
# SPDX-License-Identifier: MIT
# Fails if a linked kernel image contains SSE/AVX/MMX code. Neither kernel
# saves FPU state, so one such instruction (say, from a newlib object that
# was built with SSE for its doubles) would corrupt another context.
# Usage: mk/check-no-sse.sh <elf>
set -eu
elf=$1
hits=$(objdump -d --no-show-raw-insn "$elf" | grep -E '%[xy]mm[0-9]|%zmm[0-9]|%mm[0-9]' || true)
if [ -n "$hits" ]; then
    echo "check-no-sse: $elf contains SSE/AVX/MMX instructions:" >&2
    echo "$hits" | head -n 20 >&2
    # Name the functions, so the culprit is obvious.
    objdump -d --no-show-raw-insn "$elf" | awk '
        /^[0-9a-f]+ <.*>:$/ { fn = $2 }
        /%[xy]mm[0-9]|%zmm[0-9]|%mm[0-9]/ { if (!(fn in seen)) { seen[fn] = 1; print "  in " fn } }' >&2
    exit 1
fi
