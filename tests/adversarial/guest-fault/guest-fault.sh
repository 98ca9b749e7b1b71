#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An adversarial guest (d0) takes an exception in its kernel mode, once per
# fault kind; Xenolith must crash it alone, log the exception at the rip the
# guest announced, run the victim (d1, Lithos) to completion, and exit 39
# (isa-debug-exit 0x10 + SHUTDOWN_crash: the worst reason wins).
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

GUEST=$BUILD/adversarial/guest-fault.elf
[ -f "$GUEST" ] || fail "$GUEST was not built (make conformance)"
[ -f "$BUILD/lithos.elf" ] || fail "$BUILD/lithos.elf was not built"

# fault kind | what traps.c must print after "unhandled exception ".
# The error code is printed with %#x, which renders zero as a bare "0".
KINDS=(
    "ud|6 \(#UD invalid opcode\) at rip RIP, error code 0(x0)?"
    "gp|13 \(#GP general protection\) at rip RIP, error code 0(x0)?"
    "pf|14 \(#PF page fault\) at rip RIP, error code 0x6, cr2 0x1000"
    "de|0 \(#DE divide error\) at rip RIP, error code 0(x0)?"
    "ptwr|14 \(#PF page fault\) at rip RIP, error code 0x7, cr2 CR2"
    "ldt|14 \(#PF page fault\) at rip RIP, error code 0x4, cr2 CR2"
)

check_kind() { # <kind> <regex with RIP>
    local rip
    qemu_boot "guest-fault-$1" 60 -m 256 -kernel "$BUILD/xenolith" \
        -initrd "$GUEST name=faulty -- fault=$1,$BUILD/lithos.elf name=victim"
    # The guest prints the faulting instruction's address before faulting.
    rip=$(log_lines | sed -n 's/^(d0) guest-fault: raising .* at rip \(0x[0-9a-f]*\)$/\1/p')
    [ -n "$rip" ] || fail "fault=$1: the guest never announced its fault, see $LOG"
    # The ptwr kind also announces the entry it writes: the fault address.
    cr2=$(log_lines | sed -n 's/^(d0) guest-fault: \(ptwr entry\|ldt area\) at \(0x[0-9a-f]*\)$/\2/p')
    local want=${2/RIP/$rip}
    expect_match "\(xenolith\) error: d0: crashed: unhandled exception ${want/CR2/$cr2}"
    reject_line "^\(d0\) Test result:"
    expect_line "(d1) Lithos: self-check passed"
    expect_exit 39
}

bad=0
for entry in "${KINDS[@]}"; do
    kind=${entry%%|*}
    if out=$(check_kind "$kind" "${entry#*|}" 2>&1); then
        echo "guest-fault fault=$kind: PASS"
    else
        echo "guest-fault fault=$kind: $out"
        bad=$((bad + 1))
    fi
done
[ "$bad" -eq 0 ] || fail "$bad of ${#KINDS[@]} fault kinds misbehaved"
