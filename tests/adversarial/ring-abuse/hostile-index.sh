# SPDX-License-Identifier: MIT
# Sourced by tests/boot/ring-abuse-{console,xenstore}-{prod,cons}.sh after
# tests/boot/lib.sh. One scenario: the ring-abuse image as d1 in the given
# role writes an absurd index on one of its rings. Xenolith never follows it:
# it logs and crashes d1 alone, while the victim d0 (the same image,
# role=victim) keeps being served over its xenstore ring, its grants intact,
# and powers off. No panic; exit status 39 (a crash among the domains).
#
# hostile_index_test <test name> <attacker role> <d1's line> <Xenolith's crash reason>
hostile_index_test()
{
    local name=$1 role=$2 guest_says=$3 reason=$4
    local guest=$BUILD/adversarial/ring-abuse.elf f

    for f in "$guest" "$BUILD/xenolith"; do
        [ -f "$f" ] || fail "$f was not built (make conformance)"
    done
    qemu_boot "$name" 60 -m 256 -kernel "$BUILD/xenolith" \
        -initrd "$guest name=victim -- role=victim,$guest name=attacker -- role=$role"
    log_lines | grep -E '^\(d[01]\) .*expected ' | head -5
    expect_line "(d1) ring-abuse: $guest_says"
    expect_line "(xenolith) error: d1: crashed: $reason"
    expect_line "(xenolith) d1: shut down (crash)"
    reject_line "\(d1\) Test result:.*"
    expect_line "(d0) ring-abuse: victim: xenstore served every round, grants and granted page intact"
    expect_line "(d0) Test result: SUCCESS"
    expect_line "(xenolith) d0: shut down (poweroff)"
    reject_line "PANIC|FATAL"
    expect_exit 39
}
