#!/usr/bin/env bash
# Runs every built test binary again with the system clock moved (libfaketime) to the days and
# zones a calendar gets wrong, so a test that reads today's date instead of the pinned clock
# fails here, whatever day it is.
#
#   scripts/faketime-tests.sh        # the five clocks of issue 12
#   scripts/faketime-tests.sh ci     # two of them (the year crossing, a daylight-saving week)
#
# Needs libfaketime (Debian: apt-get install faketime). Builds the tests first if needed.
set -euo pipefail
cd "$(dirname "$0")/.."

all=(
  "2026-12-29 23:30:00|UTC"
  "2027-01-31 09:30:00|America/New_York"
  "2027-03-13 18:00:00|America/Los_Angeles"
  "2027-10-31 08:00:00|Europe/Paris"
  "2027-04-04 10:00:00|Australia/Sydney"
)
ci=("${all[0]}" "${all[3]}")
if [ "${1:-all}" = ci ]; then clocks=("${ci[@]}"); else clocks=("${all[@]}"); fi

# libfaketime preloaded directly: the `faketime` wrapper keeps a semaphore per process id in
# /dev/shm, and a stale one (a killed run, a reused pid) makes it refuse to start.
lib=""
for candidate in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 /usr/local/lib/faketime/libfaketime.so.1; do
  if [ -e "$candidate" ]; then lib=$candidate; break; fi
done
[ -n "$lib" ] || { echo "libfaketime is not installed (apt-get install faketime)" >&2; exit 2; }

# The test executables cargo built (the same ones `cargo test` ran).
mapfile -t binaries < <(cargo test --locked --no-run --message-format=json 2>/dev/null |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("profile", {}).get("test") and m.get("executable"):
        print(m["executable"])
')
[ ${#binaries[@]} -gt 0 ] || { echo "no test binaries found" >&2; exit 1; }

passed=0
failed=0
failures=()
for clock in "${clocks[@]}"; do
  when=${clock%|*}
  zone=${clock#*|}
  echo "== system clock at $when $zone"
  for bin in "${binaries[@]}"; do
    name=$(basename "$bin")
    # The pty and process tests start the binary: it inherits the moved clock and zone.
    if TZ="$zone" LD_PRELOAD="$lib" FAKETIME="@$when" FAKETIME_DONT_FAKE_MONOTONIC=1 \
      "$bin" -q >"/tmp/faketime-$name.log" 2>&1; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
      failures+=("$name at $when $zone (log: /tmp/faketime-$name.log)")
      tail -n 40 "/tmp/faketime-$name.log"
    fi
  done
done
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "faketime: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
