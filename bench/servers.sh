#!/usr/bin/env bash
# bench/servers.sh — what an HTTP server costs a request on its own, for the front-door question in
# BENCHMARKS.md: Helidon SE (the gateway's, set up as the gateway sets it up) against Jetty 12 (the swap
# design.md allows), each answering bench/load.sh's chat request with the fixed 760-byte answer and no
# other work (bench/ServerProbe.java). Both run side by side; after a warm-up, 6 s wrk runs at 32
# connections alternate between them, and each server's CPU time per request is read from /proc.
#
# Usage: bench/servers.sh [ROUNDS]   (default 5; needs wrk; Jetty's jars come from Maven Central)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rounds="${1:-5}"
jetty_version=12.1.13
helidon_port=18701
jetty_port=18702
work="$(mktemp -d /tmp/baton-servers.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "bench/servers.sh: needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }

"$root/bin/baton" --version >&2 # builds the gateway's jar, whose manifest names Helidon's jars
for artifact in jetty-server jetty-http jetty-io jetty-util; do
  mvn -B -q dependency:copy -Dartifact="org.eclipse.jetty:$artifact:$jetty_version" -DoutputDirectory="$work/jetty" >&2
done
cp="$work/classes:$root/baton-server/target/baton-server.jar:$(printf '%s:' "$work"/jetty/*.jar)"
"$jdk/bin/javac" -cp "$cp" -d "$work/classes" "$root/bench/ServerProbe.java"

answer="$root/bench/data/chat-response.json"
"$java" -XX:+UseG1GC -cp "$cp" ServerProbe helidon "$helidon_port" "$answer" > "$work/helidon.log" 2>&1 &
pids+=($!); helidon_pid=$!
"$java" -XX:+UseG1GC -cp "$cp" ServerProbe jetty "$jetty_port" "$answer" > "$work/jetty.log" 2>&1 &
pids+=($!); jetty_pid=$!

cat > "$work/post.lua" <<EOF
wrk.method = "POST"
local f = assert(io.open("$root/bench/data/chat-request.json", "rb"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
EOF
url() { echo "http://127.0.0.1:$1/v1/chat/completions"; }
for port in "$helidon_port" "$jetty_port"; do
  until curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary "@$root/bench/data/chat-request.json" "$(url "$port")"; do
    sleep 0.1
  done
done

one() { # name port pid: one 6 s run; prints "req/s cpu-us-per-request"
  local t0 t1 out n
  t0="$(awk '{ print $14 + $15 }' "/proc/$3/stat")"
  out="$(wrk -t2 -c32 -d6s -s "$work/post.lua" "$(url "$2")")"
  t1="$(awk '{ print $14 + $15 }' "/proc/$3/stat")"
  n="$(awk '/requests in/ { print $1 }' <<< "$out")"
  awk -v r="$(awk '/^Requests\/sec:/ { print $2 }' <<< "$out")" -v d="$((t1 - t0))" -v n="$n" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.0f %.1f\n", r, d * 1e6 / hz / n }'
}
echo "servers: warming up each for 20 s ..." >&2
wrk -t2 -c32 -d20s -s "$work/post.lua" "$(url "$helidon_port")" > /dev/null
wrk -t2 -c32 -d20s -s "$work/post.lua" "$(url "$jetty_port")" > /dev/null

helidon_cpu=(); jetty_cpu=(); helidon_rps=(); jetty_rps=()
for round in $(seq "$rounds"); do
  read -r r c < <(one helidon "$helidon_port" "$helidon_pid"); helidon_rps+=("$r"); helidon_cpu+=("$c")
  read -r r c < <(one jetty "$jetty_port" "$jetty_pid"); jetty_rps+=("$r"); jetty_cpu+=("$c")
  echo "round $round: Helidon ${helidon_rps[-1]} req/s, ${helidon_cpu[-1]} us a request; Jetty ${jetty_rps[-1]} req/s, ${jetty_cpu[-1]} us a request"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "median CPU time per request at 32 connections: Helidon SE $(median "${helidon_cpu[@]}") us, Jetty $jetty_version $(median "${jetty_cpu[@]}") us"
