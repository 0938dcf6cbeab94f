#!/usr/bin/env bash
# bench/shared.sh — what sharing state through Redis costs, and what several instances give, in one run on
# one machine, all on loopback (bench/load.sh runs it last; it also runs alone):
#
#   1. one gateway with its state local versus the same gateway with `redis: url:` (a redis-server of its
#      own): wrk at 1 and 32 connections; a deployment with rpm and tpm limits, so every request claims
#      from the shared rpm window, counts its tokens in the shared tpm window and may ask for the circuit;
#      throughput ratio (target >= 0.90 x local) and added p50 at 1 connection (target <= 0.2 ms);
#   2. three gateways sharing one Redis behind one load generator (an nginx round-robin balancer in front,
#      wrk behind it) versus one gateway behind the same balancer: aggregate requests per second.
#
# Usage: bench/shared.sh [--quick]   (as root: installs nginx, wrk and redis-server if missing)
#   --quick             5 s runs and one round (a smoke test of the script)
#   BENCH_DURATION=N    seconds per wrk run (default 8)
#   BENCH_ROUNDS=N      rounds of each comparison (default 3); each figure is the median of its rounds
#   BENCH_WARM=N        seconds of warm-up per gateway before measuring (default 20)
#   BENCH_SHARED_PART=instances   only the second part (one vs three gateways)
# On a machine with two cores, three gateways, nginx, Redis, the upstream and wrk share those two cores:
# the three-instance figure there says what sharing costs, not what more machines would give.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

duration="${BENCH_DURATION:-8}"
rounds="${BENCH_ROUNDS:-3}"
warm="${BENCH_WARM:-20}"
[ "${1:-}" = "--quick" ] && duration=5 && rounds=1 && warm=5
base_port="${BENCH_SHARED_PORT_BASE:-18530}"
upstream_port=$((base_port + 1))
redis_port=$((base_port + 2))
balancer_port=$((base_port + 3))
gateway_ports=($((base_port + 4)) $((base_port + 5)) $((base_port + 6)))

results="$root/bench/results"
mkdir -p "$results"
report="$results/shared-$(date +%Y%m%d-%H%M%S).txt"
work="$(mktemp -d /tmp/baton-shared.XXXXXX)"
chmod 755 "$work"
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for f in upstream.pid balancer.pid; do
    [ -f "$work/$f" ] && kill "$(cat "$work/$f")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*" | tee -a "$report" >&2; }
