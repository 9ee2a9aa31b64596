#!/bin/bash
# The kiosk in a real X11 window, driven like a person would: on a private
# Xvfb display (1024x600), `infopoint --windowed` starts on home; a click on
# the first category tile opens it (the screen changes), a click on its first
# item opens the reader, a mouse drag scrolls the reader (the screen changes
# again), the program stays alive throughout, and Escape closes the
# development window with exit status 0 within a few seconds. After every
# click the window must show what the headless renderer draws for the screen
# the click should lead to (tests/img_diff, the golden-image tolerance), so a
# click that lands on the wrong thing fails even though the screen changed.
#
# Where to click comes from the layout itself: tests/ui_locate (a helper
# built from tests/tools/ui_locate.c) prints the point that a script's
# `tapon ROUTE` would tap, and a headless `infopoint --screenshot --script`
# run with a plain `tap X Y` there must arrive on ROUTE before the window
# gets the same click. So the test follows layout changes and still fails
# when a click stops doing what it should.
#
# Screenshots: Xvfb -fbdir keeps the screen in a file (XWD format) that is
# always current, so no screenshot tool (ImageMagick is not in
# packaging/deps.txt) is needed; steps are compared by checksum and by
# tests/img_diff, which reads XWD. On failure the step pictures are kept in
# $INFOPOINT_BUILD_DIR/xvfb_e2e/ (as PNG when ImageMagick's convert exists).
#
# Needs Xvfb and xdotool (packaging/deps.txt: xvfb, xdotool). Skips with 77
# only when Xvfb is not installed.
set -u

SIZE_W=1024
SIZE_H=600
STEP_TIMEOUT_S=10     # any single wait (window, redraw, exit); typical: < 1 s
SCROLL_MIN_PERCENT=2 # moved text: ~10 % at 1024x600; a scrollbar alone: < 0.5 %

BUILD=${INFOPOINT_BUILD_DIR:?INFOPOINT_BUILD_DIR must name the build folder}
. "${INFOPOINT_SOURCE_DIR:?}/tests/cli/lib_xvfb.sh"
xvfb_test_init xvfb_e2e
for tool in xdotool infopoint; do
    command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: $tool not found on PATH"; exit 1; }
done
BUNDLE=${SAMPLE_BUNDLE:?SAMPLE_BUNDLE must name the sample bundle}
LOCATE=$BUILD/tests/ui_locate
IMG_DIFF=$BUILD/tests/img_diff
for helper in "$LOCATE" "$IMG_DIFF"; do
    [ -x "$helper" ] || { echo "FAIL: $helper not built"; exit 1; }
done
STEP=0

