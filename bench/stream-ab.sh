#!/usr/bin/env bash
# bench/stream-ab.sh — the streaming path of two builds of Baton side by side, in one run on one machine:
# the gateway of an older commit (built in a temporary git worktree) and this checkout's, both serving the
# same fixed SSE stream from one nginx (bench/data/chat-stream.sse, as bench/load.sh streams it), measured in
# alternating rounds so a slow stretch of the machine weighs on both alike.
#
# For each build and round: LoadProbe's sequential streams (time to the first event, first to last event)
# and the gateway's CPU per streamed request (/proc). Each figure is the median of the rounds; the report
# gives this checkout's figures as ratios of the older one's (issue 18: streaming must not regress > 5%).
#
# Usage: bench/stream-ab.sh [OLD_COMMIT]   (default 235199f, the last commit before the pipeline reshaping)
#   BENCH_ROUNDS=N    alternating rounds (default 5)
#   BENCH_STREAMS=N   streamed requests per round and build (default 2000)
# As root it installs nginx from Debian's packages when missing. Results: bench/results/stream-ab-<time>.txt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

old_commit="${1:-235199f}"
rounds="${BENCH_ROUNDS:-5}"
streams="${BENCH_STREAMS:-2000}"
base_port="${BENCH_AB_PORT_BASE:-18630}"
upstream_port=$((base_port + 1))
old_port=$((base_port + 2))
new_port=$((base_port + 3))

results="$root/bench/results"
mkdir -p "$results"
report="$results/stream-ab-$(date +%Y%m%d-%H%M%S).txt"
work="$(mktemp -d /tmp/baton-stream-ab.XXXXXX)"
chmod 755 "$work"
old_tree="$work/old"
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  git -C "$root" worktree remove --force "$old_tree" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*" | tee -a "$report" >&2; }
log() { printf '%s\n' "$*" >&2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  [ "$(id -u)" -eq 0 ] || { log "stream-ab: install nginx first, or run as root"; exit 1; }
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >&2
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

# ------------------------------------------------------------------------------------------ builds
old_sha="$(git -C "$root" rev-parse --short "$old_commit")"
new_sha="$(git -C "$root" rev-parse --short HEAD)"
[ -z "$(git -C "$root" status --porcelain -- '*.java' '*.xml')" ] || new_sha="$new_sha+changes"
log "stream-ab: building $old_sha in a worktree, and this checkout ($new_sha) ..."
git -C "$root" worktree add --detach -q "$old_tree" "$old_commit"
"$old_tree/bin/baton" --version >&2
"$root/bin/baton" --version >&2
"$jdk/bin/javac" -d "$work/probe" "$root/bench/LoadProbe.java"
probe=("$java" -XX:+UseSerialGC -cp "$work/probe" LoadProbe)

# ------------------------------------------------------------------------------------------ upstream
# The same fixed stream bench/load.sh serves: a POST is refused with 405 and error_page answers the file.
mkdir -p "$work/nginx" "$work/files"
cp "$root/bench/data/chat-stream.sse" "$work/files/chat-stream.sse"
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
daemon on;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$upstream_port;
    location = /stream/v1/chat/completions { error_page 405 =200 /files/chat-stream.sse; return 405; }
    location /files/ {
      internal;
      alias $work/files/;
      types { text/event-stream sse; }
      etag off;
    }
  }
}
EOF
"$nginx_bin" -c "$work/nginx.conf" -e "$work/nginx/error.log"

# ------------------------------------------------------------------------------------------ gateways
master_key="sk-admin-bench-$(date +%s%N)"
auth="Authorization: Bearer $master_key"
body="$work/chat-stream.json"
sed -e 's/"model":"bench"/"model":"bench-stream","stream":true/' "$root/bench/data/chat-request.json" > "$body"

