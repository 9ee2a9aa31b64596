#!/bin/bash
# A running kiosk picks up a new published version on its schedule and shows
# it without a restart, on the same screen. In a real X11 window (Xvfb):
#   1. version 1 (the sample content) is installed with --sync-once;
#   2. version 2 is published: one article with a new title;
#   3. `infopoint --windowed --sync REPO --sync-first 2` opens that article;
#      its window must first show the version 1 title (the headless picture of
#      version 1), then, after the scheduled check, the version 2 title (the
#      headless picture of what is installed now), with the process alive
#      throughout and "content: now showing" in its log;
#   4. the kiosk restarted against tests/tools/faultd.py dripping every
#      object at 1 byte/s: while its sync crawls, a click on Home still
#      changes the screen at once (the UI thread never waits for the
#      network), and Escape ends the program within a second (the transfer
#      is cancelled).
# Needs Xvfb and xdotool (packaging/deps.txt). Skips with 77 only when Xvfb
# is missing.
set -u
# Time limits are for a normal build; the sanitizer pass of `make test`
# runs programs 2-5 times slower and sets INFOPOINT_SLOW (tests/CMakeLists.txt).
SLOW=${INFOPOINT_SLOW:-1}
SIZE=800x480
TIMEOUT_S=30
SRC=${INFOPOINT_SOURCE_DIR:?}
BUILD=${INFOPOINT_BUILD_DIR:?}
IMG_DIFF=$BUILD/tests/img_diff
. "$SRC/tests/cli/lib_xvfb.sh"
. "$SRC/tests/cli/lib_nginx.sh"
xvfb_test_init sync_live
test_on_exit() { faultd_stop; }

# ---- two editions, version 1 installed ---------------------------------------
infopoint-bundle keygen --out "$WORK/keys" >/dev/null || die "keygen"
infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$WORK/keys/publisher.key" --out "$WORK/repo" >/dev/null ||
    die "publish v1"
out=$(infopoint --sync-once "$WORK/repo" --trust "$WORK/keys/publisher.pub" --state "$WORK/state" 2>&1) ||
    die "sync-once v1: $out"
ok "version 1 installed: $out"
ITEM=commission-session
ROUTE=item/$ITEM
shot() { # NAME: what is installed in the state directory, drawn headless
    SDL_VIDEODRIVER=dummy infopoint --state "$WORK/state" --size $SIZE --lang en --open $ROUTE \
        --screenshot "$WORK/$1.png" >/dev/null 2>&1 || die "headless screenshot $1"
}
shot v1
cp -r "$SRC/assets/content" "$WORK/content2"
sed -i '0,/^title: /s/^title: /title: Updated: /' "$WORK/content2/items/$ITEM/en.md"
grep -q "^title: Updated: " "$WORK/content2/items/$ITEM/en.md" || die "could not edit the title"
infopoint-bundle publish "$WORK/content2" --key "$WORK/keys/publisher.key" --out "$WORK/repo" >/dev/null ||
    die "publish v2"

# ---- the display -------------------------------------------------------------
xvfb_display $SIZE

# looks_like PNG: waits until the window shows what PNG shows.
looks_like() {
    local out=""
    for _ in $(seq $((TIMEOUT_S * 5))); do
        cp "$FB" "$WORK/now.xwd"
        out=$("$IMG_DIFF" "$WORK/now.xwd" "$1" 2>&1) && return 0
        app_alive || die "infopoint exited"
        sleep 0.2
    done
    die "the window does not show $(basename "$1") after ${TIMEOUT_S} s: $out"
}

infopoint --windowed --size $SIZE --lang en --open $ROUTE --state "$WORK/state" --sync "$WORK/repo" \
    --trust "$WORK/keys/publisher.pub" --sync-first 2 >"$WORK/app.log" 2>&1 &
APP_PID=$!
looks_like "$WORK/v1.png"
ok "the window shows version 1 of $ROUTE"
wait_until $((TIMEOUT_S * 5)) 0.2 grep -q "content: now showing" "$WORK/app.log"
grep -q "content: now showing .*bundle-2.ipb" "$WORK/app.log" || die "no swap to version 2 logged"
ok "the scheduled check installed version 2 and the kiosk swapped it in"
shot v2
"$IMG_DIFF" "$WORK/v1.png" "$WORK/v2.png" >/dev/null 2>&1 && die "version 2 looks like version 1 (the edit is not visible)"
looks_like "$WORK/v2.png"
ok "the window shows version 2 of $ROUTE, without a restart"
app_alive || die "infopoint exited"
grep -q "sync: installed version 2" "$WORK/app.log" || die "the sync did not log the install"
ok "still running; log: $(grep -c . "$WORK/app.log") lines"
kill "$APP_PID"
wait "$APP_PID" 2>/dev/null
APP_PID=""

# ---- 4. a sync crawling at 1 byte/s does not hold up the screen --------------
infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$WORK/keys/publisher.key" --out "$WORK/repo" >/dev/null ||
    die "publish v3"
faultd_start "$WORK/repo" --fault "drip@/objects/*"
xy=$(SDL_VIDEODRIVER=dummy "$BUILD/tests/ui_locate" --bundle "$WORK/state/bundle-2.ipb" --size $SIZE \
    --open $ROUTE @home) || die "no Home button on $ROUTE"
read -r HOME_X HOME_Y <<<"$xy"
SDL_VIDEODRIVER=dummy infopoint --state "$WORK/state" --size $SIZE --lang en --screenshot "$WORK/home.png" \
    >/dev/null 2>&1 || die "headless home"
infopoint --windowed --size $SIZE --lang en --open $ROUTE --state "$WORK/state" --sync "$FAULTD_URL" \
    --allow-http --trust "$WORK/keys/publisher.pub" --sync-first 1 >"$WORK/app.log" 2>&1 &
APP_PID=$!
looks_like "$WORK/v2.png"
downloading() { [ -n "$(ls "$WORK/state/objects/"*.part 2>/dev/null)" ]; }
# the sync has reached the dripping snapshot
wait_until 50 0.1 downloading || die "the sync did not start downloading"
ok "the sync is downloading at 1 byte/s"
app_window
start=$(date +%s%N)
xdotool mousemove --window "$WID" "$HOME_X" "$HOME_Y" click 1
looks_like "$WORK/home.png"
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt $((1500 * SLOW)) ] || die "the click on Home took $ms ms to show"
ok "a click on Home during the slow sync showed home after $ms ms"
start=$(date +%s%N)
xdotool key --window "$WID" Escape
app_exit_within 2 || die "still running 2 s after Escape (the sync was not cancelled)"
ms=$((($(date +%s%N) - start) / 1000000))
[ "$APP_RC" = 0 ] || die "exit status $APP_RC after Escape"
[ "$ms" -lt $((1000 * SLOW)) ] || die "Escape took $ms ms to end the program (the download is not cancelled in time)"
ok "Escape ended the kiosk in $ms ms, cancelling the download"
[ "$(awk '$1 == "version" { print $2 }' "$WORK/state/current")" = 2 ] || die "the live version changed"
ok "version 2 is still the live content"
echo "PASS"
