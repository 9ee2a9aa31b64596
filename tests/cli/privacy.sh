#!/bin/bash
# What a citizen types is theirs: it never reaches a log line at any level,
# stdout, or a file the kiosk writes, even when every search fails (a
# damaged search index logs one error per keystroke). The words typed here
# are in no bundle, so any place they appear can only be a leak.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
SECRET=zqxwv
SECRET_RU=жщъэю

printf '[kiosk]\nlanguage = en\n[content]\nstate_dir = %s/state\nfallback_bundle = %s\n[log]\nlevel = debug\n' \
    "$tmp" "$SAMPLE_BUNDLE" >"$tmp/debug.conf"
printf 'open search\ntype %s\nwait 300\n' "$SECRET" >"$tmp/en.script"
printf 'open search\ntype %s\nwait 300\n' "$SECRET_RU" >"$tmp/ru.script"

# BUNDLE NAME: types each word on its language's keyboard at debug level;
# the output of both runs is kept in NAME.out.
run() {
    local rc=0
    : >"$tmp/$2.out"
    for lang in en ru; do
        infopoint --config "$tmp/debug.conf" --bundle "$1" --size 800x480 --lang $lang \
            --script "$tmp/$lang.script" --screenshot "$tmp/$2.png" >>"$tmp/$2.out" 2>&1 || rc=1
    done
    return $rc
}
leaks() { # NAME: where the typed words appear
    grep -rlF -e "$SECRET" -e "$SECRET_RU" "$tmp/$1.out" "$tmp/state" 2>/dev/null
}

run "$SAMPLE_BUNDLE" intact || bad "typing on the sample bundle: $(tail -3 "$tmp/intact.out")"
grep -q "search: [0-9]* results" "$tmp/intact.out" &&
    ok "debug level logs each search (so a query in it would show)" ||
    bad "no debug search line: the test would not see a leak ($(head -3 "$tmp/intact.out"))"
where=$(leaks intact)
[ -z "$where" ] && ok "typed words in no log line, no stdout, no state file (debug level)" ||
    bad "typed words leaked into: $where: $(grep -F -e "$SECRET" -e "$SECRET_RU" $where | head -3)"
grep -q "route search (query not shown)" "$tmp/intact.out" && ok "the printed route leaves the query out" ||
    bad "route line: $(grep route "$tmp/intact.out")"

# A damaged search index: every search fails and is logged as an error.
cp "$SAMPLE_BUNDLE" "$tmp/damaged.ipb"
sqlite3 "$tmp/damaged.ipb" "UPDATE search_index_data SET block = x'00ff00ff00ff00ff' WHERE id > 10;
    UPDATE search_heads_data SET block = x'00ff00ff00ff00ff' WHERE id > 10;"
rm -f "$tmp/state/verified"
run "$tmp/damaged.ipb" damaged
grep -q "store: find:" "$tmp/damaged.out" && ok "the damaged index makes searches fail with an error line" ||
    bad "no failing search: the damage did not reach the search ($(grep -m3 -i "error\|search" "$tmp/damaged.out"))"
where=$(leaks damaged)
[ -z "$where" ] && ok "failing searches log no typed word" ||
    bad "typed words leaked into: $where: $(grep -F -e "$SECRET" -e "$SECRET_RU" $where | head -3)"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
