#!/bin/sh
# demo.sh: installs what is missing (Debian 12), builds quire, creates a demo blog under ./var/
# (posts, comments imported from a Disqus export, one confirmed subscriber) and serves it through
# nginx on http://127.0.0.1:8080, with a local SMTP sink that writes mails under ./var/mail/,
# until Ctrl-C. One line per stage, with its time. Running it again on the same var/ adds nothing.
#
#   QUIRE_DEMO_PORT=8080        the port nginx listens on (127.0.0.1 only)
#   QUIRE_DEMO_SMTP_PORT=2525   the port of the mail sink
#   QUIRE_DEMO_VAR=./var        where the database, configuration, logs and mails go
#   QUIRE_DEMO_BIN=PATH         a quire already built: no package for building, no build
#   QUIRE_DEMO_CFLAGS=-O0       the compiler flags of build-demo/ (read when it is configured):
#                               -O0 compiles in two thirds of the CPU time of -O1 -g, and a demo
#                               serves a few pages
set -eu
here=$(pwd)
cd "$(dirname "$0")"
top=$(pwd)
PORT=${QUIRE_DEMO_PORT:-8080}
SMTP_PORT=${QUIRE_DEMO_SMTP_PORT:-2525}
var=${QUIRE_DEMO_VAR:-$top/var}
bin=${QUIRE_DEMO_BIN:-}
# paths given relative to where demo.sh was started from
case $var in /*) ;; *) var=$here/$var ;; esac
case $bin in /* | "") ;; *) bin=$here/$bin ;; esac
CFLAGS_DEMO=${QUIRE_DEMO_CFLAGS:--O0}
SUBSCRIBER=reader@example.com
WAIT_STEPS=400 # of 0.05 s: how long a server may take to come up (20 s)

now_ms() { date +%s%3N; }
t_all=$(now_ms)
say() { printf 'demo.sh: %s\n' "$*"; }
# "1.2 s" since the time $1 (from now_ms)
since() {
	ms=$(($(now_ms) - $1))
	printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}
fail() {
	say "$*" >&2
	exit 1
}

# --- packages: one dpkg-query for all of them, apt-get only for the missing
t=$(now_ms)
. "$top/conf/install-missing.sh"
pkgs="nginx-light python3 python3-aiosmtpd curl"
[ -n "$bin" ] || pkgs="$QUIRE_BUILD_PKGS $pkgs"
# shellcheck disable=SC2086 # one word per package
present=$(dpkg-query -W -f='${Package} ${Status}\n' $pkgs 2>/dev/null | awk '/ok installed$/ { print $1 }') || true
missing=""
npkgs=0
for p in $pkgs; do
	npkgs=$((npkgs + 1))
	printf '%s\n' "$present" | grep -qx "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086 # it prints "demo.sh: installing ..."
	install_missing demo.sh $missing
	say "packages: installed$missing ($(since "$t"))"
else
	say "packages: all $npkgs present ($(since "$t"))"
fi

# before the build rather than after it
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/" 2>/dev/null; then
	fail "something already answers on 127.0.0.1:$PORT; stop it first (or set QUIRE_DEMO_PORT)"
fi

# --- configuring and building, each only when needed
if [ -n "$bin" ]; then
	quire=$bin
	[ -x "$quire" ] || fail "QUIRE_DEMO_BIN=$bin is not an executable"
	say "building: skipped, using $quire"
else
	t=$(now_ms)
	done_what=""
	if [ ! -f configure ] || [ ! -f Makefile.in ] || [ ! -f build-aux/install-sh ] ||
		[ configure.ac -nt configure ] || [ Makefile.am -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
		say "configuring: autoreconf -fi"
		autoreconf -fi >build-autoreconf.log 2>&1 || {
			cat build-autoreconf.log >&2
			fail "autoreconf failed"
		}
		rm -f build-autoreconf.log
		done_what="autoreconf"
	fi
	mkdir -p build-demo
	if [ ! -f build-demo/Makefile ] || [ ! -f build-demo/config.status ] || [ configure -nt build-demo/config.status ]; then
		say "configuring: build-demo/ with CFLAGS=\"$CFLAGS_DEMO\""
		# under dash rather than the bash it would pick: a third less CPU time, measured
		cs=/bin/sh
		[ -x /bin/dash ] && cs=/bin/dash
		(cd build-demo && CONFIG_SHELL=$cs $cs "$top/configure" CONFIG_SHELL=$cs CFLAGS="$CFLAGS_DEMO" \
			>configure.out 2>&1) || {
			tail -20 build-demo/configure.out >&2
			fail "configure failed (build-demo/configure.out, build-demo/config.log)"
		}
		done_what="${done_what:+$done_what and }configure"
	fi
	say "configuring: ${done_what:-already done} ($(since "$t"))"

	t=$(now_ms)
	jobs=$(nproc 2>/dev/null || echo 2)
	# the compilations make would run now: counted from a dry run
	total=$(cd build-demo && make -n quire 2>/dev/null | grep -c -- ' -c -o ') || total=0
	if [ "$total" = 0 ] && (cd build-demo && make -q quire 2>/dev/null); then
		say "building: up to date ($(since "$t"))"
	else
		tty=0
		[ -t 1 ] && tty=1
		# make's silent rules print one "  CC  file.o" line per compilation: counted as they come,
		# in place on a terminal, a line per quarter otherwise; everything goes to make.log
		if ! { (cd build-demo && make -j"$jobs" V=0 quire 2>&1) || echo "demo.sh: make failed"; } |
			awk -v total="$total" -v tty="$tty" -v logf="$top/build-demo/make.log" '
				BEGIN { step = 1 }
				{ print > logf }
				/^demo.sh: make failed/ { bad = 1 }
				/^  CC / {
					n++
					if (n > total) total = n
					if (tty) {
						printf "\rdemo.sh: building: %d/%d files", n, total
						fflush()
					} else {
						for (crossed = 0; step < 4 && n * 4 >= step * total; step++)
							crossed = 1
						if (crossed && n < total)
							printf "demo.sh: building: %d/%d files\n", n, total
						fflush()
					}
				}
				END { if (tty && n) printf "\r"; exit bad }'; then
			[ "$tty" = 1 ] && echo
			grep -E 'error|Error' build-demo/make.log | head -20 >&2 || true
			fail "the build failed: build-demo/make.log"
		fi
		n=$(grep -c '^  CC ' build-demo/make.log) || n=0
		say "building: $n/$n files ($(since "$t"))"
	fi
	quire=$top/build-demo/quire
fi

# --- the demo blog: database, users, posts, comments; the servers start meanwhile
t=$(now_ms)
mkdir -p "$var/mail" "$var/tmp" "$var/media"
db=$var/quire.db
conf=$var/quire.conf
cat >"$conf" <<CONF
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
starttls = no
retry_base = 1

[comments]
min_seconds = 0
CONF
new=yes
[ -f "$db" ] && new=no
"$quire" init --config "$conf" >"$var/init.log" 2>&1 || {
	cat "$var/init.log" >&2
	fail "quire init failed"
}

user=""
[ "$(id -u)" = 0 ] && user="user root root;"
sed -e "s|@DIR@|$var|g" -e "s|@SOCKET@|$var/quire.sock|g" -e "s|@PORT@|$PORT|g" \
	-e "s|@ROOT@|$top|g" -e "s|@USER@|$user|g" "$top/conf/nginx-local.conf.in" >"$var/nginx.conf"

pids=""
names=""
sleeper=""
stopping=no
cleanup() {
	trap - INT TERM HUP EXIT
	# to the end whatever fails: after a hangup, every line written to the closed terminal does
	set +e
	[ -n "$pids" ] || exit "${1:-0}"
	stopping=yes
	echo
	say "stopping $names"
	for p in $pids $sleeper; do kill -TERM "$p" 2>/dev/null || true; done
	i=0
	while [ $i -lt 200 ]; do
		alive=""
		for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
		[ -z "$alive" ] && break
		sleep 0.05
		i=$((i + 1))
	done
	for p in $alive; do kill -KILL "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	say "stopped; the blog stays in $var (delete it to start over)"
	exit "${1:-0}"
}
trap 'cleanup 130' INT
trap 'cleanup 143' TERM
trap 'cleanup 129' HUP
trap 'cleanup $?' EXIT

# Each server in a session of its own (setsid: util-linux, Essential): Ctrl-C on a terminal
# signals the whole foreground process group, and the sink, quire and nginx all stop on SIGINT,
# so they would be gone before the trap above runs, and the loop at the end would take that for
# a crash. This way only demo.sh gets the SIGINT, and its trap stops them. setsid execs in
# place (a background job is no group leader), so $! is the server's own pid.
# The same small aiosmtpd sink as the tests: each mail lands as var/mail/NNNNNN-RCPT.eml
setsid /usr/bin/python3 "$top/tests/smtp_sink.py" "$SMTP_PORT" "$var/mail" >"$var/smtp.out" 2>"$var/smtp.log" &
sink_pid=$!
setsid "$quire" serve --config "$conf" 2>>"$var/quire.log" &
quire_pid=$!
setsid nginx -p "$var" -c "$var/nginx.conf" 2>>"$var/nginx-error.log" &
nginx_pid=$!
pids="$sink_pid $quire_pid $nginx_pid"
names="nginx, quire and the mail sink"

# users (their passwords hashed in parallel), posts, then comments: each only once
t_seed=$(now_ms)
users=$("$quire" user list --config "$conf")
adding=""
add_user() { # NAME EMAIL BIO
	case "$users" in *" $1 "*) return 0 ;; esac
	echo "demo password" | "$quire" user add --config "$conf" --name "$1" --email "$2" --bio "$3" \
		>>"$var/init.log" 2>&1 &
	adding="$adding $!"
}
add_user "Ada Lovelace" ada@quire.invalid "Writes about C, memory and the web. First programmer, some say."
add_user "Grace Hopper" grace@quire.invalid "Compilers, harbours and the occasional moth."
nusers=0
for p in $adding; do
	wait "$p" || fail "quire user add failed: $var/init.log"
	nusers=$((nusers + 1))
done
posts=$("$quire" post import --config "$conf" "$top"/demo/posts/*.md 2>>"$var/init.log") || {
	tail -5 "$var/init.log" >&2
	fail "quire post import failed"
}
comments=$("$quire" import disqus --config "$conf" "$top/demo/comments.xml" 2>>"$var/init.log") || {
	tail -5 "$var/init.log" >&2
	fail "quire import disqus failed"
}
printf '%s\n%s\n' "$posts" "$comments" >>"$var/init.log"
ncreated=$(printf '%s\n' "$posts" | grep -c '^created') || ncreated=0
nposts=$(printf '%s\n' "$posts" | grep -c .) || nposts=0
ncomments=$(printf '%s\n' "$comments" | sed -n 's/.*comments: \([0-9]*\) created.*/\1/p' | head -1)
say "demo: $([ "$new" = yes ] && echo "new database" || echo "database kept"), $nusers users added," \
	"$nposts posts ($ncreated new), ${ncomments:-0} comments added ($(since "$t_seed"))"

