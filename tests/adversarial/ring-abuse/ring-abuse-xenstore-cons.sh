#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ring-abuse role=xsrsp as d1: an absurd consumer index on its xenstore ring; see
# tests/adversarial/ring-abuse/hostile-index.sh. Xenolith only.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh
. tests/adversarial/ring-abuse/hostile-index.sh

hostile_index_test ring-abuse-xenstore-cons xsrsp \
    "xenstore ring: rsp_cons 1000000 behind rsp_prod" \
    "xenstore ring: rsp_cons is more than a ring behind rsp_prod"
