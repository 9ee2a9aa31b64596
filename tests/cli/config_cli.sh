#!/bin/bash
# The config file and the setting-up commands: a file with mistakes still
# starts the kiosk and says FILE:LINE: what is wrong; command-line options
# override the file; --check passes on a good setup and lists each problem
# of a bad one; --hash-pin makes a hash that the kiosk accepts.
set -u
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# Readable by an unprivileged user too (the unwritable-state case below).
chmod 755 "$tmp"
pass=0 fails=0
ok() { pass=$((pass + 1)); }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
IMG_DIFF=${INFOPOINT_BUILD_DIR:?}/tests/img_diff

# run NAME WANT_STATUS CMD...: runs CMD, output in $tmp/out and $tmp/err.
run() {
    local name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        bad "$name: status $got (want $want)"
        cat "$tmp/out" "$tmp/err" | head -20
        return 1
    fi
    ok
}
# has NAME FILE TEXT: FILE contains TEXT.
has() {
    if grep -qF -- "$3" "$2"; then ok; else
        bad "$1: no '$3' in:"
        head -20 "$2"
    fi
}
hasnt() {
    if grep -qF -- "$3" "$2"; then bad "$1: '$3' should not be in:"; head -20 "$2"; else ok; fi
}

# ---- a file with mistakes still starts, and says where -------------------
cat >"$tmp/typo.conf" <<'EOF'
[kiosk]
idle_rest = 30
idle_reset = ten
language = en
EOF
rm -f "$tmp/typo.png"
run "typo config starts" 0 infopoint --config "$tmp/typo.conf" --screenshot "$tmp/typo.png" &&
    [ -s "$tmp/typo.png" ] && ok || bad "typo config: no screenshot"
has "typo warning" "$tmp/err" "$tmp/typo.conf:2: unknown key 'idle_rest' in [kiosk] (did you mean 'idle_reset'?)"
has "bad value warning" "$tmp/err" "$tmp/typo.conf:3: idle_reset must be seconds 0..86400, not 'ten'; using the default '90'"
run "typo config values" 0 infopoint --config "$tmp/typo.conf" --print-config
has "good key kept" "$tmp/out" "language = en"
has "bad key default" "$tmp/out" "idle_reset = 90"

# The same through $INFOPOINT_CONFIG; a named file that is missing is a
# warning, and the kiosk still starts on the defaults.
INFOPOINT_CONFIG="$tmp/typo.conf" run "env config" 0 infopoint --print-config
has "env config read" "$tmp/err" "$tmp/typo.conf:2: unknown key"
run "missing config" 0 infopoint --config "$tmp/none.conf" --screenshot "$tmp/none.png"
has "missing config warning" "$tmp/err" "$tmp/none.conf: No such file or directory; using the defaults"

# ---- command-line options override the file -----------------------------
cat >"$tmp/ru.conf" <<EOF
[kiosk]
language = ru
idle_reset = 30
text_size = 1
[content]
state_dir = $tmp/state-from-file
EOF
run "override" 0 infopoint --config "$tmp/ru.conf" --lang en --idle-reset 45 --state "$tmp/s2" \
    --set kiosk.text_size=2 --set sync.window=01:00-05:00 --print-config
has "--lang over file" "$tmp/out" "language = en"
has "--idle-reset over file" "$tmp/out" "idle_reset = 45"
has "--state over file" "$tmp/out" "state_dir = $tmp/s2"
has "--set over file" "$tmp/out" "text_size = 2"
has "--set new key" "$tmp/out" "window = 01:00-05:00"
run "--set unknown key" 2 infopoint --config "$tmp/ru.conf" --set kiosk.idle_rest=5 --print-config
has "--set suggestion" "$tmp/err" "unknown key 'kiosk.idle_rest' (did you mean 'kiosk.idle_reset'?)"
run "--set bad value" 2 infopoint --set log.level=loud --print-config
has "--set bad value message" "$tmp/err" "--set log.level must be debug, info, warn or error, not 'loud'"
run "--idle-reset bad value" 2 infopoint --idle-reset ten --print-config
has "--idle-reset message" "$tmp/err" "--idle-reset must be seconds 0..86400, not 'ten'"

