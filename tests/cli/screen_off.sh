#!/bin/bash
# Screen-off hours: inside the configured hours an untouched kiosk blanks
# its screen (black, nothing drawn, the process asleep), and a touch wakes
# it without doing anything else. In a real X11 window (Xvfb) with hours
# around the current time and a 2 s idle reset:
#   - the screen goes black within a few seconds;
#   - while black the process barely wakes (voluntary context switches);
#   - a click shows home again and the click itself opened nothing.
# Needs Xvfb and xdotool (packaging/deps.txt). Skips with 77 only when Xvfb
# is missing.
set -u
BUILD=${INFOPOINT_BUILD_DIR:?}
. "${INFOPOINT_SOURCE_DIR:?}/tests/cli/lib_xvfb.sh"
xvfb_test_init screen_off
xvfb_display 800x480

# black: 0 when every pixel of the screen is black (XWD: the image is the
# file's last width*height*4 bytes).
black() {
    "$PY" -c '
import sys
d = open(sys.argv[1], "rb").read()
img = d[-800 * 480 * 4:]
sys.exit(0 if img.count(0) == len(img) else 1)' "$FB"
}

hours="$(date -d '-1 hour' +%H):00-$(date -d '+2 hour' +%H):00"
infopoint --size 800x480 --lang en --idle-reset 2 --set "kiosk.screen_off=$hours" >"$WORK/app.log" 2>&1 &
APP_PID=$!
app_window
sleep 1
black && die "the screen is black right after start"
SDL_VIDEODRIVER=dummy infopoint --size 800x480 --lang en --screenshot "$WORK/home.png" >/dev/null 2>&1
wait_until 100 0.1 black || die "the screen did not go black within 10 s (hours $hours, idle 2 s)"
ok "screen off during $hours after 2 s untouched"
grep -q "screen off" "$WORK/app.log" || die "no 'screen off' log line"
ctx() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$APP_PID/status"; }
c0=$(ctx)
sleep 3
c1=$(ctx)
[ $((c1 - c0)) -le 6 ] || die "$((c1 - c0)) wake-ups in 3 s while the screen is off"
ok "asleep while off: $((c1 - c0)) wake-ups in 3 s"
# The wake-up click lands where the first category tile is: it must not open it.
xy=$(SDL_VIDEODRIVER=dummy "$BUILD/tests/ui_locate" --bundle "$SAMPLE_BUNDLE" --size 800x480 --open home \
    category/constitution) || die "no category tile on home"
read -r X Y <<<"$xy"
xdotool mousemove --window "$WID" "$X" "$Y" click 1
not_black() { ! black; }
wait_until 50 0.1 not_black || die "a click did not wake the screen"
sleep 0.5
cp "$FB" "$WORK/woken.xwd"
"$BUILD/tests/img_diff" "$WORK/woken.xwd" "$WORK/home.png" >/dev/null 2>&1 ||
    die "after the wake-up click the screen is not home (the click did something)"
ok "a click woke the screen on home, and did nothing else"
app_alive || die "infopoint exited"
echo "PASS"
