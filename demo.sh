#!/bin/sh
# demo.sh: installs what is missing (Debian 12), builds quire, creates a demo blog under ./var/
# and serves it through nginx on http://127.0.0.1:8080, with a local SMTP sink that writes
# mails under ./var/mail/, until Ctrl-C.
set -eu
cd "$(dirname "$0")"
top=$(pwd)
PORT=${QUIRE_DEMO_PORT:-8080}
SMTP_PORT=${QUIRE_DEMO_SMTP_PORT:-2525}

PKGS="nginx-light python3 python3-aiosmtpd curl"
. "$top/conf/install-missing.sh"
install_missing demo.sh $QUIRE_BUILD_PKGS $PKGS

echo "demo.sh: building"
autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
mkdir -p build-demo
(cd build-demo && { [ -f Makefile ] && [ Makefile -nt "$top/configure" ] || "$top/configure" >/dev/null; } &&
	make -j"$(nproc)" >/dev/null)
quire=$top/build-demo/quire

var=$top/var
mkdir -p "$var/mail" "$var/tmp" "$var/media"
db=$var/quire.db
cat > "$var/quire.conf" <<CONF
[site]
title = The quire demo
description = A small blog engine in C, behind nginx.
base_url = http://127.0.0.1:$PORT
posts_per_page = 5

[server]
listen = unix:$var/quire.sock
db = $db
threads = 4
templates = $top/templates
media_dir = $var/media

[mail]
smtp_url = smtp://127.0.0.1:$SMTP_PORT
from = demo@quire.invalid
CONF

if [ ! -f "$db" ]; then
	"$quire" init --config "$var/quire.conf"
	echo "demo password" | "$quire" user add --config "$var/quire.conf" --name "Ada Lovelace" \
		--email ada@quire.invalid --bio "Writes about C, memory and the web. First programmer, some say."
	echo "demo password" | "$quire" user add --config "$var/quire.conf" --name "Grace Hopper" \
		--email grace@quire.invalid --bio "Compilers, harbours and the occasional moth."
	"$quire" post import --config "$var/quire.conf" "$top"/demo/posts/*.md
else
	"$quire" init --config "$var/quire.conf"
fi

if curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
	echo "demo.sh: something already answers on 127.0.0.1:$PORT; stop it first" >&2
	exit 1
fi

user=""
[ "$(id -u)" = 0 ] && user="user root root;"
sed -e "s|@DIR@|$var|g" -e "s|@SOCKET@|$var/quire.sock|g" -e "s|@PORT@|$PORT|g" \
	-e "s|@ROOT@|$top|g" -e "s|@USER@|$user|g" "$top/conf/nginx-local.conf.in" > "$var/nginx.conf"

pids=""
cleanup() {
	trap - INT TERM EXIT
	echo
	echo "demo.sh: stopping"
	for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# the same small aiosmtpd sink as the tests: each mail lands as var/mail/NNNNNN-RCPT.eml
/usr/bin/python3 "$top/tests/smtp_sink.py" "$SMTP_PORT" "$var/mail" >/dev/null 2>"$var/smtp.log" &
pids="$pids $!"
"$quire" serve --config "$var/quire.conf" 2>>"$var/quire.log" &
pids="$pids $!"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$var/quire.sock" ] && break; sleep 0.2; done
nginx -p "$var" -c "$var/nginx.conf" &
pids="$pids $!"
sleep 0.5
if curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz"; then
	echo "demo.sh: the demo blog is at http://127.0.0.1:$PORT/  (Ctrl-C stops it)"
	echo "demo.sh: admin at http://127.0.0.1:$PORT/admin/ as 'Ada Lovelace' or 'Grace Hopper', password 'demo password'"
	echo "demo.sh: logs in $var/*.log, mail in $var/mail/"
else
	echo "demo.sh: the stack did not come up; see $var/quire.log and $var/nginx-error.log" >&2
	exit 1
fi
wait
