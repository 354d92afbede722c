#!/bin/sh
# soak.sh: the release soak. tests/integration/soak.py for 10 minutes per configuration
# (threads = 1, then 4) with 64 clients, against the ASan + UBSan build in build/ (made when
# missing). Not part of make check (make check runs the same test for 20 s per configuration with 4 clients).
#
#   tests/soak.sh                                  10 minutes per configuration, 64 clients
#   QUIRE_SOAK_SECONDS=120 QUIRE_SOAK_CLIENTS=16 tests/soak.sh
#   QUIRE_SOAK_THREADS=4 QUIRE_SOAK_SEED=1234 tests/soak.sh    one configuration, a given seed
#
# Other knobs: QUIRE_SOAK_COMMENTERS, QUIRE_SOAK_SUBSCRIBERS, QUIRE_SOAK_MIN_HITS,
# QUIRE_SOAK_BUILD (the build tree, default build). Exits non-zero when a check failed; the TAP
# output (with the per-route table and the RSS series) is also kept in BUILD/soak-release.log.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build=${QUIRE_SOAK_BUILD:-build}
if [ ! -x "$build/quire" ]; then
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
	mkdir -p "$build"
	(cd "$build" && "$top/configure" --enable-werror --enable-sanitizers >/dev/null && make -j"$(nproc)" >/dev/null)
fi
build=$(cd "$build" && pwd)
export QUIRE="$build/quire" QUIRE_SRCDIR="$top" QUIRE_BUILDDIR="$build" QUIRE_TEST_OUT="$build/test-output"
export PYTHONPATH="$top/tests" PYTHONDONTWRITEBYTECODE=1
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=23}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export QUIRE_SOAK_SECONDS="${QUIRE_SOAK_SECONDS:-600}"
export QUIRE_SOAK_CLIENTS="${QUIRE_SOAK_CLIENTS:-64}"
export QUIRE_SOAK_MIN_HITS="${QUIRE_SOAK_MIN_HITS:-20}"
status=0
/usr/bin/python3 "$top/tests/integration/soak.py" 2>&1 | tee "$build/soak-release.log" || status=1
if grep -q '^not ok' "$build/soak-release.log" || ! grep -q '^1\.\.' "$build/soak-release.log"; then
	status=1
fi
if [ "$status" = 0 ]; then echo "soak: passed"; else echo "soak: FAILED (see $build/soak-release.log)"; fi
exit "$status"
