#!/bin/sh
# fuzz/run.sh: builds every fuzz target with clang's libFuzzer (ASan + UBSan) and runs each
# for a bounded number of inputs. TAP output. FUZZ_RUNS raises the count for a longer session.
set -u
top=${QUIRE_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${QUIRE_BUILDDIR:-$(pwd)}
out=$build/tests/fuzz
runs=${FUZZ_RUNS:-12000}
mkdir -p "$out/obj"
deps="fcgi sqlite3 libcurl libcmark-gfm libxml-2.0 libsodium expat gdlib"
cflags="-g -fsanitize=fuzzer-no-link,address,undefined -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DQUIRE_DATADIR=\"/nonexistent\" $(for d in lib db mail web import; do printf -- "-I%s/src/%s " "$top" "$d"; done) -I$build/src/db $(pkg-config --cflags $deps)"
n=0
fail=0
if ! command -v clang >/dev/null 2>&1; then
	echo "not ok 1 - clang is installed (test.sh installs it)"; echo "1..1"; exit 1
fi
objs=""
stale=""
for f in "$top"/src/lib/*.c "$top"/src/db/*.c "$top"/src/mail/*.c "$top"/src/web/*.c "$top"/src/import/*.c "$build"/src/db/migrations.c; do
	case $(basename "$f") in serve.c) continue ;; esac
	o="$out/obj/$(basename "$f" .c).o"
	# stale when the source or any header changed (struct layouts must agree)
	if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find "$top/src" -name '*.h' -newer "$o" | head -1)" ]; then
		rm -f "$o"
		stale="$stale $f"
	fi
	objs="$objs $o"
done
# compiled FUZZ_JOBS at a time (default: the cores), each batch waited for; a missing object
# afterwards is a compile error (its messages are in compile.log)
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
: >"$out/compile.log"
i=0
for f in $stale; do
	# what the targets run (lib, import) is optimised as usual for fuzzing; the rest (db, mail, web)
	# is only linked in (route.c's table names every handler) and compiles twice as fast at -O0
	case $f in "$top"/src/lib/* | "$top"/src/import/*) opt=-O1 ;; *) opt=-O0 ;; esac
	clang $cflags $opt -c "$f" -o "$out/obj/$(basename "$f" .c).o" 2>>"$out/compile.log" &
	i=$((i + 1))
	[ $((i % jobs)) -eq 0 ] && wait
done
wait
for o in $objs; do
	if [ ! -f "$o" ]; then
		echo "not ok 1 - compile $(basename "$o" .o).c"; sed 's/^/#   /' "$out/compile.log" | head -20; echo "1..1"; exit 1
	fi
done
for src in "$top"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	n=$((n + 1))
	if clang $cflags -O1 -fsanitize=fuzzer "$src" $objs $(pkg-config --libs $deps) -lcmark-gfm-extensions -lpthread -o "$out/$t" 2>"$out/$t.build.log"; then
		echo "ok $n - $t builds"
	else
		echo "not ok $n - $t builds"; sed 's/^/#   /' "$out/$t.build.log" | head -20; fail=1; continue
	fi
	n=$((n + 1))
	if "$out/$t" -runs="$runs" -max_len=4096 -rss_limit_mb=1024 >"$out/$t.log" 2>&1; then
		echo "ok $n - $t survives $runs inputs"
	else
		echo "not ok $n - $t survives $runs inputs"; tail -30 "$out/$t.log" | sed 's/^/#   /'; fail=1
	fi
done
echo "1..$n"
exit $fail
