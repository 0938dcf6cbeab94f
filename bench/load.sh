#!/usr/bin/env bash
# bench/load.sh — the side-by-side load benchmark, in one run on one machine, all on loopback:
#
#   1. a fast fake upstream: nginx serving a fixed OpenAI chat completion (and a fixed SSE stream);
#   2. wrk at 1, 32 and 256 connections against the upstream directly, through a reference proxy (a second
#      nginx with proxy_pass: the ceiling for any proxy hop here), through a bare Java proxy with Baton's
#      threading model and none of its work (LoadProbe proxy), through Baton's request path behind a
#      minimal HTTP/1.1 front door instead of the gateway's (FrontDoorProbe: what the front door costs),
#      through Baton (bin/baton serve) and through the Portkey gateway from npm (@portkey-ai/gateway,
#      installed in a temporary folder), with the CPU time per request of each process that is not wrk's;
#   3. streaming: time to the first chunk and from the first to the last chunk, direct vs through Baton
#      (and Portkey), and that chunks of a slow stream are forwarded as they arrive;
#   3b. the Responses API passed through to a deployment that speaks it (responses_api: native), plain and
#      streamed, direct to nginx (r-direct) and through Baton (r-baton): its overhead beside chat's;
#   4. a fresh Baton: time from `bin/baton serve` to the first answered request (the median of three starts),
#      then its peak RSS while it holds 1,000 streams open at once from a slow upstream;
#   5. Anthropic's Messages API passed through (`/v1/messages` to an `anthropic` deployment, the same
#      conversation as the chat body): wrk direct and through Baton beside the chat targets, and streamed,
#      so the passthrough's cost per request is read against chat's from the same run;
#   6. the virtual-key path: the same Baton, the same chat requests, with a virtual key (a team, rpm, tpm and
#      a budget on both; spend logging on) instead of the master key — target "baton-key" beside "baton".
#   7. the response cache's hit path (baton-hit): the same chat body to a model the cache covers, so every
#      request after the first is answered from Baton's local cache, against the upstream answering
#      directly (the upstream's own throughput) and against Baton passing the request through.
#
# Usage: bench/load.sh [--quick]     (as root: installs nginx and wrk from Debian's packages if missing)
#   --quick              one round of 5 s runs instead of three (a smoke test of the script)
#   BATON_JAVA_OPTS=...  JVM flags for Baton instead of bin/baton's defaults
#   BENCH_PROFILE=1      records a JFR profile of Baton during the wrk runs (bench/results/*.jfr)
#   BENCH_DURATION=N     seconds per wrk run (default 6)
#   BENCH_ROUNDS=N       rounds of the whole connections x targets matrix (default 3); each figure is the
#                        median of its rounds, so a few seconds of noise on a shared machine move no ratio
#   BENCH_SKIP_PORTKEY=1 leaves the Portkey gateway out
#   BENCH_WARM_MAX=N     the most seconds of JIT warm-up per Java target (default 90; a smoke run may cut it)
# Everything it starts is stopped on exit; results are printed and kept in bench/results/load-<time>.txt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

duration="${BENCH_DURATION:-6}"
rounds="${BENCH_ROUNDS:-3}"
[ "${1:-}" = "--quick" ] && duration=5 && rounds=1
connections=(1 32 256)
base_port="${BENCH_PORT_BASE:-18430}"
upstream_port=$((base_port + 1))
trickle_port=$((base_port + 2))
baton_port=$((base_port + 3))
portkey_port=$((base_port + 4))
proxy_port=$((base_port + 5))
bare_port=$((base_port + 6))
frontdoor_port=$((base_port + 7))
portkey_version="${PORTKEY_VERSION:-1.15.2}"
portkey_dir="${BENCH_PORTKEY_DIR:-/tmp/baton-bench-portkey-$portkey_version}"

results="$root/bench/results"
mkdir -p "$results"
stamp="$(date +%Y%m%d-%H%M%S)"
report="$results/load-$stamp.txt"
work="$(mktemp -d /tmp/baton-load.XXXXXX)"
chmod 755 "$work" # nginx workers (www-data) read the answers from here
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -f "$work/proxy.pid" ] && kill "$(cat "$work/proxy.pid")" 2>/dev/null || true
  [ "${BENCH_KEEP:-0}" = 1 ] && log "load: kept $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*" | tee -a "$report" >&2; }
log() { printf '%s\n' "$*" >&2; }

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# ------------------------------------------------------------------------------------------ tools
need_apt=()
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "load: installing ${need_apt[*]} from Debian's packages ..."
  if [ "$(id -u)" -ne 0 ]; then log "load: run as root, or install ${need_apt[*]} first"; exit 1; fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

log "load: building Baton and the probe ..."
# bin/baton builds the gateway when it is missing or stale; done here so no build is timed later.
"$root/bin/baton" --version >&2
"$jdk/bin/javac" -d "$work/probe" "$root/bench/LoadProbe.java"
# The gateway's jar names its dependencies in its manifest, so it is the whole class path.
"$jdk/bin/javac" -cp "$root/baton-server/target/baton-server.jar" -d "$work/frontdoor" "$root/bench/FrontDoorProbe.java"
probe=("$java" -XX:+UseSerialGC -cp "$work/probe" LoadProbe)

