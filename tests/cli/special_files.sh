#!/bin/bash
# Files from outside that are not regular files are refused at once, with a
# message that says what they are, and never waited on (issue 13: a FIFO
# used to block the reader for ever, the kiosk before READY=1 so that the
# watchdog killed it in a loop):
#   - infopoint: a FIFO as the config file (--check, --print-config, a
#     screenshot run), as --script, as --bundle, and as the publisher key
#     (--sync-once, and a kiosk start with sync, which runs on without it);
#   - infopoint-bundle: a FIFO language file or image in a content folder,
#     a FIFO given to `info`, and symbolic links leading out of the content
#     folder (details in unit.test_srcdir).
set -u
SRC=${INFOPOINT_SOURCE_DIR:?}
tmp=$(mktemp -d)
APP_PID=""
cleanup() {
    [ -n "$APP_PID" ] && kill -KILL "$APP_PID" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
export SDL_VIDEODRIVER=dummy
mkfifo "$tmp/fifo"

# ends NAME WANT_STATUS TEXT CMD...: CMD ends within 10 s (nobody ever
# writes the FIFO: waiting on it would never end) with WANT_STATUS, and
# its output holds TEXT.
ends() {
    local name=$1 want=$2 text=$3
    shift 3
    timeout 10 "$@" >"$tmp/out" 2>&1
    local got=$?
    if [ "$got" = 124 ]; then
        bad "$name: still waiting on the FIFO after 10 s"
    elif [ "$got" != "$want" ]; then
        bad "$name: status $got (want $want)"
        head -20 "$tmp/out"
    elif ! grep -qF -- "$text" "$tmp/out"; then
        bad "$name: no '$text' in:"
        head -20 "$tmp/out"
    else
        ok
    fi
}

fifo=$tmp/fifo
is_fifo="is a FIFO, not a regular file"
ends "--config FIFO --check" 1 "$fifo: $is_fifo; using the defaults" infopoint --config "$fifo" --check
ends "--config FIFO --print-config" 0 "$is_fifo" infopoint --config "$fifo" --print-config
ends "--config FIFO --screenshot" 0 "$is_fifo" \
    infopoint --config "$fifo" --bundle "$SAMPLE_BUNDLE" --screenshot "$tmp/a.png"
ends "--script FIFO" 2 "$is_fifo" infopoint --bundle "$SAMPLE_BUNDLE" --script "$fifo" --screenshot "$tmp/b.png"
ends "--bundle FIFO" 1 "bundle $fifo $is_fifo" infopoint --bundle "$fifo" --screenshot "$tmp/c.png"
ends "--sync-once --trust FIFO" 2 "$is_fifo" \
    infopoint --state "$tmp/state" --trust "$fifo" --allow-http --sync-once http://127.0.0.1:9/

# A kiosk whose sync trust is a FIFO starts its loop without sync (it used
# to block before telling systemd READY=1) and stops on SIGTERM.
mkdir -p "$tmp/state"
infopoint --size 320x240 --bundle "$SAMPLE_BUNDLE" --state "$tmp/state" --trust "$fifo" --allow-http \
    --sync http://127.0.0.1:9/ >"$tmp/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 200); do
    grep -q "video driver" "$tmp/app.log" && break
    sleep 0.05
done
if grep -q "video driver" "$tmp/app.log" && grep -qF "sync disabled: $fifo $is_fifo" "$tmp/app.log"; then
    ok
else
    bad "kiosk with a FIFO trust: no loop or no message within 10 s:"
    head -20 "$tmp/app.log"
fi
kill -TERM "$APP_PID" 2>/dev/null
wait "$APP_PID"
rc=$?
APP_PID=""
[ "$rc" = 0 ] && ok || bad "kiosk with a FIFO trust: status $rc after SIGTERM"

# The content tool.
cp -r "$SRC/tests/data/good" "$tmp/content"
rm "$tmp/content/items/charter/en.md" "$tmp/content/items/guide/pic.png"
mkfifo "$tmp/content/items/charter/en.md" "$tmp/content/items/guide/pic.png"
ends "check: FIFO en.md" 1 "items/charter/en.md: error: file $is_fifo" infopoint-bundle check "$tmp/content"
grep -qF "items/guide/en.md:9: error: image 'pic.png' $is_fifo" "$tmp/out" && ok ||
    bad "check: FIFO image not reported as one"
ends "build: FIFO en.md" 1 "$is_fifo" infopoint-bundle build "$tmp/content" -o "$tmp/x.ipb"
ends "info FIFO" 1 "$is_fifo" infopoint-bundle info "$fifo"

rm -r "$tmp/content"
cp -r "$SRC/tests/data/good" "$tmp/content"
ln -sf /etc/hostname "$tmp/content/items/charter/ru.md"
ln -s "$SRC/tests/data/good/items/cards" "$tmp/content/items/outside"
ends "check: links out of the folder" 1 \
    "items/charter/ru.md: error: file is a symbolic link that leads out of the content folder" \
    infopoint-bundle check "$tmp/content"
grep -qF "items/outside: error: folder is a symbolic link that leads out of the content folder" "$tmp/out" &&
    ok || bad "check: a linked item folder outside is not refused"

echo "special files: $pass passed, $fails failed"
[ "$fails" = 0 ]
