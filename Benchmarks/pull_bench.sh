#!/usr/bin/env bash
# The pull benchmark (issue 13): `hashport pull` from `hashport descope-emulator` over loopback, no latency.
#   A. USERS/5 users, B. USERS users (default 100,000), 4 pages in flight; C. USERS users, one page at a time.
# Each reports users/s, the pull's peak RSS (compare A with B: flat means it does not grow with the users), and the
# CPU seconds of the pull and of the emulator during it (bound by the emulator: the emulator's share is the larger).
# Every run is checked: USERS lines, each userId once.
# Usage: Benchmarks/pull_bench.sh [USERS]. HASHPORT=path/to/hashport overrides the binary (default: release).
set -euo pipefail
cd "$(dirname "$0")"
HASHPORT=${HASHPORT:-../.build/release/hashport}
USERS=${1:-100000}
SECTIONS=${SECTIONS:-"A B C"}
WORK=$(mktemp -d /tmp/hashport-pull-bench.XXXXXX)
EMU_PID=""
cleanup() { [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null || true; }
trap cleanup EXIT
export DESCOPE_PROJECT_ID=P2pullBench
printf 'K2pull-bench-%s' "$RANDOM$RANDOM" >"$WORK/key"; chmod 600 "$WORK/key"
export DESCOPE_MANAGEMENT_KEY=$(cat "$WORK/key")

cpu_seconds() {  # PID: utime+stime of a running process, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

start_emulator() {  # DATA
  "$HASHPORT" descope-emulator --users "$1/users.ndjson" --tenants "$1/tenants.json" --port 0 \
    --management-key-file "$WORK/key" >"$WORK/emulator.out" 2>"$WORK/emulator.err" &
  EMU_PID=$!
  for _ in $(seq 600); do
    URL=$(grep -o 'http://[0-9.:]*' "$WORK/emulator.out" | head -1 || true)
    [ -n "$URL" ] && return 0
    sleep 0.1
  done
  echo "emulator did not start" >&2; cat "$WORK/emulator.err" >&2; exit 1
}
stop_emulator() { kill "$EMU_PID"; wait "$EMU_PID" 2>/dev/null || true; EMU_PID=""; }

run_pull() {  # LABEL DATA N PAGES_IN_FLIGHT
  local label=$1 data=$2 n=$3 inflight=$4
  start_emulator "$data"
  local emu_before; emu_before=$(cpu_seconds "$EMU_PID")
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/$label.time" \
    "$HASHPORT" pull --out "$WORK/$label" --base-url "$URL" --pages-in-flight "$inflight" --progress-interval 60 \
    >"$WORK/$label.out" 2>"$WORK/$label.err"
  local emu_after; emu_after=$(cpu_seconds "$EMU_PID")
  stop_emulator
  python3 - "$WORK/$label" "$WORK/$label.time" "$label" "$n" "$inflight" "$emu_before" "$emu_after" <<'PY'
import json, sys
out, timing, label, n, inflight, e0, e1 = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], float(sys.argv[6]), float(sys.argv[7])
ids = [json.loads(line)["userId"] for line in open(out + "/users.ndjson")]
assert len(ids) == n and len(set(ids)) == n, f"{label}: {len(ids)} lines, {len(set(ids))} distinct, expected {n}"
wall, user, sys_, rss_kb = open(timing).read().split()[-4:]
wall = float(wall); cpu = float(user) + float(sys_)
print(f"{label}  {n:>7} users  {inflight} in flight  {wall:6.2f} s  {n / wall:>8.0f} users/s  "
      f"peak RSS {int(rss_kb) / 1024:6.1f} MB  CPU: pull {cpu:5.2f} s, emulator {e1 - e0:5.2f} s  (checked: each user once)")
PY
}

echo "hashport pull benchmark — $(date -u +%FT%TZ), $(nproc) cores, binary $HASHPORT"
python3 pull_bench_data.py $((USERS / 5)) "$WORK/small"
python3 pull_bench_data.py "$USERS" "$WORK/data"
echo "users.ndjson: $(du -m "$WORK/data/users.ndjson" | cut -f1) MB for $USERS users"
for s in $SECTIONS; do
  case $s in
    A) run_pull A "$WORK/small" $((USERS / 5)) 4 ;;
    B) run_pull B "$WORK/data" "$USERS" 4 ;;
    C) run_pull C "$WORK/data" "$USERS" 1 ;;
  esac
done
echo "work files in $WORK"