run_portkey=1
[ "${BENCH_SKIP_PORTKEY:-0}" = 1 ] && run_portkey=0
if [ "$run_portkey" = 1 ] && [ ! -f "$portkey_dir/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
  command -v npm >/dev/null 2>&1 || { log "load: npm is missing; set BENCH_SKIP_PORTKEY=1 or install Node.js"; exit 1; }
  log "load: installing @portkey-ai/gateway@$portkey_version into $portkey_dir ..."
  mkdir -p "$portkey_dir"
  (cd "$portkey_dir" && npm install --no-audit --no-fund --loglevel=error "@portkey-ai/gateway@$portkey_version") >&2
fi

# ------------------------------------------------------------------------------------------ upstream
# nginx answers POST /v1/chat/completions with a fixed completion and POST /stream/v1/chat/completions
# with a fixed SSE stream (24 events and [DONE]), with keep-alive. nginx serves files only to GET, so a
# POST is refused with 405 and error_page turns that into the file's content with a 200 (an internal
# redirect, which nginx makes a GET); the files are small and stay in the page cache.
mkdir -p "$work/nginx" "$work/files"
cp "$root/bench/data/chat-response.json" "$work/files/chat.json"
cp "$root/bench/data/chat-stream.sse" "$work/files/chat-stream.sse"
cp "$root/bench/data/responses-response.json" "$work/files/responses.json"
cp "$root/bench/data/responses-stream.sse" "$work/files/responses-stream.sse"
cp "$root/bench/data/messages-response.json" "$work/files/messages.json"
cp "$root/bench/data/messages-stream.sse" "$work/files/messages-stream.sse"
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
daemon on;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$upstream_port reuseport backlog=4096;
    location = /v1/chat/completions {
      error_page 405 =200 /files/chat.json;
      return 405;
    }
    location = /stream/v1/chat/completions {
      error_page 405 =200 /files/chat-stream.sse;
      return 405;
    }
    location = /v1/responses {
      error_page 405 =200 /files/responses.json;
      return 405;
    }
    location = /stream/v1/responses {
      error_page 405 =200 /files/responses-stream.sse;
      return 405;
    }
    location = /v1/messages {
      error_page 405 =200 /files/messages.json;
      return 405;
    }
    location = /stream/v1/messages {
      error_page 405 =200 /files/messages-stream.sse;
      return 405;
    }
    location /files/ {
      internal;
      alias $work/files/;
      types { application/json json; text/event-stream sse; }
      etag off;
      add_header Cache-Control no-cache;
    }
  }
}
EOF
"$nginx_bin" -c "$work/nginx.conf" -e "$work/nginx/error.log"

# A reference proxy: a second nginx (its own process, one worker, as Baton is one process) passing
# every request to the upstream over pooled keep-alive connections. It does nothing a gateway does
# (no JSON, no routing), so its throughput is the ceiling for any proxy hop on this machine.
mkdir -p "$work/proxy"
cat > "$work/proxy.conf" <<EOF
worker_processes 1;
daemon on;
pid $work/proxy.pid;
error_log $work/proxy/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $work/proxy/body;
  proxy_temp_path $work/proxy/proxy;
  fastcgi_temp_path $work/proxy/fastcgi;
  uwsgi_temp_path $work/proxy/uwsgi;
  scgi_temp_path $work/proxy/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  upstream origin { server 127.0.0.1:$upstream_port; keepalive 512; keepalive_requests 10000000; }
  server {
    listen 127.0.0.1:$proxy_port backlog=4096;
    client_body_buffer_size 64k;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
"$nginx_bin" -c "$work/proxy.conf" -e "$work/proxy/error.log"

"${probe[@]}" trickle "$trickle_port" 20 500 > "$work/trickle.log" 2>&1 &
pids+=($!)

# A second reference: a bare proxy in Java with Baton's threading model (a virtual thread per connection,
# blocking sockets, pooled upstream connections) and none of its work (no HTTP library, JSON or routing).
# Between it and Baton lies what Baton's own work costs; between it and nginx, what the model costs.
"${probe[@]}" proxy "$bare_port" "$upstream_port" > "$work/bare.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")

# ------------------------------------------------------------------------------------------ Baton
master_key="sk-admin-bench-$(date +%s%N)"
master_auth="Authorization: Bearer $master_key"
# Every request to Baton carries the master key (or, for baton-key, a virtual key). bench is priced, so every
# answer's cost is worked out and counted against the virtual key's budget. Keys, teams and the request log
# live in an embedded SQLite file under the work folder (data_dir defaults to the config's folder).
cat > "$work/baton.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $baton_port
  master_key: $master_key
