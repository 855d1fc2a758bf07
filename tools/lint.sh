#!/bin/sh
# lint.sh - the habits of the tree, checked (`make lint`, and CI): every C file clang-format
# clean, and cppcheck and clang-tidy (.clang-tidy) without a finding. Prints each problem and
# ends with "lint: ok" or "lint: N problems".
set -u
cd "$(dirname "$0")/.."
problems=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'tools/*.c' 'bench/*.c' 2>/dev/null || find src tests/unit tools bench -name '*.[ch]')

for f in $files; do
	if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "lint: $f is not formatted (make format)"
		problems=$((problems + 1))
	fi
done

# die() is declared noreturn with __attribute__, which cppcheck reads (not _Noreturn).
if ! cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance --std=c11 \
	-Isrc -D_GNU_SOURCE --inline-suppr --template='{file}:{line}: cppcheck {id}: {message}' src; then
	problems=$((problems + 1))
fi

PKGS="libmicrohttpd sqlite3 jansson libsodium zlib libcurl xlsxwriter cairo"
CFLAGS_TIDY="-std=c17 -D_GNU_SOURCE -Isrc $(pkg-config --cflags $PKGS 2>/dev/null)"
export CFLAGS_TIDY
out=$(git ls-files 'src/*.c' | xargs -P2 -n8 sh -c \
	'clang-tidy -quiet "$@" -- $CFLAGS_TIDY 2>/dev/null' _ | grep -E '(warning|error):')
if [ -n "$out" ]; then
	echo "$out"
	problems=$((problems + $(echo "$out" | wc -l)))
fi

if [ "$problems" -eq 0 ]; then
	echo "lint: ok"
	exit 0
fi
echo "lint: $problems problems"
exit 1
