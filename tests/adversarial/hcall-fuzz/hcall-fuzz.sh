#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The hypercall fuzzer (tests/adversarial/hcall-fuzz/, issue 9): a seeded
# stream of random hypercalls with hostile arguments.
#
# On Xenolith it runs beside mm-victim in watch mode, which checks its
# memory at every 10 ms timer wakeup until the fuzzer is gone. PASS needs
# the fuzzer's "done" line and SUCCESS (its own code and read-only data
# intact), the victim's memory intact with no gap over a second between
# wakeups, a clean page audit at the fuzzer's teardown (a dirty one is a
# hypervisor panic), and no panic or fault.
#
# On Xen 4.17 the same seed runs alone as dom0. PASS needs Xen to survive
# it: the fuzzer's "done" line, or (with ALLOW_SELF_END=1, as make
# fuzz-hypercalls runs it) the guest's own crash reported by Xen. On
# Xenolith too the fuzzer may crash itself then, the other checks holding.
# Both domains are configured alike, so that no answer differs by
# configuration: 64 MiB that cannot grow (Xen's dom0 may otherwise grow
# without bound, and what it gets depends on its background scrubbing),
# and grant tables of version 1 only (docs/abi.md, grant_table_op).
#
# The first COMPARE calls avoid everything docs/abi.md records as a
# deviation, and the fuzzer prints one checksum per 1000 of them (each
# call's number, result and what it wrote back). Xenolith's checksums must
# equal Xen's; a differing block is listed with the trace option that
# shows it call by call. The answers of the rest of the stream are printed
# side by side as histograms, for reading, not compared.
#
# Environment: SEED (default 1), CALLS (default 100000), XEN_CALLS (default
# CALLS), COMPARE (20000), TAG (the logs' name, default hcall-fuzz),
# ALLOW_SELF_END (default 0).
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh

FUZZER=$BUILD/adversarial/hcall-fuzz.elf
VICTIM=$BUILD/adversarial/mm-victim.elf
SEED=${SEED:-1}
CALLS=${CALLS:-100000}
XEN_CALLS=${XEN_CALLS:-$CALLS}
COMPARE=${COMPARE:-20000}
# Under TCG both manage some 10^6 calls a minute; a tenth of that is the limit.
XEN_LIMIT=${XEN_LIMIT:-$((120 + XEN_CALLS / 1000))}
XENOLITH_LIMIT=${XENOLITH_LIMIT:-$((120 + CALLS / 1000))}
TAG=${TAG:-hcall-fuzz}
ALLOW_SELF_END=${ALLOW_SELF_END:-0}

for f in "$FUZZER" "$VICTIM" "$BUILD/xenolith"; do
    [ -f "$f" ] || fail "$f was not built (make conformance)"
done
xen_image

done_line() { # <line prefix> <calls>
    expect_match "$1hcfuzz: done: $2 calls, seed $SEED, checksum [0-9a-f]{16}, compared $COMPARE, checksum [0-9a-f]{16}"
}

# The fuzzer crashed itself before its last call: allowed only with
# ALLOW_SELF_END=1 (make fuzz-hypercalls), so that a run of make test's
# seed that stops short is a failure.
self_end() { # <hypervisor> <line prefix>
    local last
    last=$(log_lines | sed -n "s/^$2hcfuzz: \([0-9]*\) calls, checksum.*/\1/p" | tail -1)
    [ "$ALLOW_SELF_END" = 1 ] ||
        fail "$1: the fuzzer crashed itself after ${last:-0} calls (ALLOW_SELF_END=1 allows it)"
    echo "    $1: the fuzzer crashed itself after ${last:-0} calls"
}

on_xen() {
    qemu_boot "$TAG-xen" "$XEN_LIMIT" \
        --stop-match '\(XEN\) Hardware Dom0 (crashed|halted).*' \
        -m 1024 -kernel "$XEN" \
        -append "console=com1 com1=115200,8n1 dom0_mem=64M,max:64M gnttab=max-ver:1" \
        -initrd "$FUZZER seed=$SEED calls=$XEN_CALLS compare=$COMPARE"
    reject_line '\(XEN\) .*(Panic on CPU|FATAL|Assertion).*'
    if log_lines | grep -qE '^\(XEN\) (Hardware Dom0 crashed|Domain 0 \(vcpu#0\) crashed)'; then
        # The fuzzer crashed itself; Xen lived to say so.
        self_end "Xen 4.17" ''
        expect_match '\(XEN\) Hardware Dom0 (crashed|halted).*'
        return 0
    fi
    done_line '' "$XEN_CALLS"
    expect_line "Test result: SUCCESS"
    expect_match '\(XEN\) Hardware Dom0 halted.*'
}

