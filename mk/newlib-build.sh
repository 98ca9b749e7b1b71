#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds and installs newlib for mk/newlib.mk. Serialised with flock: the
# tree is shared, and two makes unpacking into one directory corrupt both.
# Environment: NEWLIB_TARBALL NEWLIB_DIR NEWLIB_STAMP NEWLIB_CONFIGURE
#              NEWLIB_CC NEWLIB_JOBS MAKE
set -eu
mkdir -p "$(dirname "$NEWLIB_DIR")"
exec 9> "$NEWLIB_DIR.lock"
flock 9
# Another make may have finished the same build while this one waited.
[ -f "$NEWLIB_STAMP" ] && exit 0
# The build below changes directory, so the stamp's path is made absolute.
case "$NEWLIB_STAMP" in /*) stamp=$NEWLIB_STAMP ;; *) stamp=$(pwd)/$NEWLIB_STAMP ;; esac

echo "NEWLIB  $(basename "$NEWLIB_STAMP") (log: $NEWLIB_DIR/build.log)"
rm -rf "$NEWLIB_DIR"
mkdir -p "$NEWLIB_DIR/obj"
tar -xJf "$NEWLIB_TARBALL" -C "$NEWLIB_DIR"
dir=$(cd "$NEWLIB_DIR" && pwd)
log=$dir/build.log
# Variables given to the top make (CC=..., BUILD=...) must not reach
# newlib's own makefiles.
unset MAKEFLAGS MFLAGS MAKELEVEL
export NEWLIB_SSE_LOG="$dir/sse-files.log"
: > "$NEWLIB_SSE_LOG"
cd "$dir/obj"
# shellcheck disable=SC2086 # NEWLIB_CONFIGURE is a list of options
if ! { ../newlib-salsa/configure $NEWLIB_CONFIGURE --prefix="$dir" \
          CC_FOR_TARGET="$NEWLIB_CC" AR_FOR_TARGET=ar AS_FOR_TARGET=as \
          LD_FOR_TARGET=ld RANLIB_FOR_TARGET=ranlib NM_FOR_TARGET=nm \
          OBJDUMP_FOR_TARGET=objdump STRIP_FOR_TARGET=strip &&
       "$MAKE" -j"$NEWLIB_JOBS" all-target-newlib &&
       "$MAKE" install-target-newlib; } > "$log" 2>&1; then
    tail -n 30 "$log"
    echo "NEWLIB  failed, see $log"
    exit 1
fi
test -f "$dir/x86_64-elf/lib/libc.a"
echo "NEWLIB  done; $(sort -u "$NEWLIB_SSE_LOG" | wc -l) files needed SSE ($NEWLIB_SSE_LOG)"
touch "$stamp"
