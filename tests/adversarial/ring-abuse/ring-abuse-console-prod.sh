#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ring-abuse role=considx as d1: an absurd producer index on its console ring; see
# tests/adversarial/ring-abuse/hostile-index.sh. Xenolith only.
set -u
cd "$(dirname "$0")/../../.."
. tests/boot/lib.sh
. tests/adversarial/ring-abuse/hostile-index.sh

hostile_index_test ring-abuse-console-prod considx \
    "console ring: out_prod 1000000 ahead of out_cons" \
    "console ring: out_prod - out_cons exceeds the buffer"
