#!/bin/sh
# bench/run.sh: builds an optimised quire and the FastCGI ceiling responder, then runs
# bench/run.py: a large blog (10,000 posts, 100,000 comments, 10,000 subscribers) behind nginx,
# every case measured with wrk -t2 -c64. BENCH_KEEPALIVE=on measures with fastcgi_keep_conn.
# Smaller runs: BENCH_POSTS=1000 BENCH_COMMENTS=10000 BENCH_DURATION=5s bench/run.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -f configure ] || autoreconf -fi >/dev/null
mkdir -p build-bench
(cd build-bench && { [ -f Makefile ] || CFLAGS="-O2 -g" "$top/configure" >/dev/null; } && make -j"$(nproc)" quire >/dev/null)
cc -O2 -o build-bench/fcgi_hello bench/fcgi_hello.c -lfcgi -lpthread
exec /usr/bin/python3 bench/run.py