models:
  - {name: bench, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/v1",
     input_cost_per_mtok: 0.15, output_cost_per_mtok: 0.60}
  - {name: bench-stream, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/stream/v1"}
  - {name: bench-trickle, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$trickle_port/v1"}
  - {name: bench-responses, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/v1", responses_api: native}
  - {name: bench-responses-stream, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/stream/v1", responses_api: native}
  - {name: bench-messages, provider: anthropic, model: claude-haiku-4-5, api_key: sk-ant-bench, api_base: "http://127.0.0.1:$upstream_port"}
  - {name: bench-messages-stream, provider: anthropic, model: claude-haiku-4-5, api_key: sk-ant-bench, api_base: "http://127.0.0.1:$upstream_port/stream"}
  - {name: bench-cached, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:$upstream_port/v1"}
cache: # only bench-cached: every other target bypasses it
  type: local
  ttl: 60m
  scope: global
  models: [bench-cached]
EOF
body="$work/chat.json"
cp "$root/bench/data/chat-request.json" "$body"
stream_body="$work/chat-stream.json"
sed -e 's/"model":"bench"/"model":"bench-stream","stream":true/' "$body" > "$stream_body"
trickle_body="$work/chat-trickle.json"
sed -e 's/"model":"bench"/"model":"bench-trickle","stream":true/' "$body" > "$trickle_body"
# The same conversation as a Responses API request (instructions, input items, a function tool); the client
# leaves store at its default, true, so Baton also stores each response as the SDKs' users get it.
responses_body="$work/responses.json"
cp "$root/bench/data/responses-request.json" "$responses_body"
responses_stream_body="$work/responses-stream.json"
sed -e 's/"model":"bench-responses"/"model":"bench-responses-stream","stream":true/' "$responses_body" > "$responses_stream_body"
cached_body="$work/chat-cached.json"
sed -e 's/"model":"bench"/"model":"bench-cached"/' "$body" > "$cached_body"
messages_body="$work/messages.json"
cp "$root/bench/data/messages-request.json" "$messages_body"
messages_stream_body="$work/messages-stream.json"
sed -e 's/"model":"bench-messages"/"model":"bench-messages-stream","stream":true/' "$messages_body" > "$messages_stream_body"

baton_opts_env=()
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  jfr="$results/baton-$stamp.jfr"
  baton_opts_env=(BATON_EXTRA_JAVA_OPTS="-XX:StartFlightRecording=filename=$jfr,settings=profile,dumponexit=true")
fi

start_baton() { # starts bin/baton serve in the background; sets baton_pid
  env "${baton_opts_env[@]}" "$root/bin/baton" serve --config "$work/baton.yaml" > "$work/baton-$1.log" 2>&1 &
  baton_pid=$!
  pids+=("$baton_pid")
}

wait_http() { # url body [header...]: until it answers 200, at most 60 s
  local url="$1" data="$2" deadline=$((SECONDS + 60))
  shift 2
  local hdr=()
  for h in "$@"; do hdr+=(-H "$h"); done
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "${hdr[@]}" --data-binary "@$data" "$url" 2>/dev/null)" = 200 ]; do
    [ $SECONDS -lt $deadline ] || { log "load: $url never answered 200"; return 1; }
    sleep 0.05
  done
}

start_baton main
# Baton's request path (reader, router, OpenAI provider, writer) behind a minimal HTTP/1.1 front door, with
# bin/baton's heap flags: between it and Baton lies what the gateway's front door (Helidon, metrics, the
# access log) costs; between it and the bare proxy, what Baton's own work costs.
"$java" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:GCTimeRatio=4 \
  -cp "$work/frontdoor:$root/baton-server/target/baton-server.jar" FrontDoorProbe "$frontdoor_port" "$work/baton.yaml" \
  > "$work/frontdoor.log" 2>&1 &
frontdoor_pid=$!
pids+=("$frontdoor_pid")
wait_http "http://127.0.0.1:$baton_port/v1/chat/completions" "$body" "$master_auth"
# The virtual key of the "baton-key" target: in a team, both with an rpm, a tpm and a budget (none of them
# reached in the run, so every request is checked, counted and logged, and none refused).
admin() { # method path json: the admin API's answer
  curl -s -X "$1" "http://127.0.0.1:$baton_port$2" -H "$master_auth" -H 'Content-Type: application/json' \
    --data-binary "$3"
}
team_id="$(admin POST /admin/teams '{"name": "bench-team", "rpm": 1000000000, "tpm": 1000000000000,
  "max_budget_usd": 1000000, "budget_duration": "30d"}' | sed -n 's/.*"id":"\(team_[^"]*\)".*/\1/p')"
virtual_key="$(admin POST /admin/keys "{\"name\": \"bench-key\", \"team_id\": \"$team_id\", \"models\": [\"bench\"],
  \"rpm\": 1000000000, \"tpm\": 1000000000000, \"max_budget_usd\": 1000000, \"budget_duration\": \"1d\"}" \
  | sed -n 's/.*"key":"\(sk-baton-[^"]*\)".*/\1/p')"
[ -n "$virtual_key" ] || { log "load: could not create the virtual key (team: '$team_id')"; exit 1; }
wait_http "http://127.0.0.1:$baton_port/v1/chat/completions" "$body" "Authorization: Bearer $virtual_key"
wait_http "http://127.0.0.1:$baton_port/v1/messages" "$messages_body" "$master_auth"
wait_http "http://127.0.0.1:$bare_port/v1/chat/completions" "$body"
wait_http "http://127.0.0.1:$frontdoor_port/v1/chat/completions" "$body"
wait_http "http://127.0.0.1:$baton_port/v1/responses" "$responses_body" "$master_auth"
wait_http "http://127.0.0.1:$baton_port/v1/chat/completions" "$cached_body" "$master_auth" # stores the entry every hit reads
[ "$(curl -s -o /dev/null -D - -H 'Content-Type: application/json' -H "$master_auth" --data-binary "@$cached_body" \
  "http://127.0.0.1:$baton_port/v1/chat/completions" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-baton-cache" { print $2 }')" = hit ] \
  || { log "load: the cached body is not answered from the cache"; exit 1; }
baton_java_pid="$(pgrep -P "$baton_pid" java || echo "$baton_pid")"

portkey_headers=("x-portkey-provider: openai" "x-portkey-custom-host: http://127.0.0.1:$upstream_port/v1" "Authorization: Bearer sk-bench")
portkey_stream_headers=("x-portkey-provider: openai" "x-portkey-custom-host: http://127.0.0.1:$upstream_port/stream/v1" "Authorization: Bearer sk-bench")
if [ "$run_portkey" = 1 ]; then
  (cd "$portkey_dir" && NODE_ENV=production exec node node_modules/@portkey-ai/gateway/build/start-server.js \
    --port="$portkey_port" --headless) > "$work/portkey.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$portkey_port/v1/chat/completions" "$body" "${portkey_headers[@]}"
fi

# ------------------------------------------------------------------------------------------ wrk
cat > "$work/post.lua" <<'EOF'
wrk.method = "POST"
local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local extra = os.getenv("WRK_HEADERS") or ""
for name, value in string.gmatch(extra, "([^:|]+):%s*([^|]+)") do
  wrk.headers[name] = value
end
EOF

to_ms() { # wrk's "123.45us" / "1.23ms" / "1.02s" in milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000
    printf "%.3f", n }'
}

declare -A rps p50 p99 errs rps_all p50_all p99_all cpu_all user_all sys_all upstream_all wrk_all
cpu_ticks() { # "user system" CPU ticks of a process so far, or nothing
  if [ -n "${1:-}" ]; then awk '{ print $14, $15 }' "/proc/$1/stat" 2>/dev/null || true; fi
}
per_request() { # ticks-before ticks-after requests: microseconds of CPU per request, "all user kernel"
  awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" -v n="$3" \
    'BEGIN { split(a, x, " "); split(b, y, " "); u = (y[1] - x[1]) * 1e6 / hz / n; s = (y[2] - x[2]) * 1e6 / hz / n
             printf "%.1f %.1f %.1f", u + s, u, s }'
}
pid_of() { # the process serving a target, for its CPU time per request
  case "$1" in
    baton|baton-key|r-baton|baton-messages|baton-hit) echo "${baton_java_pid:-}" ;;
    proxy) pgrep -P "$(cat "$work/proxy.pid")" nginx | head -1 || true ;;
    bare) echo "$bare_pid" ;;
    frontdoor) echo "$frontdoor_pid" ;;
  esac
}
upstream_worker="$(pgrep -P "$(cat "$work/nginx.pid")" nginx | head -1 || true)"
run_wrk() { # target conns url headers(|-separated) seconds [record]
  local target="$1" c="$2" url="$3" headers="$4" secs="$5" out threads=2 pid ticks0 ticks1 up0 up1 wrk_cpu
  [ "$c" -lt 2 ] && threads=1
  pid="$(pid_of "$target")"
  ticks0="$(cpu_ticks "$pid")"
  up0="$(cpu_ticks "$upstream_worker")"
  # wrk's own CPU time too (bash's `time`: user and system seconds of the command), because the machine's
  # two cores are shared: what wrk and the upstream spend per request counts against every target.
  out="$( { TIMEFORMAT='WRK_CPU %U %S'; time WRK_BODY="$(body_of "$target")" WRK_HEADERS="$headers" \
    wrk -t"$threads" -c"$c" -d"${secs}s" --timeout 10s --latency -s "$work/post.lua" "$url"; } 2>&1)"
  ticks1="$(cpu_ticks "$pid")"
  up1="$(cpu_ticks "$upstream_worker")"
  [ "${6:-}" = record ] || return 0
  local n
  n="$(awk '/requests in/ { print $1 }' <<< "$out")"
  if [ -n "$ticks0" ] && [ -n "$ticks1" ]; then # microseconds of CPU per request: all, user, kernel
    local all u k
    read -r all u k <<< "$(per_request "$ticks0" "$ticks1" "$n")"
    cpu_all[$target,$c]+=" $all"; user_all[$target,$c]+=" $u"; sys_all[$target,$c]+=" $k"
  fi
  if [ -n "$up0" ] && [ -n "$up1" ]; then
    read -r all _ <<< "$(per_request "$up0" "$up1" "$n")"
    upstream_all[$target,$c]+=" $all"
  fi
  wrk_cpu="$(awk -v n="$n" '$1 == "WRK_CPU" { printf "%.1f", ($2 + $3) * 1e6 / n }' <<< "$out")"
  [ -n "$wrk_cpu" ] && wrk_all[$target,$c]+=" $wrk_cpu"
  printf '%s\n' "--- $target, $c connections" "$out" >> "$report.wrk"
  local r l50 l99 e
  r="$(awk '/^Requests\/sec:/ { print $2 }' <<< "$out")"
  l50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<< "$out")")"
  l99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<< "$out")")"
  e="$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<< "$out")"
  rps_all[$target,$c]+=" $r"
  p50_all[$target,$c]+=" $l50"
  p99_all[$target,$c]+=" $l99"
  errs[$target,$c]=$(( ${errs[$target,$c]:-0} + e ))
  log "  $target c=$c: $r req/s, p50 $l50 ms, p99 $l99 ms, errors $e"
}

