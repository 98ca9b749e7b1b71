#!/bin/sh
# SPDX-License-Identifier: MIT
# The hypervisor's subsystem order (docs/architecture.md, "Subsystem
# order"), checked on the compiler's dependency files: every header an
# object of folder F pulls in, directly or not, must be F's own or lie in
# a folder below F in mk/hypervisor-layers (or be a header that file
# ranks by itself below F). An edge against the order closes
# a circle as soon as the reverse edge exists, so one order rules out both.
# The inversions still being removed are listed, one "source -> header"
# per line, in mk/hypervisor-layers.known; any other fails, and so does a
# listed one that is gone (the list only shrinks).
# Usage: check-deps.sh <build dir>
set -u
BUILD=${1:-build}
LAYERS=mk/hypervisor-layers
KNOWN=mk/hypervisor-layers.known
found=$(mktemp)
trap 'rm -f "$found"' EXIT

deps=$(find "$BUILD/hypervisor" -name '*.o.d' -o -name '*.c.d' -o -name '*.S.d' 2>/dev/null | sort)
[ -n "$deps" ] || { echo "dependencies: no .d files under $BUILD/hypervisor (build first)"; exit 1; }

# Joined rules, first prerequisite (the source) then its headers.
# (A .d left by a source that was moved or removed is skipped.)
for d in $deps; do
    sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$d" | sed -n '1p'
done | while read -r obj src rest; do
    [ -f "$src" ] && echo "$obj $src $rest"
done | awk -v layers="$LAYERS" '
    # A header listed by its own path in the layers file (a types-only
    # header such as event/evtchn_types.h) has its own rank; any other
    # file takes its folder'"'"'s.
    function folder(p,   q) {
        q = substr(p, length("hypervisor/") + 1)
        if (q in rank) return q
        if (q ~ /^arch\/x86\//) return "arch/x86"
        if (index(q, "/") == 0) return ""
        return substr(q, 1, index(q, "/") - 1)
    }
    BEGIN {
        n = 0
        while ((getline line < layers) > 0) {
            sub(/#.*/, "", line); gsub(/[ \t]/, "", line)
            if (line != "") rank[line] = n++
        }
    }
    {
        src = $2
        if (src !~ /^hypervisor\//) next
        f = folder(src)
        if (!(f in rank)) { print "UNRANKED " src; next }
        for (i = 3; i <= NF; i++) {
            h = $i
            if (h !~ /^hypervisor\//) continue
            g = folder(h)
            if (g == "" || g == f) continue
            if (!(g in rank)) { print "UNRANKED " h; continue }
            if (rank[g] > rank[f]) print src " -> " h
        }
    }' | sort -u > "$found"

fail=0
if grep -q '^UNRANKED ' "$found"; then
    echo "dependencies: folders missing from $LAYERS:"
    grep '^UNRANKED ' "$found" | sed 's/^UNRANKED /    /'
    fail=1
fi
new=$(grep -v '^UNRANKED ' "$found" | grep -vxF -f "$KNOWN" 2>/dev/null || true)
if [ -n "$new" ]; then
    echo "dependencies: includes against the subsystem order ($LAYERS, bottom first):"
    echo "$new" | sed 's/^/    /'
    fail=1
fi
gone=$(grep -v '^#' "$KNOWN" | grep -v '^$' | grep -vxF -f "$found" || true)
if [ -n "$gone" ]; then
    echo "dependencies: listed in $KNOWN but no longer there (remove them):"
    echo "$gone" | sed 's/^/    /'
    fail=1
fi
exit $fail
