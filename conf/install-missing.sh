# install-missing.sh: sourced by demo.sh and test.sh. install_missing WHO PKG... installs the
# Debian packages that are not installed yet (apt-get update only when the install needs it);
# with NEED_NODE=1 also Node.js and npm when the commands are missing (any node >= 18 will do:
# Debian's, or one that came with the machine and carries its own npm).

# What building quire needs: the one list demo.sh and test.sh (so CI) install from.
QUIRE_BUILD_PKGS="autoconf automake pkg-config gcc make libc6-dev libfcgi-dev libsqlite3-dev
libcurl4-openssl-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev libsodium-dev libexpat1-dev libgd-dev"

install_missing() {
	who=$1
	shift
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	if [ "${NEED_NODE:-0}" = 1 ]; then
		command -v node >/dev/null 2>&1 || missing="$missing nodejs"
		command -v npm >/dev/null 2>&1 || missing="$missing npm"
	fi
	[ -z "$missing" ] && return 0
	echo "$who: installing$missing"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 ||
		{ $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends $missing >/dev/null; }
}