# On failure the step pictures and logs are kept in $BUILD/xvfb_e2e.
test_on_exit() { # STATUS
    [ "$1" != 0 ] && [ "$1" != 77 ] || return 0
    local keep=$BUILD/xvfb_e2e f
    rm -rf "$keep" && mkdir -p "$keep"
    for f in "$WORK"/*.xwd "$WORK"/expect_*.png; do
        [ -e "$f" ] || continue
        case "$f" in *.png) cp "$f" "$keep/" && continue ;; esac
        if command -v convert >/dev/null 2>&1 && convert "xwd:$f" "$keep/$(basename "$f" .xwd).png" 2>/dev/null; then
            :
        else
            cp "$f" "$keep/"
        fi
    done
    cp "$WORK"/*.log "$keep/" 2>/dev/null
    echo "step pictures and logs kept in $keep"
}

# ---- the display ------------------------------------------------------------
xvfb_display ${SIZE_W}x${SIZE_H}
[ -f "$FB" ] || die "Xvfb wrote no frame buffer file $FB"
echo "Xvfb on $DISPLAY"

# ---- screen helpers ---------------------------------------------------------
fb_sum() { cksum <"$FB" | cut -d' ' -f1; }

# settle NAME: waits until the screen stops changing (the same picture three
# times 100 ms apart: longer than a press highlight or a frame of an
# animation lasts), keeps it as NN_NAME.xwd (path in SHOT) and sets SUM to
# its checksum.
settle() {
    local prev="" cur same=0
    for _ in $(seq $((STEP_TIMEOUT_S * 10))); do
        cp "$FB" "$WORK/.shot"
        cur=$(cksum <"$WORK/.shot" | cut -d' ' -f1)
        if [ "$cur" = "$prev" ]; then same=$((same + 1)); else same=0; fi
        if [ "$same" -ge 2 ]; then
            STEP=$((STEP + 1))
            mv "$WORK/.shot" "$WORK/$(printf '%02d' "$STEP")_$1.xwd"
            SUM=$cur
            SHOT=$WORK/$(printf '%02d' "$STEP")_$1.xwd
            return 0
        fi
        prev=$cur
        sleep 0.1
    done
    die "$1: the screen kept changing for ${STEP_TIMEOUT_S} s"
}

# changes_from SUM NAME: waits until the screen differs from SUM, then settles.
changes_from() {
    local before=$1
    for _ in $(seq $((STEP_TIMEOUT_S * 20))); do
        if [ "$(fb_sum)" != "$before" ]; then
            settle "$2"
            [ "$SUM" != "$before" ] && return 0
        fi
        sleep 0.05
    done
    die "$2: the screen did not change within ${STEP_TIMEOUT_S} s"
}

expect_alive() { app_alive || die "infopoint is gone after: $1"; }

# locate OPEN ROUTE: sets X Y to the centre of the button that leads to
# ROUTE on screen OPEN, and proves with the real program, headless, that a
# tap there arrives on ROUTE; the picture it arrives at is kept as
# expect_<ROUTE with / as _>.png, what the window must show after the click.
locate() {
    local open=$1 route=$2 xy got
    xy=$(SDL_VIDEODRIVER=dummy "$LOCATE" --bundle "$BUNDLE" --size ${SIZE_W}x${SIZE_H} --open "$open" "$route") ||
        die "nothing on $open leads to $route at ${SIZE_W}x${SIZE_H}"
    read -r X Y <<<"$xy"
    printf 'tap %s %s\n' "$X" "$Y" >"$WORK/probe.txt"
    got=$(SDL_VIDEODRIVER=dummy infopoint --bundle "$BUNDLE" --size ${SIZE_W}x${SIZE_H} --open "$open" \
        --script "$WORK/probe.txt" --screenshot "$WORK/expect_${route//\//_}.png" 2>&1) ||
        die "headless probe failed: $got"
    case "$got" in
    *" route $route") ;;
    *) die "headless tap at $X,$Y on $open does not lead to $route: $got" ;;
    esac
    ok "$route is at $X,$Y on $open (a headless tap there arrives)"
}

# looks_like SHOT.xwd EXPECT.png: the window shows what the headless
# renderer draws for that screen (the same tolerance as the golden images).
looks_like() {
    local out
    out=$("$IMG_DIFF" "$1" "$2" 2>&1) || die "$(basename "$1") does not look like $(basename "$2"): $out"
    ok "$(basename "$1" .xwd) matches the headless $(basename "$2") ($out)"
}

# click_step X Y NAME WHAT ROUTE: a click at X,Y changes the screen (kept as
# NAME), the app lives on, and the window shows what a headless tap there
# arrived at (locate's expect_ picture of ROUTE).
click_step() {
    xdotool mousemove --window "$WID" "$1" "$2" click 1
    changes_from "$SUM" "$3"
    expect_alive "$4"
    ok "$4 changed the screen"
    looks_like "$SHOT" "$WORK/expect_${5//\//_}.png"
}

# ---- the run ----------------------------------------------------------------
SDL_VIDEODRIVER=dummy infopoint --bundle "$BUNDLE" --size ${SIZE_W}x${SIZE_H} \
    --screenshot "$WORK/expect_home.png" >/dev/null 2>"$WORK/headless.log" || die "headless home screenshot failed"
locate home category/constitution
TILE_X=$X TILE_Y=$Y
locate category/constitution item/constitution
ITEM_X=$X ITEM_Y=$Y

BLANK=$(fb_sum)
started=$(date +%s%N)
SDL_VIDEODRIVER=x11 infopoint --windowed --size ${SIZE_W}x${SIZE_H} --bundle "$BUNDLE" --idle-reset 0 \
    >"$WORK/app.log" 2>&1 &
APP_PID=$!
app_window
changes_from "$BLANK" home
ok "window $WID shows home after $((($(date +%s%N) - started) / 1000000)) ms"
looks_like "$SHOT" "$WORK/expect_home.png"

click_step "$TILE_X" "$TILE_Y" category "the click on the category tile" category/constitution
click_step "$ITEM_X" "$ITEM_Y" reader "the click on the item" item/constitution
READER_SHOT=$SHOT

# A finger's drag upwards, in steps, as motion events with the button held.
READER_SUM=$SUM
xdotool mousemove --window "$WID" $((SIZE_W / 2)) $((SIZE_H * 5 / 6)) mousedown 1
for y in $(seq $((SIZE_H * 5 / 6)) -25 $((SIZE_H / 4))); do
    xdotool mousemove --window "$WID" $((SIZE_W / 2)) "$y"
    sleep 0.02
done
xdotool mouseup 1
changes_from "$READER_SUM" scrolled
expect_alive "the drag"
# A scroll moves every line of text on the page; a press highlight or the
# scroll bar alone would change far fewer pixels.
out=$("$IMG_DIFF" --max-percent "$SCROLL_MIN_PERCENT" "$READER_SHOT" "$SHOT" 2>&1)
case $? in
0) die "the drag changed too little of the reader to be a scroll: $out" ;;
1) ok "the drag scrolled the reader ($out)" ;;
*) die "img_diff: $out" ;;
esac

# Escape closes the development window (a kiosk window ignores it).
timeout "$STEP_TIMEOUT_S" xdotool windowfocus --sync "$WID" || die "cannot focus the window"
xdotool key Escape
app_exit_within "$STEP_TIMEOUT_S" || die "Escape did not close the window within ${STEP_TIMEOUT_S} s"
[ "$APP_RC" = 0 ] || die "infopoint exited with $APP_RC after Escape, expected 0"
ok "Escape closed the window, exit status 0"

echo "xvfb_e2e: $PASSED passed, 0 failed"