median() { # the median of its arguments (the lower middle one of an even count)
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

direct_url="http://127.0.0.1:$upstream_port/v1/chat/completions"
baton_url="http://127.0.0.1:$baton_port/v1/chat/completions"
portkey_url="http://127.0.0.1:$portkey_port/v1/chat/completions"
proxy_url="http://127.0.0.1:$proxy_port/v1/chat/completions"
bare_url="http://127.0.0.1:$bare_port/v1/chat/completions"
frontdoor_url="http://127.0.0.1:$frontdoor_port/v1/chat/completions"
r_direct_url="http://127.0.0.1:$upstream_port/v1/responses"
r_baton_url="http://127.0.0.1:$baton_port/v1/responses"
direct_messages_url="http://127.0.0.1:$upstream_port/v1/messages"
baton_messages_url="http://127.0.0.1:$baton_port/v1/messages"
targets=(direct proxy bare frontdoor baton baton-key r-direct r-baton direct-messages baton-messages baton-hit)
[ "$run_portkey" = 1 ] && targets+=(portkey)
url_of() { case "$1" in direct) echo "$direct_url" ;; proxy) echo "$proxy_url" ;; bare) echo "$bare_url" ;; frontdoor) echo "$frontdoor_url" ;; baton|baton-key|baton-hit) echo "$baton_url" ;; r-direct) echo "$r_direct_url" ;; r-baton) echo "$r_baton_url" ;; direct-messages) echo "$direct_messages_url" ;; baton-messages) echo "$baton_messages_url" ;; portkey) echo "$portkey_url" ;; esac; }
body_of() { case "$1" in r-*) echo "$responses_body" ;; *-messages) echo "$messages_body" ;; baton-hit) echo "$cached_body" ;; *) echo "$body" ;; esac; }
headers_of() {
  case "$1" in
    portkey) (IFS='|'; echo "${portkey_headers[*]}") ;;
    baton|r-baton|baton-messages|baton-hit) echo "$master_auth" ;;
    baton-key) echo "Authorization: Bearer $virtual_key" ;;
    *) echo "" ;;
  esac
}

say "Baton load benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(uname -r)"
say "JDK: $("$java" -version 2>&1 | head -1); Baton JVM flags: ${BATON_JAVA_OPTS:-bin/baton defaults}"
say "nginx: $("$nginx_bin" -v 2>&1 | sed 's/.*: //'); wrk: $(wrk -v 2>&1 | head -1 | awk '{ print $2 }'); node: $(node --version 2>/dev/null || echo none); Portkey gateway: $([ "$run_portkey" = 1 ] && echo "$portkey_version" || echo skipped)"
say "wrk: ${duration} s per run after a warm-up; request body $(wc -c < "$body") bytes, answer $(wc -c < "$root/bench/data/chat-response.json") bytes" \
  "(the Messages body $(wc -c < "$messages_body") bytes, its answer $(wc -c < "$root/bench/data/messages-response.json") bytes)"
log "load: warming up ..."
for target in "${targets[@]}"; do
  run_wrk "$target" 32 "$(url_of "$target")" "$(headers_of "$target")" 5
