#!/bin/sh
# SPDX-License-Identifier: MIT
# Enforces the include rules of ARCHITECTURE.md §2 with grep.
set -u
fail=0
check() { # <description> <grep pattern> <dirs...>
    what=$1; pat=$2; shift 2
    hits=$(grep -rnE "$pat" "$@" 2>/dev/null)
    if [ -n "$hits" ]; then
        echo "layering: $what"; echo "$hits"; fail=1
    fi
}
inc='#[[:space:]]*include[[:space:]]*[<"]'
check "hypervisor/ includes guest-side code" "$inc(\.\./)*(guest-kernel|pvops|vmi)/" hypervisor
check "guest side includes hypervisor/" "$inc(\.\./)*hypervisor/" guest-kernel pvops vmi drivers ring-buffers
check "vmi/ includes project code" "$inc(\.\./)*(guest-kernel|pvops|drivers|ring-buffers)/" vmi
check "drivers/ includes project code" "$inc(\.\./)*(guest-kernel|pvops|vmi|ring-buffers)/" drivers
check "common/ includes project code" "$inc(\.\./)*(guest-kernel|pvops|vmi|drivers|ring-buffers|hypervisor)/" common
check "ring-buffers/ includes project code" "$inc(\.\./)*(guest-kernel|pvops|vmi|drivers)/" ring-buffers
check "pvops/ includes guest-kernel/" "$inc(\.\./)*guest-kernel/" pvops
# Lithos calls only pv_*() for privileged work: outside its boot entries,
# which install a binding, no guest-kernel file reaches a binding or a
# hypercall wrapper (the Xen frontends are the binding's, in pvops/xen/).
entries="start_native.c start_xen.c elf_notes.S"
excl=""
for f in $entries; do excl="$excl --exclude=$f"; done
# shellcheck disable=SC2086
hits=$(grep -rnE $excl "$inc(pvops/(xen|native)|vmi)/" guest-kernel 2>/dev/null)
if [ -n "$hits" ]; then
    echo "layering: guest-kernel/ reaches a binding or vmi/ outside its boot entries"; echo "$hits"; fail=1
fi
exit $fail