log() { printf '%s\n' "$*" >&2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

need_apt=()
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "shared: installing ${need_apt[*]} from Debian's packages ..."
  if [ "$(id -u)" -ne 0 ]; then log "shared: run as root, or install ${need_apt[*]} first"; exit 1; fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

log "shared: building Baton ..."
"$root/bin/baton" --version >&2

# ------------------------------------------------------------------------------------------ servers
# The upstream: nginx answering every POST /v1/chat/completions with a fixed completion (see load.sh).
mkdir -p "$work/upstream" "$work/files" "$work/balancer"
cp "$root/bench/data/chat-response.json" "$work/files/chat.json"
nginx_common="access_log off; keepalive_requests 10000000; keepalive_timeout 300s;"
cat > "$work/upstream.conf" <<EOF
worker_processes 1;
daemon on;
pid $work/upstream.pid;
error_log $work/upstream/error.log warn;
events { worker_connections 8192; }
http {
  $nginx_common
  client_body_temp_path $work/upstream/body;
  proxy_temp_path $work/upstream/proxy;
  fastcgi_temp_path $work/upstream/fastcgi;
  uwsgi_temp_path $work/upstream/uwsgi;
  scgi_temp_path $work/upstream/scgi;
  server {
    listen 127.0.0.1:$upstream_port reuseport backlog=4096;
    location = /v1/chat/completions { error_page 405 =200 /files/chat.json; return 405; }
    location /files/ { internal; alias $work/files/; types { application/json json; } etag off; }
  }
}
EOF
"$nginx_bin" -c "$work/upstream.conf" -e "$work/upstream/error.log"

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize no \
  --loglevel warning > "$work/redis.log" 2>&1 &
redis_pid=$!
pids+=($!)

body="$work/chat.json"
cp "$root/bench/data/chat-request.json" "$body"

write_config() { # file port with-redis
  {
    printf 'server:\n  host: 127.0.0.1\n  port: %s\n' "$2"
    [ "$3" = yes ] && printf 'redis:\n  url: redis://127.0.0.1:%s\n' "$redis_port"
    printf 'models:\n  - {name: bench, provider: openai-compatible, model: gpt-4o-mini, api_base: "http://127.0.0.1:%s/v1", rpm: 1000000000, tpm: 2000000000}\n' "$upstream_port"
  } > "$1"
}

gateway_pids=()
start_gateway() { # name port with-redis
  write_config "$work/$1.yaml" "$2" "$3"
  "$root/bin/baton" serve --config "$work/$1.yaml" > "$work/$1.log" 2>&1 &
  pids+=($!)
  gateway_pids+=($!)
  local deadline=$((SECONDS + 60))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$body" \
      "http://127.0.0.1:$2/v1/chat/completions" 2>/dev/null)" = 200 ]; do
    [ $SECONDS -lt $deadline ] || { log "shared: the gateway $1 never answered; its log:"; cat "$work/$1.log" >&2; exit 1; }
    sleep 0.05
  done
}

stop_gateways() {
  local pid
  for pid in "${gateway_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${gateway_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  gateway_pids=()
}

balance() { # ports...: nginx round-robin over these gateways on $balancer_port, restarted
  [ -f "$work/balancer.pid" ] && kill "$(cat "$work/balancer.pid")" 2>/dev/null && sleep 0.5
  local servers="" port
  for port in "$@"; do servers+="server 127.0.0.1:$port; "; done
  cat > "$work/balancer.conf" <<EOF
worker_processes 1;
daemon on;
pid $work/balancer.pid;
error_log $work/balancer/error.log warn;
events { worker_connections 8192; }
http {
  $nginx_common
  client_body_temp_path $work/balancer/body;
  proxy_temp_path $work/balancer/proxy;
  fastcgi_temp_path $work/balancer/fastcgi;
  uwsgi_temp_path $work/balancer/uwsgi;
  scgi_temp_path $work/balancer/scgi;
  upstream gateways { $servers keepalive 512; keepalive_requests 10000000; }
  server {
    listen 127.0.0.1:$balancer_port backlog=4096;
    client_body_buffer_size 64k;
    location / { proxy_pass http://gateways; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
  "$nginx_bin" -c "$work/balancer.conf" -e "$work/balancer/error.log"
}

# ------------------------------------------------------------------------------------------ wrk
cat > "$work/post.lua" <<'EOF'
wrk.method = "POST"
local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
EOF

to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000; printf "%.3f", n }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
mark() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { if (v == "n/a") print "n/a"; else if ((dir == "le" && v + 0 <= t + 0) || (dir == "ge" && v + 0 >= t + 0)) print "met"; else print "NOT met" }'; }

declare -A rps_all p50_all p99_all errors
run_wrk() { # label connections url seconds [record]
  local threads=2 out
  [ "$2" -lt 2 ] && threads=1
  out="$(WRK_BODY="$body" wrk -t"$threads" -c"$2" -d"$4s" --timeout 10s --latency -s "$work/post.lua" "$3" 2>&1)"
  [ "${5:-}" = record ] || return 0
  local r l50 l99 e
  r="$(awk '/^Requests\/sec:/ { print $2 }' <<< "$out")"
  l50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<< "$out")")"
  l99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<< "$out")")"
  e="$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<< "$out")"
  rps_all[$1,$2]+=" $r"; p50_all[$1,$2]+=" $l50"; p99_all[$1,$2]+=" $l99"
  errors[$1,$2]=$(( ${errors[$1,$2]:-0} + e ))
  log "  $1 c=$2: $r req/s, p50 $l50 ms, p99 $l99 ms, errors $e"
}

redis_calls() { # every command Redis has run so far
  redis-cli -p "$redis_port" info commandstats | awk -F'[=,]' '/^cmdstat_/ { n += $2 } END { print n + 0 }'
}
redis_cpu() { awk '{ print $14 + $15 }' "/proc/$redis_pid/stat"; }
declare -A redis_per_request
run_counted() { # label connections url: run_wrk ... record, and Redis's commands and CPU per request beside it
  local calls0 cpu0 calls1 cpu1 requests
  calls0="$(redis_calls)"; cpu0="$(redis_cpu)"
  run_wrk "$1" "$2" "$3" "$duration" record
  calls1="$(redis_calls)"; cpu1="$(redis_cpu)"
  requests="$(awk -v r="${rps_all[$1,$2]##* }" -v d="$duration" 'BEGIN { printf "%d", r * d }')"
  redis_per_request[$1,$2]+=" $(awk -v c=$((calls1 - calls0)) -v t=$((cpu1 - cpu0)) -v n="$requests" \
    'BEGIN { printf "%.3f/%.1f", c / n, t * 10000 / n }')"
}

# ------------------------------------------------------------------------------------------ 1. local vs redis
say "Shared state: one gateway local vs the same with redis: (deployment rpm/tpm counted in the cluster's windows)"
say "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, ${duration}s runs, $rounds round(s), ${warm}s warm-up per gateway"
[ "${BENCH_SHARED_PART:-all}" = instances ] && only_instances=1 || only_instances=0
for round in $(seq 1 "$((only_instances ? 0 : rounds))"); do
  for mode in local redis; do
    stop_gateways
    start_gateway "$mode" "${gateway_ports[0]}" "$([ "$mode" = redis ] && echo yes || echo no)"
    run_wrk "$mode" 32 "http://127.0.0.1:${gateway_ports[0]}/v1/chat/completions" "$warm"
    for c in 1 32; do
      run_counted "$mode" "$c" "http://127.0.0.1:${gateway_ports[0]}/v1/chat/completions"
    done
  done
done
stop_gateways

# ------------------------------------------------------------------------------------------ 2. 1 vs 3 instances
say ""
say "Instances behind one balancer (nginx round robin), all sharing one Redis: 64 connections"
# x3-alone: the same three gateways without redis: (each its own state), so what three JVMs on these cores
# cost is told apart from what sharing through Redis costs.
for round in $(seq 1 "$rounds"); do
  for setup in x1 x3 x3-alone; do
    stop_gateways
    n="${setup:1:1}"
    for i in $(seq 0 $((n - 1))); do
      start_gateway "instance$i" "${gateway_ports[$i]}" "$([ "$setup" = x3-alone ] && echo no || echo yes)"
    done
    balance "${gateway_ports[@]:0:$n}"
    run_wrk "$setup" 64 "http://127.0.0.1:$balancer_port/v1/chat/completions" "$warm"
    run_counted "$setup" 64 "http://127.0.0.1:$balancer_port/v1/chat/completions"
  done
done
stop_gateways

# ------------------------------------------------------------------------------------------ report
say ""
say "$(printf '%-40s %12s %10s %10s %8s  %s' target 'req/s' 'p50 ms' 'p99 ms' errors 'Redis commands/CPU us per request')"
for key in local,1 redis,1 local,32 redis,32 x1,64 x3,64 x3-alone,64; do
  label="${key%,*}"; c="${key#*,}"
  case "$label" in local) name="one gateway, local" ;; redis) name="one gateway, redis" ;; x1) name="one gateway behind the balancer" ;; x3) name="three gateways behind the balancer" ;; x3-alone) name="three gateways, no redis (each alone)" ;; esac
  say "$(printf '%-40s %12s %10s %10s %8s %s' "$name, c=$c" "$(median ${rps_all[$key]})" "$(median ${p50_all[$key]})" \
    "$(median ${p99_all[$key]})" "${errors[$key]:-0}" "${redis_per_request[$key]:-}")"
