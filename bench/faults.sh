#!/usr/bin/env bash
# The fault-injection suite with the settings a user would choose (retries 2, timeouts in the tens of
# seconds) and the faults as the public benchmark injects them (Retry-After: 2, a first token after 20 s,
# a 60 s outage with a request every 4 s, ...) and the continuation and Retry-After cases, on all three
# front doors. Prints the scorecard; takes about nine minutes.
#   bench/faults.sh            the real profile
#   bench/faults.sh short      the CI profile (it also runs inside `mvn -B verify`)
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/common.sh
profile="${1:-real}"
quiet_mvn -pl baton-faults -am verify -Dbaton.faults.profile="$profile" \
  -Dtest=FaultSuiteTest -Dsurefire.failIfNoSpecifiedTests=false \
  | sed -n '/^Baton fault scorecard/,$p' | grep -v '^\[' 
