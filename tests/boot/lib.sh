# SPDX-License-Identifier: MIT
# Helpers for QEMU boot scenarios. A scenario sources this file, calls
# qemu_boot, then checks the serial log with expect_line/reject_line and
# expect_exit. Any failed check exits non-zero with a one-line reason.

BUILD=${BUILD:-build}
LOGS=${LOGS:-$BUILD/test-logs}
mkdir -p "$LOGS"

# -smap: QEMU 7.2 TCG iret bug (ARCHITECTURE.md §1). TCG always, never KVM,
# so results do not depend on the host.
QEMU_COMMON=(-accel tcg -cpu max,-smap -nographic -no-reboot -display none
             -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04)

fail() { echo "FAIL: $*"; exit 1; }

# A scenario run on both hypervisors: calls the scenario's on_xen and then
# its on_xenolith, printing "<name> <hv>: PASS|FAIL (<s>s)" for each with its
# output indented below a failure (below a pass too with --show). Returns
# how many failed.
on_both_hypervisors() { # <name> [--show]
    local name=$1 show=${2:-} hv start out bad=0
    for hv in xen xenolith; do
        start=$SECONDS
        if out=$("on_$hv" 2>&1); then
            echo "$name $hv: PASS ($((SECONDS - start))s)"
            if [ "$show" = --show ]; then echo "$out" | sed 's/^/    /'; fi
        else
            echo "$name $hv: FAIL ($((SECONDS - start))s)"
            echo "$out" | sed 's/^/    /'
            bad=$((bad + 1))
        fi
    done
    return "$bad"
}

# The Xen 4.17 reference as the plain ELF QEMU's Multiboot loader wants,
# unpacked into $BUILD once per package update.
XEN_GZ=/boot/xen-4.17-amd64.gz
XEN=$BUILD/xen-4.17
xen_image() {
    [ -f "$XEN_GZ" ] || fail "$XEN_GZ missing (make deps installs xen-hypervisor-4.17-amd64)"
    if [ ! -f "$XEN" ] || [ "$XEN_GZ" -nt "$XEN" ]; then
        gunzip -c "$XEN_GZ" > "$XEN.tmp.$$" && mv "$XEN.tmp.$$" "$XEN" || fail "cannot unpack $XEN_GZ"
    fi
}