# --- the servers: up when /healthz answers through nginx, the sink when it says "ready"
i=0
until grep -q ready "$var/smtp.out" 2>/dev/null; do
	kill -0 "$sink_pid" 2>/dev/null || fail "the mail sink did not start (port $SMTP_PORT taken? set QUIRE_DEMO_SMTP_PORT): $var/smtp.log"
	i=$((i + 1))
	[ $i -lt $WAIT_STEPS ] || fail "the mail sink did not start: $var/smtp.log"
	sleep 0.05
done
i=0
until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/healthz" 2>/dev/null; do
	kill -0 "$quire_pid" 2>/dev/null || fail "quire serve stopped: $var/quire.log"
	kill -0 "$nginx_pid" 2>/dev/null || fail "nginx stopped: $var/nginx-error.log"
	i=$((i + 1))
	[ $i -lt $WAIT_STEPS ] || fail "the stack did not come up; see $var/quire.log and $var/nginx-error.log"
	sleep 0.05
done
say "servers: nginx on 127.0.0.1:$PORT, quire on $var/quire.sock, mail sink on 127.0.0.1:$SMTP_PORT ($(since "$t"))"

# --- one subscriber, through the form and the link in the confirmation mail, as a reader does
t=$(now_ms)
base=http://127.0.0.1:$PORT
mail_of() { ls "$var/mail/"*"-$SUBSCRIBER.eml" 2>/dev/null | tail -1; }
nmails() {
	c=0
	for f in "$var/mail/"*.eml; do [ -e "$f" ] && c=$((c + 1)); done
	echo "$c"
}
subscribe() { # POSTs the form, waits for the confirmation mail
	before=$(nmails)
	curl -fs -o /dev/null --data-urlencode "email=$SUBSCRIBER" "$base/subscribe" ||
		fail "POST /subscribe failed: $var/quire.log"
	i=0
	until [ "$(nmails)" -gt "$before" ] && [ -n "$(mail_of)" ]; do
		i=$((i + 1))
		[ $i -lt $WAIT_STEPS ] || fail "no confirmation mail for $SUBSCRIBER in $var/mail: $var/quire.log"
		sleep 0.05
	done
}
confirm() { # follows the link of the newest mail to $SUBSCRIBER; false when it is refused
	token=$(/usr/bin/python3 - "$(mail_of)" <<'PY'
import email, email.policy, re, sys
with open(sys.argv[1], "rb") as f:
    m = email.message_from_binary_file(f, policy=email.policy.default)
part = m.get_body(preferencelist=("plain",))
found = re.search(r"/subscribe/confirm\?token=([A-Za-z0-9_-]+)", part.get_content() if part else "")
print(found.group(1) if found else "")
PY
)
	[ -n "$token" ] || return 1
	case "$(curl -s --data-urlencode "token=$token" "$base/subscribe/confirm")" in
	*"You are subscribed"* | *"already confirmed"*) return 0 ;;
	esac
	return 1
}
if curl -fs "$base/" | grep -q 'other subscriber'; then
	say "subscriber: $SUBSCRIBER already confirmed"
else
	# a mail from an interrupted run is used first; a fresh one when its link is refused
	[ -n "$(mail_of)" ] || subscribe
	confirm || { subscribe && confirm; } || fail "confirming $SUBSCRIBER failed: $var/quire.log"
	say "subscriber: $SUBSCRIBER subscribed and confirmed with the link in $(mail_of) ($(since "$t"))"
fi

say "ready in $(since "$t_all"): $base/  (Ctrl-C stops it)"
say "admin: $base/admin/ as 'Ada Lovelace' or 'Grace Hopper', password 'demo password'"
say "logs in $var/*.log, mail in $var/mail/"

# until Ctrl-C, or until one of the servers stops by itself
while :; do
	sleep 1 &
	sleeper=$!
	wait $sleeper || true
	sleeper=""
	for p in $pids; do
		if ! kill -0 "$p" 2>/dev/null; then
			[ "$stopping" = yes ] || say "a server stopped by itself (pid $p); see $var/*.log" >&2
			cleanup 1
		fi
	done
done