done
# Baton (and the front-door probe, the same code) is measured in its steady state: the JIT compiles the hot
# path during the first 20-30 s under load, on the same two cores, which would otherwise be counted as the
# gateway's own cost. Warm up in 5 s slices until the JIT threads used under 2% of a core in one (at most 90 s).
warm_up() { # target pid: prints the seconds it took
  local warm=0 before
  while [ "$warm" -lt "${BENCH_WARM_MAX:-90}" ]; do
    before="$(jit_ticks "$2")"
    run_wrk "$1" 32 "$(url_of "$1")" "$(headers_of "$1")" 5
    warm=$((warm + 5))
    [ $(( $(jit_ticks "$2") - before )) -lt 10 ] && break # ticks are 1/100 s: under 0.1 s of 5 s
  done
  echo "$warm"
}
warm_frontdoor="$(warm_up frontdoor "$frontdoor_pid")"
warm="$(warm_up baton "$baton_java_pid")"
warm_key="$(warm_up baton-key "$baton_java_pid")"
warm_responses="$(warm_up r-baton "$baton_java_pid")"
warm_messages="$(warm_up baton-messages "$baton_java_pid")"
warm_hit="$(warm_up baton-hit "$baton_java_pid")"
say "Baton warmed up for ${warm} s at 32 connections (with the virtual key ${warm_key} s more, its Responses path ${warm_responses} s more, its Messages path ${warm_messages} s more, its cache-hit path ${warm_hit} s more, the front-door probe ${warm_frontdoor} s), until its JIT compiler threads were idle"
log "load: measuring ($rounds rounds) ..."
: > "$report.wrk"
for round in $(seq "$rounds"); do
  for c in "${connections[@]}"; do
    for target in "${targets[@]}"; do
      # Portkey answers under a thousand requests a second; one round of it says as much as three.
      [ "$target" = portkey ] && [ "$round" -gt 1 ] && continue
      run_wrk "$target" "$c" "$(url_of "$target")" "$(headers_of "$target")" "$duration" record
    done
  done
done
# What the key path recorded meanwhile (written behind, within a second): its spend and its rows in the log.
sleep 2
key_spend="$(curl -s "http://127.0.0.1:$baton_port/admin/spend?group_by=key" -H "$master_auth" | tr -d '\n')"
for key in "${!rps_all[@]}"; do
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  rps[$key]="$(median ${rps_all[$key]})"; p50[$key]="$(median ${p50_all[$key]})"; p99[$key]="$(median ${p99_all[$key]})"
done

# ------------------------------------------------------------------------------------------ streaming
log "load: streaming ..."
n_stream=2000
"${probe[@]}" stream "http://127.0.0.1:$upstream_port/stream/v1/chat/completions" "$stream_body" "$n_stream" 500 > "$work/stream-direct.txt"
"${probe[@]}" stream "$baton_url" "$stream_body" "$n_stream" 500 "$master_auth" > "$work/stream-baton.txt"
portkey_stream=0
if [ "$run_portkey" = 1 ]; then
  # Best effort: Portkey 1.15.2 on Node 20 answers streamed requests with a 500 ("immutable" headers).
  if "${probe[@]}" stream "$portkey_url" "$stream_body" 500 100 "${portkey_stream_headers[@]}" > "$work/stream-portkey.txt" 2>&1; then
    portkey_stream=1
  else
    portkey_stream_error="$(grep -m1 -o 'status [0-9]*.*' "$work/stream-portkey.txt" | head -c 160)"
  fi
fi
"${probe[@]}" stream "http://127.0.0.1:$upstream_port/stream/v1/responses" "$responses_stream_body" "$n_stream" 500 > "$work/stream-r-direct.txt"
"${probe[@]}" stream "$r_baton_url" "$responses_stream_body" "$n_stream" 500 "$master_auth" > "$work/stream-r-baton.txt"
"${probe[@]}" stream "http://127.0.0.1:$upstream_port/stream/v1/messages" "$messages_stream_body" "$n_stream" 500 > "$work/stream-direct-messages.txt"
"${probe[@]}" stream "$baton_messages_url" "$messages_stream_body" "$n_stream" 500 "$master_auth" > "$work/stream-baton-messages.txt"
# The slow upstream: 20 chunks 500 ms apart. Forwarded as they arrive, chunk k reaches the client at about
# k x 500 ms; a gateway that buffered would deliver them together at the end.
"${probe[@]}" stream "http://127.0.0.1:$trickle_port/v1/chat/completions" "$trickle_body" 3 0 > "$work/trickle-direct.txt"
"${probe[@]}" stream "$baton_url" "$trickle_body" 3 0 "$master_auth" > "$work/trickle-baton.txt"

field() { # file line-prefix key
  awk -v k="$3" -v p="$2" '$1 == p { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$1"
}
events="$(awk '/^requests=/ { split($2, kv, "="); print kv[2] }' "$work/stream-direct.txt")"

# ------------------------------------------------------------------------------------------ fresh Baton
log "load: restarting Baton: time to first answer, then 1,000 open streams ..."
# Three fresh starts, each timed to its first answer; the median is the figure (one start on a shared
# machine can take twice as long as the next). The last one stays up for the 1,000 streams.
startups=()
for start in 1 2 3; do
  kill "$baton_pid" 2>/dev/null || true
  wait "$baton_pid" 2>/dev/null || true
  sleep 1
  t0="$(date +%s%N)"
  start_baton "fresh-$start"
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H "$master_auth" --data-binary "@$body" "$baton_url" 2>/dev/null)" = 200 ]; do
    sleep 0.01
    [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 60 ] || { log "load: Baton did not answer within 60 s"; exit 1; }
  done
  startups+=($(( ($(date +%s%N) - t0) / 1000000 )))
