#!/bin/sh
# style: the tree keeps its own rules: clang-format clean, no unbounded string calls,
# no reader asset from another host. TAP output.
top=${QUIRE_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
n=0
fail=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; printf '%s\n' "$3" | sed 's/^/#   /' | head -20; fi
}
if command -v clang-format >/dev/null 2>&1; then
	out=$(cd "$top" && clang-format --dry-run -Werror src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c 2>&1)
	check $? "C sources are clang-format clean" "$out"
else
	check 1 "clang-format is installed (test.sh installs it)" ""
fi
out=$(grep -nE '\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|atol)\(' "$top"/src/*/*.c)
[ -z "$out" ]; check $? "no unbounded string calls or atoi in src/" "$out"
out=$(grep -rnoE '(src|href)="(https?:)?//[^"]+' "$top"/templates "$top"/static | grep -vE '\{\{|www\.w3\.org')
[ -z "$out" ]; check $? "templates and static files load nothing from another host" "$out"
out=$(grep -nE '\bexit\(' "$top"/src/*/*.c | grep -v 'src/cli/main.c')
[ -z "$out" ]; check $? "no exit() outside main.c" "$out"
out=$(find "$top"/src -name '*.c' -size +24k)
[ -z "$out" ]; check $? "source files stay small (under 24 KB)" "$out"
# backups and generated files stay out of git (configure~ was committed twice)
if [ -d "$top/.git" ] && command -v git >/dev/null 2>&1; then
	out=$(cd "$top" && git ls-files | grep -E '(~|\.orig|\.rej|\.bak|\.swp)$|(^|/)(configure|Makefile\.in|aclocal\.m4|config\.status|config\.log)$')
	[ -z "$out" ]; check $? "no backup or generated file is tracked in git" "$out"
fi
echo "1..$n"
exit $fail
