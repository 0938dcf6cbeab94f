#!/usr/bin/env bash
# bench/start.sh [STARTS] — time from `bin/baton serve` to its first answered request, on a mock model,
# with and without a master key (the key opens the embedded database and its migrations first); each start
# on a fresh data folder. Prints one line per start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
starts="${1:-3}"
port="${BENCH_PORT_BASE:-18790}"
work="$(mktemp -d /tmp/baton-start.XXXXXX)"
trap 'pkill -f "$work/" 2>/dev/null || true; rm -rf "$work"' EXIT
key=sk-admin-start-bench-123456
printf 'server: {host: 127.0.0.1, port: %s}\nmodels:\n  - {name: m, provider: mock, model: m}\n' "$port" > "$work/nokey.yaml"
printf 'server: {host: 127.0.0.1, port: %s, master_key: %s}\nmodels:\n  - {name: m, provider: mock, model: m}\n' \
  "$port" "$key" > "$work/key.yaml"
"$root/bin/baton" --version > /dev/null # builds first when stale, so no build is timed
for _ in $(seq "$starts"); do
  for cfg in nokey key; do
    rm -rf "$work/baton-data"
    t0=$(date +%s%N)
    "$root/bin/baton" serve --config "$work/$cfg.yaml" > "$work/$cfg.log" 2>&1 &
    pid=$!
    until curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        -d '{"model":"m","messages":[{"role":"user","content":"hi"}]}' "http://127.0.0.1:$port/v1/chat/completions" \
        2>/dev/null | grep -q 200; do
      sleep 0.02
    done
    echo "$cfg: $(( ($(date +%s%N) - t0) / 1000000 )) ms to the first answer"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
