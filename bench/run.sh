#!/bin/sh
# bench/run.sh - requests/s of coexist against nginx serving the same bytes, measured with wrk.
# Prints a table; both servers on loopback, on this machine, one after the other.
# Needs: wrk, nginx (apt-get install wrk nginx-light). DURATION and CONNS may be set.
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
BIN=${COEXIST_BIN:-build/coexist}
for t in wrk nginx curl; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: needs $t (apt-get install wrk nginx-light curl)" >&2; exit 1; }
done
out=$(mktemp -d /tmp/coexist-bench-XXXXXX)
trap 'kill $cpid $npid 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT

COEXIST_DB="$out/bench.db" COEXIST_LISTEN=127.0.0.1:18080 COEXIST_ACCESS_LOG=false \
	COEXIST_THREADS=${COEXIST_THREADS:-2} COEXIST_CONF=/dev/null "$BIN" serve 2>"$out/coexist.log" &
cpid=$!
mkdir -p "$out/www/static"
for i in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:18080/healthz && break; sleep 0.1; done
# The same bytes, for nginx to serve as files.
curl -sf http://127.0.0.1:18080/ -o "$out/www/index.html"
curl -sf http://127.0.0.1:18080/healthz -o "$out/www/healthz"
cp static/app.css "$out/www/static/app.css"

cat >"$out/nginx.conf" <<NGINX
worker_processes 2;
pid $out/nginx.pid;
error_log $out/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000;
	types { text/html html; text/css css; text/plain txt; }
	default_type text/plain;
	client_body_temp_path $out/tmp; proxy_temp_path $out/tmp; fastcgi_temp_path $out/tmp;
	uwsgi_temp_path $out/tmp; scgi_temp_path $out/tmp;
	server { listen 127.0.0.1:18081; root $out/www; }
}
NGINX
mkdir -p "$out/tmp"
nginx -c "$out/nginx.conf" -p "$out" &
npid=$!
sleep 0.5

rate() { # url -> requests per second
	wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$1" | awk '/^Requests\/sec/ {print $2}'
}
printf '%-34s %8s %12s %12s %7s\n' "what" "bytes" "coexist r/s" "nginx r/s" "ratio"
for pair in "/healthz|/healthz|healthz (one SQLite query)" \
            "/static/app.css|/static/app.css|stylesheet (held in memory)" \
            "/|/index.html|home page (template + layout)"; do
	c=$(echo "$pair" | cut -d'|' -f1); n=$(echo "$pair" | cut -d'|' -f2); what=$(echo "$pair" | cut -d'|' -f3)
	bytes=$(curl -sf "http://127.0.0.1:18080$c" | wc -c)
	rc=$(rate "http://127.0.0.1:18080$c")
	rn=$(rate "http://127.0.0.1:18081$n")
	ratio=$(awk -v a="$rc" -v b="$rn" 'BEGIN { printf "%.2f", a / b }')
	printf '%-34s %8s %12s %12s %7s\n' "$what" "$bytes" "$rc" "$rn" "$ratio"
done
