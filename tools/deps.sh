#!/bin/sh
# deps.sh - installs the Debian packages COEXIST needs, or says exactly what to run.
# Used by `make run` and `make test`; BROWSER=1 adds what the tests need beyond the build
# (Node.js and Chromium for the browser tests, unzip to look inside exported workbooks);
# LINT=1 what `make lint` runs (clang-format, clang-tidy, cppcheck).
set -eu

PKGS="build-essential pkg-config libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev zlib1g-dev libcurl4-openssl-dev libcmocka-dev sqlite3 libxlsxwriter-dev libstemmer-dev libcairo2-dev fonts-dejavu-core poppler-utils"
[ "${BROWSER:-0}" = 1 ] && PKGS="$PKGS nodejs npm chromium unzip"
[ "${LINT:-0}" = 1 ] && PKGS="$PKGS clang-format clang-tidy cppcheck"

missing=""
for p in $PKGS; do
	# A package counts as present when dpkg says it is installed (any version).
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		# Node.js may come from another source than Debian (e.g. a nodesource build).
		case "$p" in
		nodejs) command -v node >/dev/null 2>&1 && continue ;;
		npm) command -v npm >/dev/null 2>&1 && continue ;;
		esac
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "COEXIST needs these Debian packages:$missing" >&2
		echo "Run, as root:  apt-get update && apt-get install -y$missing" >&2
		exit 1
	fi
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ "${BROWSER:-0}" = 1 ] && [ ! -d tests/node_modules/playwright-core ]; then
	(cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