# And in a real run: the file's language shows, and --lang replaces it.
printf '[kiosk]\nlanguage = en\ntext_size = 1\n' >"$tmp/en.conf" # ru.conf has text_size 1 too
shot() { # NAME ARGS...: a headless picture of the start screen as $tmp/NAME.png
    local name=$1
    shift
    infopoint "$@" --size 400x300 --screenshot "$tmp/$name.png" >/dev/null 2>&1
}
shot en --config "$tmp/en.conf" || bad "screenshot with en.conf"
shot ru --config "$tmp/ru.conf" || bad "screenshot with ru.conf"
shot ru_en --config "$tmp/ru.conf" --lang en --idle-reset 90 || bad "screenshot with ru.conf --lang en"
"$IMG_DIFF" "$tmp/en.png" "$tmp/ru_en.png" >/dev/null 2>&1 && ok || bad "--lang en over a ru config does not look like en"
"$IMG_DIFF" "$tmp/en.png" "$tmp/ru.png" >/dev/null 2>&1 && bad "the config's language made no difference" || ok

# ---- --check ------------------------------------------------------------
infopoint-bundle keygen --out "$tmp/keys" >/dev/null || bad "keygen"
chmod 644 "$tmp/keys/publisher.pub"
mkdir -p "$tmp/state"
cat >"$tmp/good.conf" <<EOF
[content]
state_dir = state
fallback_bundle = $SAMPLE_BUNDLE
[sync]
url = https://updates.example.org/infopoint/
trust = keys/publisher.pub
usb_path =
EOF
run "check good" 0 infopoint --config "$tmp/good.conf" --check
has "check passed" "$tmp/out" "infopoint: check passed:"
has "check names the config" "$tmp/out" "config $tmp/good.conf"
has "check names the fallback" "$tmp/out" "fallback bundle $SAMPLE_BUNDLE (version"
has "check names the key" "$tmp/out" "sync https://updates.example.org/infopoint/ (key"
has "check counts fonts" "$tmp/out" "5 fonts"
has "check state" "$tmp/out" "state directory $tmp/state writable"

# An installed bundle in the state directory is checked too.
cp "$SAMPLE_BUNDLE" "$tmp/state/bundle-7.ipb"
run "check live" 0 infopoint --config "$tmp/good.conf" --check
has "check names the live bundle" "$tmp/out" "live bundle $tmp/state/bundle-7.ipb"

# Each problem alone.
cp "$tmp/good.conf" "$tmp/nokey.conf"
sed -i "s|^trust = .*|trust = $tmp/keys/missing.pub|" "$tmp/nokey.conf"
run "check missing key" 1 infopoint --config "$tmp/nokey.conf" --check
has "missing key named" "$tmp/out" "infopoint: sync.trust: "
has "missing key path" "$tmp/out" "$tmp/keys/missing.pub"
has "one problem" "$tmp/out" "infopoint: check failed: 1 problem"
# Without sync the key does not matter.
run "no sync no key" 0 infopoint --config "$tmp/nokey.conf" --set sync.url= --check

head -c 20000 "$SAMPLE_BUNDLE" >"$tmp/truncated.ipb"
run "check truncated fallback" 1 infopoint --config "$tmp/good.conf" --set content.fallback_bundle="$tmp/truncated.ipb" --check
has "truncated named" "$tmp/out" "infopoint: fallback bundle $tmp/truncated.ipb: "

