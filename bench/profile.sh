#!/usr/bin/env bash
# bench/profile.sh — where Baton spends its time under load: nginx as the upstream (as in bench/load.sh),
# Baton under JFR, wrk for a while, then JFR's hot methods, allocation and contention views.
#
#   bench/profile.sh [CONNECTIONS] [SECONDS] [stream]   (defaults: 32 connections, 30 s, non-streamed)
#
# The recording is kept in bench/results/profile-<time>.jfr for `jfr view` / `jfr print` or JMC.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

c="${1:-32}"
secs="${2:-30}"
mode="${3:-plain}"
port_base="${BENCH_PORT_BASE:-18530}"
upstream_port=$((port_base + 1))
baton_port=$((port_base + 3))
results="$root/bench/results"
mkdir -p "$results"
jfr="$results/profile-$(date +%Y%m%d-%H%M%S).jfr"
work="$(mktemp -d /tmp/baton-profile.XXXXXX)"
chmod 755 "$work"
baton_pid=""
cleanup() {
  [ -n "$baton_pid" ] && kill "$baton_pid" 2>/dev/null && wait "$baton_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true

"$root/bin/baton" --version >&2
mkdir -p "$work/nginx" "$work/files"
cp "$root/bench/data/chat-response.json" "$work/files/chat.json"
cp "$root/bench/data/chat-stream.sse" "$work/files/chat-stream.sse"
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$upstream_port backlog=4096;
    location = /v1/chat/completions { error_page 405 =200 /files/chat.json; return 405; }
    location = /stream/v1/chat/completions { error_page 405 =200 /files/chat-stream.sse; return 405; }
    location /files/ { internal; alias $work/files/; types { application/json json; text/event-stream sse; } etag off; }
  }
}
EOF
"$(command -v nginx || echo /usr/sbin/nginx)" -c "$work/nginx.conf" -e "$work/nginx/error.log"

cat > "$work/baton.yaml" <<EOF
server: {host: 127.0.0.1, port: $baton_port}
models:
  - {name: bench, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/v1"}
  - {name: bench-stream, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/stream/v1"}
EOF
body="$work/chat.json"
if [ "$mode" = stream ]; then
  sed -e 's/"model":"bench"/"model":"bench-stream","stream":true/' "$root/bench/data/chat-request.json" > "$body"
else
  cp "$root/bench/data/chat-request.json" "$body"
fi
default_opts="$(eval "$(grep -E '^ *default_opts\+?=' "$root/bin/baton")"; printf '%s' "$default_opts")"
BATON_JAVA_OPTS="${BATON_JAVA_OPTS:-$default_opts} -XX:StartFlightRecording=filename=$jfr,settings=profile" \
  "$root/bin/baton" serve --config "$work/baton.yaml" > "$work/baton.log" 2>&1 &
baton_pid=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$body" "http://127.0.0.1:$baton_port/v1/chat/completions")" = 200 ]; do
  sleep 0.1
done
cat > "$work/post.lua" <<'EOF'
wrk.method = "POST"
local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
EOF
WRK_BODY="$body" wrk -t2 -c"$c" -d10s -s "$work/post.lua" "http://127.0.0.1:$baton_port/v1/chat/completions" > /dev/null
WRK_BODY="$body" wrk -t2 -c"$c" -d"${secs}s" --latency -s "$work/post.lua" "http://127.0.0.1:$baton_port/v1/chat/completions"
# Dump while it runs: at exit the recording can be lost to the shutdown's own work (the CDS archive dump).
"$jdk/bin/jcmd" "$baton_pid" JFR.dump filename="$jfr" > /dev/null
kill "$baton_pid"
wait "$baton_pid" 2>/dev/null || true
baton_pid=""
for view in hot-methods allocation-by-class contention-by-site gc; do
  "$jdk/bin/jfr" view --width 200 "$view" "$jfr" 2>/dev/null || true
done
echo "recording: ${jfr#$root/}"
