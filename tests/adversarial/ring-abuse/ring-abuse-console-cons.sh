#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ring-abuse role=consin as d1: an absurd consumer index on its console ring; see
# tests/adversarial/ring-abuse/hostile-index.sh. Xenolith only.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh
. tests/adversarial/ring-abuse/hostile-index.sh

hostile_index_test ring-abuse-console-cons consin \
    "console ring: in_cons 1000000 behind in_prod" \
    "console ring: in_prod - in_cons exceeds the buffer"
