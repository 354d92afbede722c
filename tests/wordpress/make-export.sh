#!/bin/sh
# make-export.sh: regenerates tests/data/wordpress_real.xml (+ .json and wordpress_uploads/) with
# WordPress itself: Debian's wordpress on php-cli, a private MariaDB in a temporary directory,
# content made by WordPress's own functions (content.php), then export_wp(). No root-wide state
# is touched: no system service, no /etc/wordpress file; only the temporary directory is removed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
data="$top/tests/data"
WP_ABSPATH=${WP_ABSPATH:-/usr/share/wordpress/}
MARIADB_START_TRIES=60 # half-seconds to wait for the private server's socket
SOCKET_DIR_MAX=90      # longest temporary directory that leaves room for /mysql.sock

. "$top/conf/install-missing.sh"
install_missing make-export.sh wordpress php-cli php-mysql mariadb-server

start=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/wp-export.XXXXXX")
# a unix socket path must fit in sun_path (108 bytes): fall back to /tmp for a long TMPDIR
if [ ${#work} -gt $SOCKET_DIR_MAX ]; then
	rmdir "$work"
	work=$(mktemp -d /tmp/wp-export.XXXXXX)
fi
dbpid=""
cleanup() {
	if [ -n "$dbpid" ]; then
		kill "$dbpid" 2>/dev/null || true
		wait "$dbpid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

me=$(id -un)
sock="$work/mysql.sock"
mkdir -p "$work/db" "$work/wp-content/uploads" "$work/wp-content/plugins" "$work/out"
mariadb-install-db --no-defaults --datadir="$work/db" --user="$me" \
	--auth-root-authentication-method=normal --skip-test-db >"$work/install-db.log" 2>&1 ||
	{ cat "$work/install-db.log" >&2; echo "make-export.sh: mariadb-install-db failed" >&2; exit 1; }
mariadbd --no-defaults --datadir="$work/db" --socket="$sock" --skip-networking \
	--pid-file="$work/mariadbd.pid" --log-error="$work/mariadbd.err" --user="$me" \
	--innodb-buffer-pool-size=32M --skip-log-bin >/dev/null 2>&1 &
dbpid=$!
i=0
until mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -ge $MARIADB_START_TRIES ] || ! kill -0 "$dbpid" 2>/dev/null; then
		cat "$work/mariadbd.err" >&2 || true
		echo "make-export.sh: the private MariaDB did not start" >&2
		exit 1
	fi
	sleep 0.5
done
mariadb --no-defaults --socket="$sock" -uroot <<'SQL'
CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp';
GRANT ALL ON wordpress.* TO 'wp'@'localhost';
SQL

export WP_WORK="$work" WP_ABSPATH
for step in install content export; do
	php -d memory_limit=512M -d display_errors=stderr "$here/content.php" "$step"
done

# Replace the committed outputs only once everything above has succeeded.
cp "$work/out/wordpress_real.xml" "$work/out/wordpress_real.json" "$data/"
rm -rf "$data/wordpress_uploads"
cp -R "$work/out/wordpress_uploads" "$data/wordpress_uploads"

end=$(date +%s)
echo "make-export.sh: wrote $data/wordpress_real.xml ($(wc -c <"$data/wordpress_real.xml") bytes)," \
	"wordpress_real.json, wordpress_uploads/ ($(du -sk "$data/wordpress_uploads" | cut -f1) KB) in $((end - start)) s"
