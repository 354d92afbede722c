#!/bin/sh
# layer-check: links each layer's library whole against only the libraries below it, so that a
# call running up a layer (or from web to import) is an undefined reference and "make" fails.
#   lib <- db <- mail <- web, import <- cli
# usage (from the build directory): layer-check.sh CC "CFLAGS LDFLAGS" "EXTERNAL LIBS"
set -u
cc=$1
flags=$2
libs=$3
stub=layer-check-main.c
printf 'int main(void) { return 0; }\n' >"$stub"
check() {
	name=$1
	shift
	# shellcheck disable=SC2086 # flags and libs are word lists
	if ! $cc $flags -o "layer-check-$name" "$stub" -Wl,--whole-archive "libquire_$name.a" \
		-Wl,--no-whole-archive "$@" $libs 2>"layer-check-$name.log"; then
		echo "layer-check: src/$name/ calls up a layer (or across web/import); the layers are" >&2
		echo "layer-check:   lib <- db <- mail <- web, import <- cli" >&2
		grep -E 'undefined reference' "layer-check-$name.log" | sed 's/^/layer-check:   /' | sort -u | head -20 >&2
		grep -qE 'undefined reference' "layer-check-$name.log" || sed 's/^/layer-check:   /' "layer-check-$name.log" | head -20 >&2
		exit 1
	fi
	rm -f "layer-check-$name" "layer-check-$name.log"
}
# A weak reference links even when nothing defines it, and the whole program then resolves it to
# the layer above: no quire library may hold a weak reference to a function quire defines.
nm -g --defined-only libquire_*.a 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >layer-check-defined
bad=$(nm -g libquire_*.a 2>/dev/null | awk '$1 == "w" || $1 == "v" { print $2 }' | sort -u | grep -Fxf layer-check-defined)
rm -f layer-check-defined
if [ -n "$bad" ]; then
	echo "layer-check: a weak reference to one of quire's own functions (a call around the layers):" >&2
	printf '%s\n' "$bad" | sed 's/^/layer-check:   /' >&2
	exit 1
fi
check lib
check db libquire_lib.a
check mail libquire_db.a libquire_lib.a
check web libquire_mail.a libquire_db.a libquire_lib.a
check import libquire_mail.a libquire_db.a libquire_lib.a
rm -f "$stub"