done
tput_ratio="$(ratio "$(median ${rps_all[redis,32]})" "$(median ${rps_all[local,32]})")"
added_p50="$(minus "$(median ${p50_all[redis,1]})" "$(median ${p50_all[local,1]})")"
added_p99="$(minus "$(median ${p99_all[redis,1]})" "$(median ${p99_all[local,1]})")"
scale="$(ratio "$(median ${rps_all[x3,64]})" "$(median ${rps_all[x1,64]})")"
say ""
say "redis vs local: throughput at 32 connections ${tput_ratio} x; added at 1 connection p50 ${added_p50} ms, p99 ${added_p99} ms"
say "three instances vs one behind the balancer: ${scale} x the requests per second; three without Redis vs one:" \
  "$(ratio "$(median ${rps_all[x3-alone,64]})" "$(median ${rps_all[x1,64]})") x (what three JVMs on these cores cost, Redis aside)"
say ""
say "Targets"
say "$(printf '%-52s %-14s %s' 'redis throughput >= 0.90 x local at 32 connections' "$tput_ratio" "$(mark "$tput_ratio" 0.90 ge)")"
say "$(printf '%-52s %-14s %s' 'redis added p50 at 1 connection <= 0.2 ms' "$added_p50 ms" "$(mark "$added_p50" 0.2 le)")"
say ""
say "report: ${report#$root/}"