# qemu_boot <name> <timeout-seconds> [--stop-on <exact line>]... [--stop-match <ERE>]...
#           <qemu args...>
# Runs QEMU with serial to $LOGS/<name>.log. With --stop-on/--stop-match,
# QEMU is ended as soon as such a line appears (Xen halts instead of
# exiting). Sets QEMU_RC (124 = timed out) and LOG.
qemu_boot() {
    local name=$1 limit=$2
    local -a exact=() regex=()
    shift 2
    while :; do
        case "${1:-}" in
            --stop-on) exact+=("$2"); shift 2 ;;
            --stop-match) regex+=("$2"); shift 2 ;;
            *) break ;;
        esac
    done
    LOG=$LOGS/$name.log
    rm -f "$LOG"
    timeout --foreground -k 5 "$limit" qemu-system-x86_64 "${QEMU_COMMON[@]}" \
        -serial "file:$LOG" "$@" </dev/null >"$LOGS/$name.qemu.out" 2>&1 &
    local pid=$!
    if [ ${#exact[@]} -gt 0 ] || [ ${#regex[@]} -gt 0 ]; then
        local -a pats=()
        local p
        for p in "${exact[@]}"; do pats+=(-e "$(printf '%s' "$p" | sed 's/[][\.*^$/+?(){}|]/\\&/g')"); done
        for p in "${regex[@]}"; do pats+=(-e "$p"); done
        while kill -0 "$pid" 2>/dev/null; do
            if [ -f "$LOG" ] && tr -d '\r' < "$LOG" | grep -qxE "${pats[@]}"; then
                sleep 0.2
                kill "$pid" 2>/dev/null
                wait "$pid" 2>/dev/null
                QEMU_RC=0
                return 0
            fi
            sleep 0.2
        done
    fi
    wait "$pid"
    QEMU_RC=$?
    [ "$QEMU_RC" -eq 124 ] && fail "$name: timed out after ${limit}s, see $LOG"
    return 0
}

# An interactive session over COM1: QEMU's serial port is a pipe chardev
# (<fifo>.in to the guest, <fifo>.out from it, copied to $LOG), and fd 3
# types into it.
# session_start <name> <timeout-seconds> <qemu args...>: sets LOG, FIFO,
# SESSION_NAME, SESSION_QEMU and SESSION_READER.
session_start() {
    SESSION_NAME=$1
    local limit=$2
    shift 2
    LOG=$LOGS/$SESSION_NAME.log
    FIFO=$LOGS/$SESSION_NAME.fifo
    rm -f "$LOG" "$FIFO.in" "$FIFO.out"
    mkfifo "$FIFO.in" "$FIFO.out" || fail "mkfifo $FIFO"
    cat "$FIFO.out" > "$LOG" &
    SESSION_READER=$!
    timeout --foreground -k 5 "$limit" qemu-system-x86_64 "${QEMU_COMMON[@]}" \
        -chardev "pipe,id=com1,path=$FIFO" -serial chardev:com1 "$@" \
        </dev/null >"$LOGS/$SESSION_NAME.qemu.out" 2>&1 &
    SESSION_QEMU=$!
    exec 3>"$FIFO.in"
}

# wait_line <ERE> [seconds]: until a whole log line matches; QEMU is
# stopped and the test fails if none does in time (default 30 s).
wait_line() {
    local i
    for ((i = 0; i < ${2:-30} * 10; i++)); do
        log_lines | grep -qxE -- "$1" && return 0
        kill -0 "$SESSION_QEMU" 2>/dev/null || break
        sleep 0.1
    done
    kill "$SESSION_QEMU" 2>/dev/null
    fail "$SESSION_NAME: no line matching '$1' in $LOG"
}

# type_line <text>: the text and Enter, then TYPE_PAUSE seconds (default
# none) for a guest that reads its input slowly.
type_line() {
    printf '%s\r' "$1" >&3
    [ -z "${TYPE_PAUSE:-}" ] || sleep "$TYPE_PAUSE"
}

# session_end [--kill]: waits for QEMU to exit (or ends it, for Xen, which
# halts instead of exiting), closes the pipes and sets QEMU_RC.
session_end() {
    [ "${1:-}" = --kill ] && { sleep 0.2; kill "$SESSION_QEMU" 2>/dev/null; }
    wait "$SESSION_QEMU"
    QEMU_RC=$?
    exec 3>&-
    wait "$SESSION_READER" 2>/dev/null
    rm -f "$FIFO.in" "$FIFO.out"
    [ "${1:-}" = --kill ] || [ "$QEMU_RC" -ne 124 ] || fail "$SESSION_NAME: timed out, see $LOG"
}

# Lines as printed, without the CR of the serial console.
log_lines() { tr -d '\r' < "$LOG"; }

expect_line() { # <exact line>
    log_lines | grep -qxF -- "$1" || fail "expected line '$1' missing from $LOG"
}

expect_match() { # <extended regex matched against whole lines>
    log_lines | grep -qxE -- "$1" || fail "expected a line matching '$1' in $LOG"
}

# The lines of Lithos's boot self-check (guest-kernel/selfcheck.c), the same
# in every environment; tag is what prefixes each line ("" natively and on
# Xen, "(d0) " on Xenolith). Timings vary per run, so those are patterns.
expect_lithos_self_check() { # [<tag>]
    local t=${1:-} r
    r=$(printf '%s' "$t" | sed 's/[()]/\\&/g')
    expect_line "${t}self-check: vm ok (64 pages)"
    expect_match "${r}self-check: sleep 200 ms: uptime [0-9]+ us \\(error [0-9]+\\.[0-9]%\\), wall clock [0-9]+ us"
    expect_line "${t}self-check: timer ok (tolerance 20%)"
    expect_match "${r}self-check: wall clock ok \\(20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC\\)"
    expect_match "${r}self-check: threads ok \\(3 spinning threads preempted, [0-9]+ switches\\)"
    expect_line "${t}hello from user pid 1"
    expect_line "${t}user checksum 0x7fc1c585"
    expect_line "${t}user exiting with 0"
    expect_line "${t}self-check: user program ok"
    expect_line "${t}faulting user program: writing to the kernel"
    expect_match "${r}Lithos: pid 2 killed: exception 14 at rip 0x[0-9a-f]+ \\(address 0xffffffff80100000, error 0x[0-9a-f]+\\)"
    reject_line "still alive|skipped"
    expect_line "${t}self-check: faulting user program killed"
    expect_line "${t}Lithos: self-check passed"
}

reject_line() { # <extended regex that must not match any line>
    if log_lines | grep -qE -- "$1"; then
        fail "unexpected line matching '$1' in $LOG"
    fi
}

# isa-debug-exit makes QEMU exit with (value << 1) | 1.
expect_exit() { # <expected QEMU exit status>
    [ "$QEMU_RC" -eq "$1" ] || fail "expected QEMU exit status $1, got $QEMU_RC, see $LOG"
}