done
startup_ms="$(printf '%s\n' "${startups[@]}" | sort -n | sed -n 2p)"
baton_java_pid="$(pgrep -P "$baton_pid" java || echo "$baton_pid")"
rss_idle_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$baton_java_pid/status")"
# A short warm-up of the streaming path, then 1,000 at once.
"${probe[@]}" stream "http://127.0.0.1:$baton_port/v1/chat/completions" "$stream_body" 200 0 "$master_auth" > /dev/null
rss_warm_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$baton_java_pid/status")"
"${probe[@]}" hold "$baton_url" "$trickle_body" 1000 "$master_auth" > "$work/hold.txt" &
hold_pid=$!
pids+=("$hold_pid")
rss_max_kb=0
threads_max=0
while kill -0 "$hold_pid" 2>/dev/null; do
  rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$baton_java_pid/status" 2>/dev/null || echo 0)"
  thr="$(awk '/^Threads:/ { print $2 }' "/proc/$baton_java_pid/status" 2>/dev/null || echo 0)"
  [ "$rss" -gt "$rss_max_kb" ] && rss_max_kb="$rss"
  [ "$thr" -gt "$threads_max" ] && threads_max="$thr"
  sleep 0.2
done
wait "$hold_pid" || true
hwm_kb="$(awk '/^VmHWM:/ { print $2 }' "/proc/$baton_java_pid/status")"

# ------------------------------------------------------------------------------------------ report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
mark() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { if (v == "n/a") print "n/a"; else if ((dir == "le" && v + 0 <= t + 0) || (dir == "ge" && v + 0 >= t + 0)) print "met"; else print "NOT met" }'; }

say ""
say "Non-streamed requests: chat completions, and the Responses API for r-direct and r-baton (wrk --latency, ${duration} s each, the median of $rounds rounds; latency in ms)"
say "$(printf '%-14s %6s %12s %10s %10s %8s' target conns 'req/s' p50 p99 errors)"
for c in "${connections[@]}"; do
  for target in "${targets[@]}"; do
    say "$(printf '%-14s %6s %12s %10s %10s %8s' "$target" "$c" "${rps[$target,$c]}" "${p50[$target,$c]}" "${p99[$target,$c]}" "${errs[$target,$c]}")"
  done
done
say "Each round's req/s at 32 connections:$(for t in "${targets[@]}"; do printf ' %s%s;' "$t" "${rps_all[$t,32]}"; done)"
# shellcheck disable=SC2086
cpu_of() { echo "$(median ${cpu_all[$1,32]}) us ($(median ${user_all[$1,32]}) user + $(median ${sys_all[$1,32]}) kernel)"; }
say "CPU time per request at 32 connections (from /proc; median of the rounds): nginx as a proxy $(cpu_of proxy)," \
  "bare Java proxy $(cpu_of bare), Baton's path behind the minimal front door $(cpu_of frontdoor), Baton $(cpu_of baton)"
# The two cores are shared, so a target's throughput is bounded by all the CPU a request costs: wrk's,
# the upstream's and the target's own. A heavier proxy also makes the other two dearer (less batching
# per wake-up, colder caches), which this shows.
# shellcheck disable=SC2086
whole() { # target: "wrk + upstream + target = total" in microseconds at 32 connections
  local w u t
  w="$(median ${wrk_all[$1,32]})"; u="$(median ${upstream_all[$1,32]})"
  t="$( [ "$1" = direct ] && echo 0 || median ${cpu_all[$1,32]})"
  awk -v w="$w" -v u="$u" -v t="$t" -v d="$1" 'BEGIN {
    if (d == "direct") printf "%.1f + %.1f = %.1f", w, u, w + u; else printf "%.1f + %.1f + %.1f = %.1f", w, u, t, w + u + t }'
}
say "CPU time of a request at 32 connections, all of it (us; wrk + upstream nginx [+ the target] = total; median of the rounds):" \
  "$(for t in direct proxy bare frontdoor baton; do printf ' %s %s;' "$t" "$(whole "$t")"; done)"

added_p50="$(minus "${p50[baton,1]}" "${p50[direct,1]}")"
added_p99="$(minus "${p99[baton,1]}" "${p99[direct,1]}")"
tput_direct="$(ratio "${rps[baton,32]}" "${rps[direct,32]}")"
say ""
say "Baton vs direct: added latency at 1 connection p50 ${added_p50} ms, p99 ${added_p99} ms"
say "                 throughput at 32 connections: ${tput_direct} x direct"
for c in "${connections[@]}"; do
  say "                 throughput at $c connections: $(ratio "${rps[baton,$c]}" "${rps[direct,$c]}") x direct"
done
key_tput="$(ratio "${rps[baton-key,32]}" "${rps[baton,32]}")"
key_p50="$(minus "${p50[baton-key,1]}" "${p50[baton,1]}")"
# shellcheck disable=SC2086
say "Virtual key vs master key (the same Baton and requests; the key and its team with rpm, tpm and a budget, every"
say "                 request checked, counted, priced and logged): added at 1 connection p50 ${key_p50} ms," \
  "p99 $(minus "${p99[baton-key,1]}" "${p99[baton,1]}") ms"
for c in "${connections[@]}"; do
  say "                 throughput at $c connections: $(ratio "${rps[baton-key,$c]}" "${rps[baton,$c]}") x the master key"
done
say "                 Baton's CPU per request at 32 connections: master key $(median ${cpu_all[baton,32]}) us," \
  "virtual key $(median ${cpu_all[baton-key,32]}) us"
say "                 the request log after the runs (/admin/spend?group_by=key): $key_spend"
say "Reference proxy (nginx proxy_pass, keep-alive): throughput at 32 connections $(ratio "${rps[proxy,32]}" "${rps[direct,32]}") x direct;" \
  "added at 1 connection p50 $(minus "${p50[proxy,1]}" "${p50[direct,1]}") ms, p99 $(minus "${p99[proxy,1]}" "${p99[direct,1]}") ms;" \
  "Baton/reference at 32 connections $(ratio "${rps[baton,32]}" "${rps[proxy,32]}")"
say "Bare Java proxy (virtual threads, no HTTP library, JSON or routing): throughput at 32 connections" \
  "$(ratio "${rps[bare,32]}" "${rps[direct,32]}") x direct; added at 1 connection p50 $(minus "${p50[bare,1]}" "${p50[direct,1]}") ms"
