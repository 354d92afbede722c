#!/bin/sh
# test.sh: installs what is missing (Debian 12), builds quire under ASan/UBSan with warnings as
# errors, runs every test (unit, integration through nginx, headless Chromium, fuzz, style)
# and ends with one line: "N passed, N failed".
set -eu
cd "$(dirname "$0")"
top=$(pwd)

PKGS="autoconf automake pkg-config gcc make libc6-dev libfcgi-dev libsqlite3-dev libcurl4-openssl-dev
libcmark-dev libsodium-dev libexpat1-dev nginx-light libfcgi-bin python3 curl chromium clang libclang-rt-14-dev
clang-format sqlite3 python3-aiosmtpd exim4-daemon-light openssl spamassassin"

. "$top/conf/install-missing.sh"
NEED_NODE=1 install_missing test.sh $PKGS

autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
mkdir -p build
cd build
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
	"$top/configure" --enable-werror --enable-sanitizers >/dev/null
fi
make -j"$(nproc)" >/dev/null
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
set +e
make -j2 check > check.log 2>&1
status=$?
set -e
grep -E '^(PASS|FAIL|ERROR|XPASS)' check.log | grep -vE '^PASS' || true
count() { sed -n "s/^# $1: *\([0-9]*\)/\1/p" check.log | tail -1; }
pass=$(count PASS)
fail=$(( $(count FAIL) + $(count ERROR) + $(count XPASS) ))
if [ "$status" != 0 ] && [ "$fail" = 0 ]; then
	tail -40 check.log
	fail=1
fi
if [ "$fail" != 0 ]; then
	echo "--- failures (all of it in build/test-suite.log):"
	grep -E '^not ok|^#   |^ERROR' test-suite.log | head -80
fi
echo "${pass:-0} passed, ${fail} failed"
[ "$fail" = 0 ]
