#!/bin/sh
# test.sh: installs what is missing (Debian 12), builds quire under ASan/UBSan with warnings as
# errors, runs every test (unit, integration through nginx, headless Chromium, fuzz, style)
# and ends with one line: "N passed, N failed". Then, time permitting, a ThreadSanitizer build runs the
# threaded integration tests (QUIRE_TSAN=0 skips that stage); its counts are in the same line.
set -eu
started=$(date +%s)
cd "$(dirname "$0")"
top=$(pwd)

PKGS="nginx-light libfcgi-bin python3 curl chromium clang libclang-rt-14-dev default-jre-headless
clang-format sqlite3 python3-aiosmtpd exim4-daemon-light openssl spamassassin
python3-feedparser jing groff-base man-db debhelper devscripts lintian build-essential systemd"

. "$top/conf/install-missing.sh"
NEED_NODE=1 install_missing test.sh $QUIRE_BUILD_PKGS $PKGS

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
# three at a time on two cores: the tests wait on servers, browsers and mail a third of the time
# (user + sys CPU was 1.4 cores of 2 over a -j2 run)
make -j3 check > check.log 2>&1
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

# ThreadSanitizer stage: a second build tree (build-tsan/, ./configure --enable-tsan) runs the
# integration tests that exercise quire's threads. QUIRE_TSAN=0 skips it; it is also skipped when
# the main suite took so long that it would push test.sh past its budget (QUIRE_TSAN_BUDGET
# seconds for the whole script, default 540 = 9 minutes; QUIRE_TSAN=1 runs it regardless).
# Any "WARNING: ThreadSanitizer" in a quire log fails the stage; tests/tsan.supp holds the
# suppressions for libfcgi's own (uninstrumented) code, never for quire's src/.
elapsed=$(( $(date +%s) - started ))
tsan=${QUIRE_TSAN:-auto}
if [ "$tsan" = auto ] && [ "$elapsed" -gt $(( ${QUIRE_TSAN_BUDGET:-540} - 240 )) ]; then
	echo "TSan stage skipped: the main suite took ${elapsed} s (QUIRE_TSAN=1 runs it anyway)"
	tsan=0
fi
if [ "$tsan" != 0 ]; then
	cd "$top"
	mkdir -p build-tsan
	cd build-tsan
	if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
		"$top/configure" --enable-werror --enable-tsan >/dev/null
	fi
	make -j"$(nproc)" >/dev/null
	rm -rf tsan-tmp && mkdir -p tsan-tmp
	TSAN_TESTS="tests/integration/cache.py tests/integration/stats.py tests/integration/comment_load.py
tests/integration/mail.py tests/integration/soak.py tests/integration/microcache.py"
	set +e
	# quire logs (and so TSan's reports) are kept under tsan-tmp/ to be searched afterwards
	env -u ASAN_OPTIONS -u UBSAN_OPTIONS TMPDIR="$(pwd)/tsan-tmp" QUIRE_KEEP_TMP=1 \
		TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stop=0 suppressions=$top/tests/tsan.supp" \
		QUIRE_SOAK_SECONDS=${QUIRE_TSAN_SOAK_SECONDS:-8} QUIRE_SOAK_MIN_HITS=1 QUIRE_SOAK_RSS=0 \
		make -j2 check TESTS="$(echo $TSAN_TESTS)" > check-tsan.log 2>&1
	tstatus=$?
	set -e
	tpass=$(sed -n 's/^# PASS: *\([0-9]*\)/\1/p' check-tsan.log | tail -1)
	tfail=$(( $(sed -n 's/^# FAIL: *\([0-9]*\)/\1/p' check-tsan.log | tail -1) + \
		$(sed -n 's/^# ERROR: *\([0-9]*\)/\1/p' check-tsan.log | tail -1) ))
	reports=$(grep -l 'WARNING: ThreadSanitizer' tsan-tmp/*/quire.log 2>/dev/null | wc -l)
	if [ "$reports" != 0 ]; then
		echo "--- ThreadSanitizer reports in $reports quire logs (build-tsan/tsan-tmp/*/quire.log):"
		grep -h 'SUMMARY: ThreadSanitizer' tsan-tmp/*/quire.log | sort | uniq -c
		tfail=$(( tfail + 1 ))
	fi
	if [ "$tstatus" != 0 ] && [ "$tfail" = 0 ]; then
		tail -40 check-tsan.log
		tfail=1
	fi
	if [ "$tfail" != 0 ]; then
		echo "--- TSan stage failures (all of it in build-tsan/check-tsan.log):"
		grep -E '^FAIL|^ERROR' check-tsan.log | head -40
	else
		rm -rf tsan-tmp
	fi
	echo "TSan stage: ${tpass:-0} passed, ${tfail} failed"
	pass=$(( ${pass:-0} + ${tpass:-0} ))
	fail=$(( fail + tfail ))
fi
echo "${pass:-0} passed, ${fail} failed"
[ "$fail" = 0 ]