on_xenolith() {
    qemu_boot "$TAG-xenolith" "$XENOLITH_LIMIT" -m 256 -kernel "$BUILD/xenolith" \
        -initrd "$FUZZER name=fuzz mem=64M -- seed=$SEED calls=$CALLS compare=$COMPARE,$VICTIM name=victim -- watch=0"
    reject_line 'PANIC|FATAL'
    expect_match '\(d1\) mm-victim: memory intact \([0-9]+ page checks, [0-9]+ wakeups\)'
    expect_match '\(d1\) mm-victim: d0 gone after [0-9]+ timer wakeups, longest gap [0-9]+ ms'
    expect_line "(d1) Test result: SUCCESS"
    expect_line "(xenolith) all domains have ended"
    if log_lines | grep -qE '^\(xenolith\) error: d0: crashed'; then
        self_end Xenolith '(d0) '
        # A crash, or a poweroff when the fuzzer had latched that code
        # with SCHEDOP_shutdown_code, as Xen reports it too.
        [ "$QEMU_RC" -eq 39 ] || [ "$QEMU_RC" -eq 33 ] ||
            fail "expected QEMU exit status 39 or 33, got $QEMU_RC, see $LOG"
        return 0
    fi
    done_line '\(d0\) ' "$CALLS"
    expect_line "(d0) Test result: SUCCESS"
    expect_exit 33
}

blocks() { # <log> <line prefix>
    tr -d '\r' < "$1" 2>/dev/null | sed -n "s/^$2hcfuzz: block //p"
}

hist() { # <log> <line prefix>
    tr -d '\r' < "$1" 2>/dev/null | sed -n "s/^$2hcfuzz: hist //p"
}

compare() {
    local xn=$LOGS/$TAG-xen.log xl=$LOGS/$TAG-xenolith.log n diff=$LOGS/$TAG.blocks.diff
    local want=$(((COMPARE + 999) / 1000))
    n=$(blocks "$xn" '' | wc -l)
    [ "$n" -eq "$want" ] || fail "Xen 4.17 printed $n of the $want block checksums (see $xn)"
    if ! diff <(blocks "$xn" '') <(blocks "$xl" '(d0) ') > "$diff"; then
        echo "    blocks of 1000 calls answered differently (Xen 4.17 <, Xenolith >):"
        sed 's/^/    /' "$diff" | head -20
        echo "    to see one call by call: trace=<block*1000> on both hypervisors' command lines"
        fail "Xenolith's answers differ from Xen 4.17's in the compared prefix (see $diff)"
    fi
    echo "    the first $COMPARE calls: all $n block checksums equal Xen 4.17's"
}

histograms() {
    diff -y -W 160 --suppress-common-lines \
        <(hist "$LOGS/$TAG-xen.log" '') <(hist "$LOGS/$TAG-xenolith.log" '(d0) ') |
        head -60 | sed 's/^/    /'
}

bad=0
pids=()
# Both at once: they are independent until the comparison.
for hv in xen xenolith; do
    ( start=$SECONDS
      if out=$("on_$hv" 2>&1); then
          echo "$TAG $hv: PASS ($((SECONDS - start))s)"
      else
          echo "$TAG $hv: FAIL ($((SECONDS - start))s)"
      fi
      [ -n "$out" ] && echo "$out" | sed 's/^    //; s/^/    /'
    ) > "$LOGS/$TAG-$hv.result" &
    pids+=($!)
done
wait "${pids[@]}"
for hv in xen xenolith; do
    cat "$LOGS/$TAG-$hv.result"
    grep -q "^$TAG $hv: PASS" "$LOGS/$TAG-$hv.result" || bad=$((bad + 1))
done
start=$SECONDS
if out=$(compare 2>&1); then
    echo "$TAG compare: PASS ($((SECONDS - start))s)"
else
    echo "$TAG compare: FAIL ($((SECONDS - start))s)"
    bad=$((bad + 1))
fi
echo "$out"
echo "    answers per hypercall where they differ (Xen 4.17 | Xenolith):"
histograms
[ "$bad" -eq 0 ] || fail "hcall-fuzz failed $bad of 3 checks"
