#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every conformance test (tests/conformance/<t>/test.info) in each of the
# environments its test.info names, Xenolith and Xen 4.17 (as dom0): one
# "<test> <hypervisor>: <verdict> (<seconds>s)" line per pair, then
# sub-check failures. Non-zero if any pair is not
# SUCCESS. Xen's answers are the reference the tests assert.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

XEN_POWEROFF="(XEN) Hardware Dom0 halted: halting machine"
# No "noreboot", unlike lithos-xen.sh: a crashed dom0 or a Xen panic then
# reboots, which -no-reboot turns into a QEMU exit, instead of a halt that
# only the timeout would end. A clean poweroff still halts (--stop-on).
# gnttab=max-ver:1: Xenolith implements grant tables v1 only (docs/abi.md),
# so the reference runs configured the same way.
XEN_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=64M gnttab=max-ver:1"

# Set by run_one: the verdict word, or why there is none.
VERDICT=

# The word after "Test result: " on lines starting with prefix $1; more
# or fewer than one such line makes the run a crash.
result_of() {
    local words
    words=$(log_lines | sed -n "s/^$1Test result: \([A-Z]*\)$/\1/p")
    case "$(echo "$words" | grep -c .)" in
        1) echo "$words" ;;
        0) echo "CRASH (no result line)" ;;
        *) echo "CRASH (several result lines)" ;;
    esac
}

on_xenolith() { # <test> <log name>
    qemu_boot "$2" 60 -m 256 -kernel "$BUILD/xenolith" \
        -initrd "$BUILD/conformance/$1.elf name=$1"
    VERDICT=$(result_of '(d0) ')
    # isa-debug-exit: (0x10 + SHUTDOWN_poweroff) << 1 | 1.
    [ "$QEMU_RC" -eq 33 ] || VERDICT="$VERDICT, QEMU exit $QEMU_RC (expected 33)"
}

on_xen() { # <test> <log name>
    qemu_boot "$2" 180 --stop-on "$XEN_POWEROFF" -m 1024 -kernel "$XEN" \
        -append "$XEN_CMDLINE" -initrd "$BUILD/conformance/$1.elf"
    VERDICT=$(result_of '')
}

# run_one <test> <label> <function>: the verdict line, then the failed
# sub-checks. qemu_boot's fail() on a timeout ends only the subshell.
run_one() {
    local start=$SECONDS log=$LOGS/conformance-$1-$2.log out verdict
    if out=$( "$3" "$1" "conformance-$1-$2" && echo "$VERDICT" ); then
        verdict=$(echo "$out" | tail -n 1)
    else
        verdict="CRASH ($(echo "$out" | tail -n 1))"
    fi
    echo "$1 $2: $verdict ($((SECONDS - start))s)"
    if [ "$verdict" != SUCCESS ]; then
        [ -f "$log" ] && tr -d '\r' < "$log" | grep -E ': expected ' | sed 's/^/    /'
        echo "    log: $log"
        return 1
    fi
}

xen_image
[ -f "$BUILD/xenolith" ] || fail "$BUILD/xenolith was not built"

infos=$(ls tests/conformance/*/test.info 2>/dev/null)
[ -n "$infos" ] || fail "no conformance tests (tests/conformance/*/test.info)"

# info_field <test.info> <field>
info_field() {
    sed -n "s/^$2: //p" "$1"
}

bad=0
for info in $infos; do
    t=$(info_field "$info" name)
    [ -f "$BUILD/conformance/$t.elf" ] || fail "$BUILD/conformance/$t.elf was not built (make conformance)"
    for env in $(info_field "$info" environments); do
        case $env in
            xenolith) run_one "$t" xenolith on_xenolith || bad=$((bad + 1)) ;;
            xen-4.17) run_one "$t" xen-4.17 on_xen || bad=$((bad + 1)) ;;
            *) echo "$t $env: ERROR (unknown environment in $info)"; bad=$((bad + 1)) ;;
        esac
    done
done
[ "$bad" -eq 0 ] || fail "$bad (test, hypervisor) pairs did not succeed"