say "Baton's path behind a minimal front door (FrontDoorProbe, no Helidon, metrics or access log): throughput at 32" \
  "connections $(ratio "${rps[frontdoor,32]}" "${rps[direct,32]}") x direct; added at 1 connection p50" \
  "$(minus "${p50[frontdoor,1]}" "${p50[direct,1]}") ms; Baton/probe at 32 connections $(ratio "${rps[baton,32]}" "${rps[frontdoor,32]}")"
# The Responses API passed through: Baton's own cost per request beside chat's, the same upstream nginx, the
# same conversation; each protocol's throughput against nginx answering that protocol directly.
# shellcheck disable=SC2086
r_cpu="$(median ${cpu_all[r-baton,32]})"; chat_cpu="$(median ${cpu_all[baton,32]})"
r_cpu_ratio="$(ratio "$r_cpu" "$chat_cpu")"
r_tput="$(ratio "${rps[r-baton,32]}" "${rps[r-direct,32]}")"
say "Responses API passed through (responses_api: native) beside chat: throughput at 32 connections ${r_tput} x direct" \
  "(chat ${tput_direct}); Baton's CPU per request ${r_cpu} us (chat ${chat_cpu} us): ${r_cpu_ratio} x chat's;" \
  "added at 1 connection p50 $(minus "${p50[r-baton,1]}" "${p50[r-direct,1]}") ms (chat ${added_p50} ms)"
if [ "$run_portkey" = 1 ]; then
  tput_portkey="$(ratio "${rps[baton,32]}" "${rps[portkey,32]}")"
  say "Baton vs Portkey: throughput at 32 connections: ${tput_portkey} x Portkey"
  for c in "${connections[@]}"; do
    say "                  throughput at $c connections: $(ratio "${rps[baton,$c]}" "${rps[portkey,$c]}") x Portkey;" \
      "Portkey added p50 $(minus "${p50[portkey,$c]}" "${p50[direct,$c]}") ms"
  done
else
  tput_portkey="n/a"
fi

fd_d="$(field "$work/stream-direct.txt" first_event_us p50)"; fd_b="$(field "$work/stream-baton.txt" first_event_us p50)"
fd_d99="$(field "$work/stream-direct.txt" first_event_us p99)"; fd_b99="$(field "$work/stream-baton.txt" first_event_us p99)"
sp_d="$(field "$work/stream-direct.txt" first_to_last_us p50)"; sp_b="$(field "$work/stream-baton.txt" first_to_last_us p50)"
ev_b="$(awk '/^requests=/ { split($2, kv, "="); print kv[2] }' "$work/stream-baton.txt")"
added_first_ms="$(awk -v a="$fd_b" -v b="$fd_d" 'BEGIN { printf "%.3f", (a - b) / 1000 }')"
per_chunk_us="$(awk -v a="$sp_b" -v b="$sp_d" -v n="$ev_b" 'BEGIN { if (n > 1) printf "%.1f", (a - b) / (n - 1); else print "n/a" }')"
say ""
say "Streaming ($n_stream streamed requests one after another; a fixed stream of $(grep -c '^data:' "$root/bench/data/chat-stream.sse") events from nginx; microseconds)"
say "$(printf '%-8s %14s %14s %18s' target 'first p50' 'first p99' 'first->last p50')"
say "$(printf '%-8s %14s %14s %18s' direct "$fd_d" "$fd_d99" "$sp_d")"
say "$(printf '%-8s %14s %14s %18s' baton "$fd_b" "$fd_b99" "$sp_b")"
if [ "$portkey_stream" = 1 ]; then
  say "$(printf '%-8s %14s %14s %18s' portkey "$(field "$work/stream-portkey.txt" first_event_us p50)" "$(field "$work/stream-portkey.txt" first_event_us p99)" "$(field "$work/stream-portkey.txt" first_to_last_us p50)")"
fi
[ "$run_portkey" = 1 ] && [ "$portkey_stream" = 0 ] && say "portkey  streaming failed: ${portkey_stream_error:-see its log}"
say "Added time to first chunk (p50): ${added_first_ms} ms; added per chunk (first->last, p50): ${per_chunk_us} us"
rfd_d="$(field "$work/stream-r-direct.txt" first_event_us p50)"; rfd_b="$(field "$work/stream-r-baton.txt" first_event_us p50)"
rsp_d="$(field "$work/stream-r-direct.txt" first_to_last_us p50)"; rsp_b="$(field "$work/stream-r-baton.txt" first_to_last_us p50)"
rev_b="$(awk '/^requests=/ { split($2, kv, "="); print kv[2] }' "$work/stream-r-baton.txt")"
say "$(printf '%-8s %14s %14s %18s' r-direct "$rfd_d" "$(field "$work/stream-r-direct.txt" first_event_us p99)" "$rsp_d")"
say "$(printf '%-8s %14s %14s %18s' r-baton "$rfd_b" "$(field "$work/stream-r-baton.txt" first_event_us p99)" "$rsp_b")"
say "Responses API passed through, streamed ($(grep -c '^event:' "$root/bench/data/responses-stream.sse") events): added time to" \
  "first event (p50) $(awk -v a="$rfd_b" -v b="$rfd_d" 'BEGIN { printf "%.3f", (a - b) / 1000 }') ms;" \
  "added per event $(awk -v a="$rsp_b" -v b="$rsp_d" -v n="$rev_b" 'BEGIN { if (n > 1) printf "%.1f", (a - b) / (n - 1); else print "n/a" }') us"
say "Slow upstream (20 chunks 500 ms apart): first->last direct $(field "$work/trickle-direct.txt" first_to_last_us p50) us," \
  "through Baton $(field "$work/trickle-baton.txt" first_to_last_us p50) us (forwarded as they arrive if both are ~10 s)"