# Changed content under an unchanged stored digest: the digest check.
cp "$SAMPLE_BUNDLE" "$tmp/edited.ipb"
python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute(\"UPDATE item_texts SET title = title || ' (edited)' WHERE rowid = (SELECT min(rowid) FROM item_texts)\")
db.commit()" "$tmp/edited.ipb" || bad "edit a bundle copy"
run "check edited" 1 infopoint --config "$tmp/good.conf" --bundle "$tmp/edited.ipb" --check
has "digest mismatch" "$tmp/out" "bundle $tmp/edited.ipb: content digest mismatch"

# A damaged installed bundle.
head -c 20000 "$SAMPLE_BUNDLE" >"$tmp/state/bundle-8.ipb"
run "check damaged live" 1 infopoint --config "$tmp/good.conf" --check
has "damaged live named" "$tmp/out" "infopoint: live bundle $tmp/state/bundle-8.ipb: "
rm "$tmp/state/bundle-8.ipb" "$tmp/state/bundle-7.ipb"

run "check state missing" 1 infopoint --config "$tmp/good.conf" --state "$tmp/nowhere" --check
has "state missing named" "$tmp/out" "content.state_dir $tmp/nowhere: No such file or directory"

# A state directory the kiosk's user cannot write. As root (containers,
# CI) permission bits do not stop a write, so run as nobody.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    mkdir -p "$tmp/rostate"
    chmod 755 "$tmp/rostate"
else
    mkdir -p "$tmp/rostate"
    chmod 555 "$tmp/rostate"
fi
chmod 644 "$tmp"/*.conf "$tmp"/*.ipb
run "check read-only state" 1 "${as_user[@]}" "$(command -v infopoint)" --config "$tmp/good.conf" \
    --state "$tmp/rostate" --check
has "read-only state named" "$tmp/out" "infopoint: content.state_dir $tmp/rostate is not writable: "

# All of them at once: every problem on its own line, and the count.
cat >"$tmp/bad.conf" <<EOF
[kiosk]
idle_rest = 30
[content]
state_dir = rostate
fallback_bundle = truncated.ipb
[sync]
url = https://updates.example.org/infopoint/
trust = keys/missing.pub
EOF
chmod 644 "$tmp/bad.conf"
run "check all problems" 1 "${as_user[@]}" "$(command -v infopoint)" --config "$tmp/bad.conf" --check
has "all: typo" "$tmp/out" "infopoint: $tmp/bad.conf:2: unknown key 'idle_rest' in [kiosk] (did you mean 'idle_reset'?)"
has "all: bundle" "$tmp/out" "infopoint: fallback bundle $tmp/truncated.ipb: "
has "all: key" "$tmp/out" "infopoint: sync.trust: "
has "all: state" "$tmp/out" "infopoint: content.state_dir $tmp/rostate is not writable"
has "all: count" "$tmp/out" "infopoint: check failed: 4 problems"
[ "$(grep -c '^infopoint: ' "$tmp/out")" -eq 5 ] && ok || { bad "all: want 4 problem lines and the count:"; cat "$tmp/out"; }

# The shipped file, as installed, is no problem in itself.
run "check shipped conf" 1 infopoint --config "$INFOPOINT_SOURCE_DIR/packaging/infopoint.conf" --check
hasnt "shipped conf has no warnings" "$tmp/out" "infopoint.conf:"

# ---- the operator PIN ---------------------------------------------------
run "hash pin" 0 sh -c 'echo 4096 | infopoint --hash-pin'
has "hash pin line" "$tmp/out" 'admin_pin = $argon2id$'
{ echo "[kiosk]"; cat "$tmp/out"; } >"$tmp/pin.conf"
run "pin verifies" 0 sh -c "echo 4096 | infopoint --config '$tmp/pin.conf' --verify-pin"
has "pin verifies message" "$tmp/out" "the PIN matches admin_pin"
hasnt "pin conf has no warning" "$tmp/err" "pin.conf"
run "wrong pin" 1 sh -c "echo 4097 | infopoint --config '$tmp/pin.conf' --verify-pin"
run "bad pin" 2 sh -c 'echo 12 | infopoint --hash-pin'
has "bad pin message" "$tmp/err" "--hash-pin wants a PIN of 4 to 8 digits"
run "no pin" 2 sh -c 'infopoint --hash-pin </dev/null'
# A PIN typed in plain is refused, not used, and never echoed back.
printf '[kiosk]\nadmin_pin = 4096\n' >"$tmp/plain.conf"
run "plain pin" 1 sh -c "echo 4096 | infopoint --config '$tmp/plain.conf' --verify-pin"
has "plain pin warning" "$tmp/err" "$tmp/plain.conf:2: admin_pin is not a hash made by 'infopoint --hash-pin'"
hasnt "plain pin not echoed" "$tmp/err" "'4096'"

# ---- help ---------------------------------------------------------------
run "help" 0 infopoint --help
for flag in --config --set --check --print-config --hash-pin --verify-pin --bundle --open --lang --windowed \
    --size --dpi --idle-reset --screenshot --script --state --sync --sync-once --trust --sync-interval \
    --sync-first --allow-http --ca-file --pin --stall-timeout --version; do
    has "help names $flag" "$tmp/out" "  $flag"
done
has "help names the env" "$tmp/out" "\$INFOPOINT_CONFIG"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