start_gateway() { # name tree port: sets gateway_pid
  cat > "$work/$1.yaml" <<EOF
server: {host: 127.0.0.1, port: $3, master_key: $master_key}
models:
  - {name: bench-stream, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/stream/v1"}
EOF
  (cd "$work" && exec "$2/bin/baton" serve --config "$work/$1.yaml") > "$work/$1.log" 2>&1 &
  gateway_pid=$!
  pids+=("$gateway_pid")
}
start_gateway old "$old_tree" "$old_port"; old_pid=$gateway_pid
start_gateway new "$root" "$new_port"; new_pid=$gateway_pid

url() { echo "http://127.0.0.1:$1/v1/chat/completions"; }
for port in "$old_port" "$new_port"; do
  deadline=$((SECONDS + 60))
  until "${probe[@]}" stream "$(url "$port")" "$body" 1 0 "$auth" > /dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { log "stream-ab: the gateway on $port never answered"; tail -20 "$work"/*.log >&2; exit 1; }
    sleep 0.2
  done
done

# The JVM's own pid is the serve process's (bin/baton execs java).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Warm both until their compiler threads go quiet, so C2 compiling beside a round is not what is measured.
for name in old new; do
  port_var="${name}_port"; pid_var="${name}_pid"
  for _ in 1 2 3 4 5 6; do
    before="$(jit_ticks "${!pid_var}")"
    "${probe[@]}" stream "$(url "${!port_var}")" "$body" 3000 0 "$auth" > /dev/null
    [ $(( $(jit_ticks "${!pid_var}") - before )) -le 5 ] && break
  done
done

declare -A first p99 spread cpu
measure() { # name port pid
  local t0 t1 out="$work/$1-round.txt"
  t0="$(cpu_ticks "$3")"
  "${probe[@]}" stream "$(url "$2")" "$body" "$streams" 200 "$auth" > "$out"
  t1="$(cpu_ticks "$3")"
  first[$1]+=" $(awk '/^first_event_us/ { split($2, kv, "="); print kv[2] }' "$out")"
  p99[$1]+=" $(awk '/^first_event_us/ { split($4, kv, "="); print kv[2] }' "$out")"
  spread[$1]+=" $(awk '/^first_to_last_us/ { split($2, kv, "="); print kv[2] }' "$out")"
  # ticks are 10 ms; the 200 warm-up streams are counted too
  cpu[$1]+=" $(awk -v d=$((t1 - t0)) -v n=$((streams + 200)) 'BEGIN { printf "%.1f", d * 10000 / n }')"
}
for ((round = 1; round <= rounds; round++)); do
  log "stream-ab: round $round of $rounds ..."
  if ((round % 2)); then measure old "$old_port" "$old_pid"; measure new "$new_port" "$new_pid"
  else measure new "$new_port" "$new_pid"; measure old "$old_port" "$old_pid"; fi
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

say "bench/stream-ab.sh $(date -u '+%Y-%m-%d %H:%M UTC'): $old_sha (old) against $new_sha (new); $rounds alternating rounds of"
say "$streams sequential streams of $(grep -c '^data:' "$root/bench/data/chat-stream.sse") events each, one connection; medians of the rounds (microseconds)."
say "$(printf '%-6s %16s %16s %16s %16s' build 'first event p50' 'first event p99' 'first→last p50' 'CPU per stream')"
for name in old new; do
  say "$(printf '%-6s %16s %16s %16s %16s' "$name" "$(median ${first[$name]})" "$(median ${p99[$name]})" "$(median ${spread[$name]})" "$(median ${cpu[$name]})")"
done
say "$(printf '%-6s %16s %16s %16s %16s' 'new/old' \
  "$(ratio "$(median ${first[new]})" "$(median ${first[old]})")" "$(ratio "$(median ${p99[new]})" "$(median ${p99[old]})")" \
  "$(ratio "$(median ${spread[new]})" "$(median ${spread[old]})")" "$(ratio "$(median ${cpu[new]})" "$(median ${cpu[old]})")")"
say "rounds: old first${first[old]} | new first${first[new]}"
say "        old cpu${cpu[old]} | new cpu${cpu[new]}"
