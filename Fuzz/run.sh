#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60) under AddressSanitizer, from the seed corpus in Fuzz/corpus/<name>
# plus what earlier runs found (Fuzz/work/<name>, not committed). A crash, an oracle's failure, a leak, a timeout or
# an out-of-memory leaves its input in Fuzz/crashes/ and fails the run. Prints executions per target.
#   Fuzz/run.sh [SECONDS] [TARGET...]       (build first: make fuzz does both)
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}; shift || true
bin=.build/debug
all="csv:FuzzCSV:csv search-users:FuzzSearchUsers:json hash-text:FuzzHashText:hashes hash-fields:FuzzHashFields:hashes api-bodies:FuzzAPIBodies:json"
want=" $* "
mkdir -p crashes work
export SWIFT_BACKTRACE=enable=no
failed=0
printf '%-13s %12s %8s %s\n' target executions corpus result
for entry in $all; do
    IFS=: read -r name product dict <<<"$entry"
    [ "$#" -gt 0 ] && [[ "$want" != *" $name "* ]] && continue
    mkdir -p "work/$name"
    log="work/$name.log"
    "$bin/$product" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
        -dict="dict/$dict.dict" -artifact_prefix="crashes/$name-" "work/$name" "corpus/$name" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    size=$(ls "work/$name" | wc -l)
    if [ "$rc" -eq 0 ]; then result=clean; else result="FAILED (exit $rc, log Fuzz/$log)"; failed=1; fi
    printf '%-13s %12s %8s %s\n' "$name" "${runs:-?}" "$size" "$result"
    if [ "$rc" -ne 0 ]; then
        grep -E "fuzz oracle|Fatal error|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|SUMMARY" "$log" | head -5 | sed 's/^/    /'
        ls -t crashes/"$name"-* 2>/dev/null | head -1 | sed 's/^/    input: Fuzz\//'
    fi
done
exit $failed
