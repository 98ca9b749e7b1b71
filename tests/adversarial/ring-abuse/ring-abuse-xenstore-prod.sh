#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ring-abuse role=xsidx as d1: an absurd producer index on its xenstore ring; see
# tests/adversarial/ring-abuse/hostile-index.sh. Xenolith only.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh
. tests/adversarial/ring-abuse/hostile-index.sh

hostile_index_test ring-abuse-xenstore-prod xsidx \
    "xenstore ring: req_prod 1000000 ahead of req_cons" \
    "xenstore ring: req_prod is more than a ring ahead of req_cons"
