#!/usr/bin/env bash
# The search query set (tests/data/search/queries.tsv, issue 10): every
# query goes through `infopoint-bundle search` on the sample bundle, as the
# kiosk would answer it in that query's language; its first result must be
# one of the acceptable places ('-': nothing may be found). Prints the hit
# rate per category and fails below the floors in floors.tsv (the rates the
# engine reached, so a change that loses ground is noticed).
set -uo pipefail
src=${INFOPOINT_SOURCE_DIR:?}
bundle=${SAMPLE_BUNDLE:?}
data=$src/tests/data/search
verbose=${SEARCH_QUERIES_VERBOSE:-0}

declare -A total hits
order=()
while IFS=$'\t' read -r cat lang query expected; do
    case $cat in ''|'#'*) continue ;; esac
    [ -n "${total[$cat]:-}" ] || { order+=("$cat"); total[$cat]=0; hits[$cat]=0; }
    total[$cat]=$((total[$cat] + 1))
    out=$(infopoint-bundle search "$bundle" --lang "$lang" --limit 1 "$query" 2>&1)
    rc=$?
    first=$(printf '%s\n' "$out" | grep -v '^Showing results' | head -1 | cut -f1)
    ok=0
    if [ "$expected" = "-" ]; then
        [ $rc -eq 1 ] && ok=1
    elif [ $rc -eq 0 ]; then
        for route in $expected; do [ "$first" = "$route" ] && ok=1; done
    fi
    hits[$cat]=$((hits[$cat] + ok))
    if [ $ok -eq 0 ] || [ "$verbose" = 1 ]; then
        printf '%s %-18s %s %-34s -> %s\n' "$([ $ok -eq 1 ] && echo ok || echo MISS)" "$cat" "$lang" "$query" \
            "$(printf '%s' "$out" | head -2 | cut -f1,2 | tr '\n\t' '; ')"
    fi
done <"$data/queries.tsv"

all=0 all_hits=0 fail=0
printf '\n%-20s %8s %8s %8s %8s\n' category queries hits rate floor
for cat in "${order[@]}"; do
    t=${total[$cat]} h=${hits[$cat]}
    all=$((all + t)) all_hits=$((all_hits + h))
    rate=$((100 * h / t))
    floor=$(awk -v c="$cat" '$1 == c {print $2}' "$data/floors.tsv")
    printf '%-20s %8d %8d %7d%% %7s%%\n' "$cat" "$t" "$h" "$rate" "${floor:-?}"
    if [ -z "$floor" ] || [ "$rate" -lt "$floor" ]; then fail=1; fi
done
rate=$((100 * all_hits / all))
floor=$(awk '$1 == "all" {print $2}' "$data/floors.tsv")
printf '%-20s %8d %8d %7d%% %7s%%\n' all "$all" "$all_hits" "$rate" "${floor:-?}"
if [ -z "$floor" ] || [ "$rate" -lt "$floor" ]; then fail=1; fi
if [ $fail -ne 0 ]; then
    echo "FAIL: a hit rate fell below its floor (tests/data/search/floors.tsv)"
    exit 1
fi
echo "search query set: ok"
