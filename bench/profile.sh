#!/usr/bin/env bash
# bench/profile.sh — where Baton spends its time under load: nginx as the upstream (as in bench/load.sh),
# Baton under a profiler, wrk for a while; then Baton's CPU time per request (user and kernel, from
# /proc) and the profiler's views.
#
#   bench/profile.sh [CONNECTIONS] [SECONDS] [stream|messages|hit]   (defaults: 32 connections, 30 s, chat
#                                                       non-streamed; messages: /v1/messages passed through
#                                                       to an anthropic deployment, as load.sh's baton-messages;
#                                                       hit: every request answered from the local cache)
#   BENCH_PLATFORM=1 bench/profile.sh ...               the gateway as bench/load.sh's "baton" target runs it:
#                                                       a master key, so the embedded database and the
#                                                       request log are on, and a priced deployment
#   PROFILER=async bench/profile.sh 32 10               async-profiler instead of JFR: CPU samples with
#                                                       kernel frames, taken only after a warm-up, summed
#                                                       up by bench/stacks.py (EVENT=alloc for allocations)
#
# JFR's recording is kept in bench/results/profile-<time>.jfr (`jfr view`, `jfr print`, JMC); async-profiler's
# stacks in bench/results/profile-<time>.collapsed and a flame graph beside them (.html). async-profiler
# comes from Maven Central (tools.profiler:async-profiler), fetched into the local Maven repository.
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
stamp="$(date +%Y%m%d-%H%M%S)"
jfr="$results/profile-$stamp.jfr"
profiler="${PROFILER:-jfr}"
if [ "$profiler" = async ]; then
  ap_version=4.2
  ap_jar="$HOME/.m2/repository/tools/profiler/async-profiler/$ap_version/async-profiler-$ap_version.jar"
  [ -f "$ap_jar" ] || mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$ap_version" >&2
  ap_dir="$HOME/.cache/baton-bench/async-profiler-$ap_version"
  [ -f "$ap_dir/linux-x64/libasyncProfiler.so" ] || (mkdir -p "$ap_dir" && cd "$ap_dir" && "$jdk/bin/jar" xf "$ap_jar")
  ap_lib="$ap_dir/linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/libasyncProfiler.so"
fi
work="$(mktemp -d /tmp/baton-profile.XXXXXX)"
chmod 755 "$work"
baton_pid=""
cleanup() {
  set +e # everything below is best effort, and all of it must run: a leftover nginx holds the port
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
cp "$root/bench/data/messages-response.json" "$work/files/messages.json"
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
    location = /v1/messages { error_page 405 =200 /files/messages.json; return 405; }
    location /files/ { internal; alias $work/files/; types { application/json json; text/event-stream sse; } etag off; }
  }
}
EOF
"$(command -v nginx || echo /usr/sbin/nginx)" -c "$work/nginx.conf" -e "$work/nginx/error.log"

master_key=""
prices=""
if [ "${BENCH_PLATFORM:-0}" = 1 ]; then
  master_key="sk-admin-bench-$(date +%s%N)"
  prices=", input_cost_per_mtok: 0.15, output_cost_per_mtok: 0.60"
