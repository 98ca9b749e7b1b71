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
check "ring-buffers/ includes project code" "$inc(\.\./)*(guest-kernel|pvops|vmi|drivers)/" ring-buffers
check "pvops/ includes guest-kernel/" "$inc(\.\./)*guest-kernel/" pvops
exit $fail
