#!/bin/bash
# Where Asterisk's CPU went in each storm of a bench run, native beside parley, from a `perf record`
# of the Asterisk process taken on the monotonic clock during that run (as root, under the lock):
#
#   perf record -k CLOCK_MONOTONIC -e cpu-clock -F 499 -g -p "$(cat $ROOT/run/asterisk/asterisk.pid)" -o asterisk.perf &
#   npm run bench -- ...; kill -INT %1
#   bash bench/asterisk-perf-summary.sh asterisk.perf bench/results/<run>.json [no-audio] [rows]
#
# Prints, per storm, the share of samples by shared object (Asterisk's modules, libc, the kernel) and
# the top symbols. Debian's Asterisk is stripped: a module's static functions show as addresses.
set -eu
data=$1 result=$2 shape=${3:-no-audio} rows=${4:-25}
root=${PARLEY_ASTERISK_ROOT:-/var/cache/parley/asterisk-root}
for side in native parley; do
  window=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const w = r.shapes.find((s) => s.shape === process.argv[2])?.[process.argv[3]]?.monotonicUs;
    if (!w) process.exit(1);
    console.log(`${(w.start / 1e6).toFixed(6)},${(w.end / 1e6).toFixed(6)}`);' "$result" "$shape" "$side") || {
    echo "no $side window for $shape in $result" >&2
    exit 2
  }
  echo "=== $side ($shape), monotonic seconds $window"
  echo "--- by shared object"
  perf report -i "$data" --time "$window" --symfs="$root" --no-children --sort dso --stdio -g none 2>/dev/null |
    grep -v '^#' | grep -v '^$' | head -n "$rows"
  perf report -i "$data" --time "$window" --symfs="$root" --no-children --sort dso --stdio -g none 2>/dev/null |
    grep -m1 '^# Samples' || true
  echo "--- top symbols"
  perf report -i "$data" --time "$window" --symfs="$root" --no-children --sort dso,sym --stdio -g none 2>/dev/null |
    grep -v '^#' | grep -v '^$' | head -n "$rows"
done