fi
cat > "$work/baton.yaml" <<EOF
server: {host: 127.0.0.1, port: $baton_port${master_key:+, master_key: $master_key}}
models:
  - {name: bench, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/v1"$prices}
  - {name: bench-stream, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/stream/v1"}
  - {name: bench-messages, provider: anthropic, model: claude-haiku-4-5, api_key: sk-ant-bench, api_base: "http://127.0.0.1:$upstream_port"}
  - {name: bench-cached, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/v1"$prices}
cache: {type: local, ttl: 60m, scope: global, models: [bench-cached]}
EOF
body="$work/chat.json"
route=/v1/chat/completions
if [ "$mode" = stream ]; then
  sed -e 's/"model":"bench"/"model":"bench-stream","stream":true/' "$root/bench/data/chat-request.json" > "$body"
elif [ "$mode" = hit ]; then
  sed -e 's/"model":"bench"/"model":"bench-cached"/' "$root/bench/data/chat-request.json" > "$body"
elif [ "$mode" = messages ]; then
  cp "$root/bench/data/messages-request.json" "$body"
  route=/v1/messages
else
  cp "$root/bench/data/chat-request.json" "$body"
fi
recording=""
[ "$profiler" = jfr ] && recording="-XX:StartFlightRecording=filename=$jfr,settings=profile"
BATON_EXTRA_JAVA_OPTS="$recording" "$root/bin/baton" serve --config "$work/baton.yaml" > "$work/baton.log" 2>&1 &
baton_pid=$!
auth=(-H "Authorization: Bearer ${master_key:-none}")
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "${auth[@]}" --data-binary "@$body" "http://127.0.0.1:$baton_port$route")" = 200 ]; do
  sleep 0.1
done
cat > "$work/post.lua" <<'EOF'
wrk.method = "POST"
local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_KEY")
EOF
url="http://127.0.0.1:$baton_port$route"
# Warm up until the JIT compiler threads are idle (as bench/load.sh does), so the profile is of the
# steady state and not of C2 compiling on the same two cores.
for _ in $(seq 18); do
  before="$(jit_ticks "$baton_pid")"
  WRK_KEY="${master_key:-none}" WRK_BODY="$body" wrk -t2 -c"$c" -d5s -s "$work/post.lua" "$url" > /dev/null
  [ $(( $(jit_ticks "$baton_pid") - before )) -lt 10 ] && break
done
if [ "$profiler" = async ]; then
  # jcmd reads key=value words as its own options: the agent's option string goes in quotes.
  "$jdk/bin/jcmd" "$baton_pid" JVMTI.agent_load "$ap_lib" "\"start,event=${EVENT:-cpu},cstack=vm,interval=1ms\"" > /dev/null
fi
switches() { # voluntary and involuntary context switches of all of Baton's threads so far
  cat /proc/"$baton_pid"/task/*/status 2>/dev/null \
    | awk '/^voluntary_ctxt_switches/ { v += $2 } /^nonvoluntary_ctxt_switches/ { n += $2 } END { print v, n }'
}
read -r user0 sys0 < <(awk '{ print $14, $15 }' "/proc/$baton_pid/stat")
read -r vol0 invol0 < <(switches)
out="$(WRK_KEY="${master_key:-none}" WRK_BODY="$body" wrk -t2 -c"$c" -d"${secs}s" --latency -s "$work/post.lua" "$url")"
read -r user1 sys1 < <(awk '{ print $14, $15 }' "/proc/$baton_pid/stat")
read -r vol1 invol1 < <(switches)
echo "$out"
requests="$(awk '/requests in/ { print $1 }' <<< "$out")"
awk -v u=$((user1 - user0)) -v s=$((sys1 - sys0)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {
  printf "Baton CPU per request: %.1f us user + %.1f us kernel = %.1f us\n", u * 1e6 / hz / n, s * 1e6 / hz / n, (u + s) * 1e6 / hz / n }'
awk -v v=$((vol1 - vol0)) -v i=$((invol1 - invol0)) -v n="$requests" 'BEGIN {
  printf "Baton context switches per request: %.2f voluntary (parking), %.2f involuntary (preempted)\n", v / n, i / n }'
if [ "$profiler" = async ]; then
  stacks="$results/profile-$stamp.collapsed"
  "$jdk/bin/jcmd" "$baton_pid" JVMTI.agent_load "$ap_lib" "\"dump,file=$stacks,collapsed\"" > /dev/null
  "$jdk/bin/jcmd" "$baton_pid" JVMTI.agent_load "$ap_lib" "\"stop,file=${stacks%.collapsed}.html\"" > /dev/null
else
  # Dump while it runs: at exit the recording can be lost to the shutdown's own work (the CDS archive dump).
  "$jdk/bin/jcmd" "$baton_pid" JFR.dump filename="$jfr" > /dev/null
fi
kill "$baton_pid"
wait "$baton_pid" 2>/dev/null || true
baton_pid=""
if [ "$profiler" = async ]; then
  [ "${EVENT:-cpu}" = cpu ] && python3 "$root/bench/stacks.py" "$stacks" OpenAiRequestReader OpenAiResponseReader \
    Http1Client.exchange Gateway.sendAnswer Router.call
  echo "stacks: ${stacks#$root/}"
  exit 0
fi
for view in hot-methods allocation-by-class contention-by-site gc; do
  "$jdk/bin/jfr" view --width 200 "$view" "$jfr" 2>/dev/null || true
done
echo "recording: ${jfr#$root/}"