# The Messages passthrough against chat's passthrough, both measured in this run: what Baton itself spends
# on a request (its CPU per request at 32 connections) and what it adds to the latency of one.
# shellcheck disable=SC2086
cpu_chat="$(median ${cpu_all[baton,32]})"; cpu_messages="$(median ${cpu_all[baton-messages,32]})"
messages_cpu_ratio="$(ratio "$cpu_messages" "$cpu_chat")"
fdm_d="$(field "$work/stream-direct-messages.txt" first_event_us p50)"; fdm_b="$(field "$work/stream-baton-messages.txt" first_event_us p50)"
spm_d="$(field "$work/stream-direct-messages.txt" first_to_last_us p50)"; spm_b="$(field "$work/stream-baton-messages.txt" first_to_last_us p50)"
evm_b="$(awk '/^requests=/ { split($2, kv, "="); print kv[2] }' "$work/stream-baton-messages.txt")"
say ""
say "Anthropic Messages passed through (/v1/messages to an anthropic deployment) against chat passed through"
say "  Baton's CPU per request at 32 connections: messages ${cpu_messages} us, chat ${cpu_chat} us: ${messages_cpu_ratio} x chat's"
say "  throughput at 32 connections: messages $(ratio "${rps[baton-messages,32]}" "${rps[direct-messages,32]}") x its direct," \
  "chat ${tput_direct} x its direct"
say "  added latency at 1 connection p50: messages $(minus "${p50[baton-messages,1]}" "${p50[direct-messages,1]}") ms," \
  "chat ${added_p50} ms; p99: messages $(minus "${p99[baton-messages,1]}" "${p99[direct-messages,1]}") ms, chat ${added_p99} ms"
say "  streamed: added time to first event (p50) messages $(awk -v a="$fdm_b" -v b="$fdm_d" 'BEGIN { printf "%.3f", (a - b) / 1000 }') ms," \
  "chat ${added_first_ms} ms; added per event messages $(awk -v a="$spm_b" -v b="$spm_d" -v n="$evm_b" 'BEGIN { if (n > 1) printf "%.1f", (a - b) / (n - 1); else print "n/a" }') us," \
  "chat ${per_chunk_us} us"

# The cache's hit path: the same chat body, answered from the local cache without an upstream call, against
# the upstream answering it directly and against Baton passing it through to that upstream.
# shellcheck disable=SC2086
cpu_hit="$(median ${cpu_all[baton-hit,32]})"
hit_vs_direct="$(ratio "${rps[baton-hit,32]}" "${rps[direct,32]}")"
hit_vs_baton="$(ratio "${rps[baton-hit,32]}" "${rps[baton,32]}")"
say ""
say "Cache hits (baton-hit: the chat body to a cached model, every request answered from the local cache)"
say "  throughput at 32 connections: ${rps[baton-hit,32]} req/s, ${hit_vs_direct} x the upstream's own (direct)," \
  "${hit_vs_baton} x Baton passing it through; at 256 connections $(ratio "${rps[baton-hit,256]}" "${rps[direct,256]}") x direct"
say "  Baton's CPU per request at 32 connections: hit ${cpu_hit} us, passthrough ${cpu_chat} us;" \
  "latency at 1 connection p50 ${p50[baton-hit,1]} ms (direct ${p50[direct,1]} ms, through Baton ${p50[baton,1]} ms)"

say ""
say "Fresh Baton: bin/baton serve to the first answered request: ${startup_ms} ms (median of three starts: ${startups[*]} ms)"
say "RSS: idle after start $((rss_idle_kb / 1024)) MB, after a warm-up $((rss_warm_kb / 1024)) MB;" \
  "holding 1,000 streams: peak sampled $((rss_max_kb / 1024)) MB, VmHWM $((hwm_kb / 1024)) MB; threads at most $threads_max"
say "1,000 streams: $(tr '\n' ' ' < "$work/hold.txt")"

peak_mb=$((hwm_kb / 1024))
say ""
say "Targets"
say "$(printf '%-52s %-14s %s' target measured verdict)"
say "$(printf '%-52s %-14s %s' 'throughput >= 0.5 x direct at 32 connections' "$tput_direct" "$(mark "$tput_direct" 0.5 ge)")"
say "$(printf '%-52s %-14s %s' 'throughput >= 20 x Portkey at 32 connections' "$tput_portkey" "$(mark "$tput_portkey" 20 ge)")"
say "$(printf '%-52s %-14s %s' 'added p50 at 1 connection <= 0.15 ms' "$added_p50 ms" "$(mark "$added_p50" 0.15 le)")"
say "$(printf '%-52s %-14s %s' 'added p99 at 1 connection <= 1 ms' "$added_p99 ms" "$(mark "$added_p99" 1 le)")"
say "$(printf '%-52s %-14s %s' 'added time to first chunk <= 1 ms' "$added_first_ms ms" "$(mark "$added_first_ms" 1 le)")"
say "$(printf '%-52s %-14s %s' '1,000 concurrent streams in <= 300 MB RSS' "$peak_mb MB" "$(mark "$peak_mb" 300 le)")"
say "$(printf '%-52s %-14s %s' 'start to first answer <= 2 s' "$startup_ms ms" "$(mark "$startup_ms" 2000 le)")"
say "$(printf '%-52s %-14s %s' 'Responses passthrough CPU/request <= 1.05 x chat' "$r_cpu_ratio" "$(mark "$r_cpu_ratio" 1.05 le)")"
say "$(printf '%-52s %-14s %s' 'Messages passthrough CPU/request <= 1.05 x chat' "$messages_cpu_ratio" "$(mark "$messages_cpu_ratio" 1.05 le)")"
say "$(printf '%-52s %-14s %s' 'virtual key: throughput >= 0.90 x master key at 32' "$key_tput" "$(mark "$key_tput" 0.90 ge)")"
say "$(printf '%-52s %-14s %s' 'virtual key: added p50 at 1 connection <= 0.1 ms' "$key_p50 ms" "$(mark "$key_p50" 0.1 le)")"
say "$(printf '%-52s %-14s %s' 'cache hits >= 2 x direct (the upstream) at 32 conns' "$hit_vs_direct" "$(mark "$hit_vs_direct" 2 ge)")"
say "$(printf '%-52s %-14s %s' 'cache hits >= 2 x Baton passing through, 32 conns' "$hit_vs_baton" "$(mark "$hit_vs_baton" 2 ge)")"
say ""
say "report: ${report#$root/} (wrk's own output beside it: ${report#$root/}.wrk)"
