#!/bin/bash
# A damaged installation never leaves a blank screen: the kiosk opens the
# live bundle of its state directory, else the previous one, else the sample
# bundle shipped with the program, else shows "out of service" with the
# reason. Each step is checked by what the screen shows (headless pictures
# compared with tests/img_diff) and by the log line naming the fallback.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
IMG_DIFF=${INFOPOINT_BUILD_DIR:?}/tests/img_diff
ITEM=commission-session
S=$tmp/state

# Version 1 (the sample) and version 2 (one title changed) installed.
infopoint-bundle keygen --out "$tmp/keys" >/dev/null
infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys/publisher.key" --out "$tmp/repo" >/dev/null
infopoint --sync-once "$tmp/repo" --trust "$tmp/keys/publisher.pub" --state "$S" >/dev/null || bad "sync v1"
cp -r "$INFOPOINT_SOURCE_DIR/assets/content" "$tmp/content2"
sed -i '0,/^title: /s/^title: /title: Second edition: /' "$tmp/content2/items/$ITEM/en.md"
infopoint-bundle publish "$tmp/content2" --key "$tmp/keys/publisher.key" --out "$tmp/repo" >/dev/null
infopoint --sync-once "$tmp/repo" --trust "$tmp/keys/publisher.pub" --state "$S" >/dev/null || bad "sync v2"

shot() { # NAME ARGS...: a headless picture of item/$ITEM; LOG gets stderr
    local name=$1
    shift
    LOG=$(infopoint "$@" --size 800x480 --lang en --open "item/$ITEM" --screenshot "$tmp/$name.png" 2>&1)
}
same() { "$IMG_DIFF" "$tmp/$1.png" "$tmp/$2.png" >/dev/null 2>&1; }
shot v2 --state "$S" && ok "version 2 shows" || bad "v2: $LOG"
shot v1 --bundle "$S/bundle-1.ipb" || bad "v1: $LOG"
shot sample --bundle "$SAMPLE_BUNDLE" || bad "sample: $LOG"
same v1 v2 && bad "the two editions look alike: the test could not tell them apart"

# The sync recorded what it verified: a start does not compute the digest.
shot v2_again --state "$S"
grep -q "^infopoint-verified 1$" "$S/verified" && ! echo "$LOG" | grep -q "verified the digest" && ok "no digest at start" ||
    bad "the digest was computed again at start: $LOG"
shot sample_log --bundle "$SAMPLE_BUNDLE"
echo "$LOG" | grep -q "verified the digest of $SAMPLE_BUNDLE" && ok "a bundle given by hand is verified" ||
    bad "no digest for --bundle: $LOG"

# A text changed inside the live bundle (SQLite's own checks cannot see it):
# its digest no longer matches, and the previous bundle shows (issue 13).
cp "$S/bundle-2.ipb" "$tmp/bundle-2.good"
sqlite3 "$S/bundle-2.ipb" "UPDATE item_texts SET title = 'Tampered' WHERE lang = 'en' AND item_id = '$ITEM'" ||
    bad "cannot change the bundle"
shot tampered --state "$S"
if same tampered v1 && echo "$LOG" | grep -q "bundle-2.ipb is damaged: its content digest" &&
    echo "$LOG" | grep -q "using .*bundle-1.ipb instead"; then
    ok "changed content: the previous bundle shows"
else
    bad "changed content: $LOG"
fi
cp "$tmp/bundle-2.good" "$S/bundle-2.ipb"

# The live bundle is damaged: the previous one.
head -c 8192 "$tmp/bundle-2.good" >"$S/bundle-2.ipb"
shot fb1 --state "$S"
if same fb1 v1 && echo "$LOG" | grep -q "using .*bundle-1.ipb instead"; then
    ok "live bundle truncated: the previous bundle shows ($(echo "$LOG" | grep -m1 error))"
else
    bad "truncated live bundle: $LOG"
fi

# `current` is garbage too: still the newest bundle that opens.
printf 'garbage\n' >"$S/current"
shot fb2 --state "$S"
same fb2 v1 && ok "damaged current file: the newest bundle that opens shows" || bad "damaged current: $LOG"

# Both installed bundles damaged: the sample shipped with the program.
printf 'not a database' >"$S/bundle-1.ipb"
shot fb3 --state "$S"
if same fb3 sample && echo "$LOG" | grep -q "using .*sample.ipb instead"; then
    ok "both installed bundles damaged: the shipped sample shows"
else
    bad "both damaged: $LOG"
fi

# Nothing opens at all: the out-of-service screen, with the reason, exit 1
# (the picture is written all the same).
printf 'junk' >"$tmp/junk.ipb"
out=$(infopoint --bundle "$tmp/junk.ipb" --size 800x480 --screenshot "$tmp/oos.png" 2>&1)
[ $? -eq 1 ] && [ -s "$tmp/oos.png" ] && ! same oos sample && ok "nothing opens: out-of-service screen ($(echo "$out" | head -1))" ||
    bad "nothing opens: $out"

# The next sync repairs the state directory: version 3 installed whole.
infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys/publisher.key" --out "$tmp/repo" >/dev/null
out=$(infopoint --sync-once "$tmp/repo" --trust "$tmp/keys/publisher.pub" --state "$S" 2>&1)
[ $? -eq 0 ] && echo "$out" | grep -q "installed version 3" && ok "the next sync repairs it: $out" || bad "repair: $out"
shot fixed --state "$S"
same fixed sample && [ -z "$(echo "$LOG" | grep instead)" ] && ok "version 3 shows without a fallback" || bad "after repair: $LOG"

echo "$pass passed, $fails failed"
[ "$fails" = 0 ]
