#!/usr/bin/env bash
# The import benchmark (issue 4): `hashport import` against `hashport emulator` over loopback.
#   A. USERS users, emulator 100 ms latency and 500 writes / 10 s, --rate 50:
#      achieved writes/s (target >= 95% of 50), share of 429s (< 1%), peak RSS (< 100 MB).
#   B. 5x USERS, same settings, stopped after B_SECONDS: RSS sampled over time (flat = no growth with input).
#   C. USERS users, no latency, no limit, --rate 10000 (the maximum): client-side requests/s (the tool's own overhead).
#   D. 5x USERS, as C, to the end: peak RSS of a whole import 5x larger (compare with C's).
# Usage: Benchmarks/import_bench.sh [USERS] (default 20000). HASHPORT=path/to/hashport overrides the binary.
# Sections can be chosen with SECTIONS="A B C D".
set -euo pipefail
cd "$(dirname "$0")"
HASHPORT=${HASHPORT:-../.build/release/hashport}
USERS=${1:-20000}
B_SECONDS=${B_SECONDS:-150}
SECTIONS=${SECTIONS:-"A B C D"}
WORK=$(mktemp -d /tmp/hashport-import-bench.XXXXXX)
EMU_PID=""
cleanup() { [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null || true; }
trap cleanup EXIT
export WORKOS_API_KEY=sk_test_import_bench

start_emulator() {  # latency_ms rate_limit(0 = off)
  "$HASHPORT" emulator --port 0 --latency-ms "$1" --rate-limit "$2" >"$WORK/emulator.out" 2>&1 &
  EMU_PID=$!
  for _ in $(seq 100); do
    URL=$(grep -o 'http://[0-9.:]*' "$WORK/emulator.out" | head -1 || true)
    [ -n "$URL" ] && return 0
    sleep 0.1
  done
  echo "emulator did not start" >&2; cat "$WORK/emulator.out" >&2; exit 1
}
stop_emulator() { kill "$EMU_PID"; wait "$EMU_PID" 2>/dev/null || true; EMU_PID=""; }

# run_import LABEL DATA RATE [SECONDS]: runs (or runs SECONDS then SIGINT), sampling RSS every 2 s.
run_import() {
  local label=$1 data=$2 rate=$3 limit=${4:-0}
  "$HASHPORT" import "$data/hashes.csv" "$data/users.ndjson" --tenants "$data/tenants.json" \
    --state "$WORK/$label.sqlite" --base-url "$URL" --rate "$rate" --report "$WORK/$label.json" \
    --errors "$WORK/$label-errors.csv" --progress-interval 30 >"$WORK/$label.out" 2>"$WORK/$label.err" &
  local pid=$! t=0
  : >"$WORK/$label.rss"
  while kill -0 "$pid" 2>/dev/null; do
    awk -v t=$t '/VmRSS/ {rss=$2} /VmHWM/ {hwm=$2} END {if (rss) print t, rss, hwm}' /proc/$pid/status \
      >>"$WORK/$label.rss" 2>/dev/null || true
    if [ "$limit" -gt 0 ] && [ "$t" -ge "$limit" ]; then kill -INT "$pid"; fi
    sleep 2; t=$((t + 2))
  done
  wait "$pid" || true
}

report() {  # LABEL: one line from the JSON report and the RSS samples
  python3 - "$WORK/$1.json" "$WORK/$1.rss" "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); t = r["traffic"]; u = r["users"]
rss = [tuple(map(int, l.split())) for l in open(sys.argv[2]) if l.strip()]
peak = max((h for _, _, h in rss), default=0) / 1024
print(f"{sys.argv[3]:<3} {r['ending']:<11} users {u['created']+u['existing']:>7}/{u['total']:<7} "
      f"{t['requests']:>7} req {t['seconds']:>7.1f} s  {t['requests_per_second']:>8.1f} req/s  "
      f"{t['writes_per_second']:>7.1f} writes/s  429s {t['rate_limited']} "
      f"({100*t['rate_limited']/max(1,t['requests']):.2f}%)  peak RSS {peak:.1f} MB  failed {u['failed']}")
if len(rss) > 4:
    marks = [rss[i] for i in range(0, len(rss), max(1, len(rss)//8))]
    print("    RSS over time (s:MB): " + " ".join(f"{t}:{r/1024:.1f}" for t, r, _ in marks))
PY
}

echo "hashport import benchmark — $(date -u +%FT%TZ), $(nproc) cores, binary $HASHPORT"
python3 import_bench_data.py "$USERS" "$WORK/data"
for s in $SECTIONS; do
  case $s in
    A) start_emulator 100 500; run_import A "$WORK/data" 50; stop_emulator; report A
       python3 -c "import json;t=json.load(open('$WORK/A.json'))['traffic'];print(f'    achieved {t[\"writes_per_second\"]/50*100:.1f}% of --rate 50 (target >= 95%)')" ;;
    B|D) [ -d "$WORK/data5" ] || python3 import_bench_data.py $((USERS * 5)) "$WORK/data5" ;;&
    B) start_emulator 100 500; run_import B "$WORK/data5" 50 "$B_SECONDS"; stop_emulator; report B ;;
    C) start_emulator 0 0; run_import C "$WORK/data" 10000; stop_emulator; report C ;;
    D) start_emulator 0 0; run_import D "$WORK/data5" 10000; stop_emulator; report D ;;
  esac
done
echo "work files in $WORK"
