#!/bin/bash
# Kiosk mode cannot be left from the screen or a plugged-in keyboard, yet
# systemd can stop it, and systemd sees it alive. In a real X11 window
# (Xvfb), `infopoint` without --windowed:
#   - tells systemd READY=1 and pings WATCHDOG=1 at half of WATCHDOG_USEC
#     (a fake NOTIFY_SOCKET that records the datagrams);
#   - survives Escape, Ctrl+Q, Alt+F4, Alt+Tab, Ctrl+W, Ctrl+Alt+BackSpace
#     and a window manager's close request (tests/xclose: WM_DELETE_WINDOW);
#   - stops with status 0 within 2 s of SIGTERM (systemctl stop), also when
#     the SIGTERM comes right after a close request: nothing is told apart
#     by timing (SIGINT and the dummy driver: tests/cli/signals.sh).
# (--windowed, the development mode, quits on Escape: tests/cli/xvfb_e2e.sh.)
# Needs Xvfb and xdotool (packaging/deps.txt). Skips with 77 only when Xvfb
# is missing.
set -u
BUILD=${INFOPOINT_BUILD_DIR:?}
. "${INFOPOINT_SOURCE_DIR:?}/tests/cli/lib_xvfb.sh"
xvfb_test_init lockdown
xvfb_display 800x480

# A stand-in for systemd's notification socket: one line per datagram.
"$PY" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", " ") + "\n")
' "$WORK/notify.sock" "$WORK/notify.log" &
STOP_PIDS=$!
wait_until 100 0.05 test -S "$WORK/notify.sock"

NOTIFY_SOCKET=$WORK/notify.sock WATCHDOG_USEC=1000000 infopoint --size 800x480 >"$WORK/app.log" 2>&1 &
APP_PID=$!
app_window
wait_until 100 0.05 grep -q "READY=1" "$WORK/notify.log" 2>/dev/null || die "no READY=1 for systemd"
ok "READY=1 sent ($(grep -m1 READY "$WORK/notify.log"))"
before=$(grep -c "WATCHDOG=1" "$WORK/notify.log")
sleep 2.2
pings=$(($(grep -c "WATCHDOG=1" "$WORK/notify.log") - before))
[ "$pings" -ge 3 ] && [ "$pings" -le 6 ] || die "$pings watchdog pings in 2.2 s (want about 4: every 0.5 s)"
ok "$pings watchdog pings in 2.2 s (WatchdogSec 1 s: a ping every 0.5 s)"

for keys in Escape ctrl+q alt+F4 alt+Tab ctrl+w ctrl+alt+BackSpace super; do
    xdotool key --window "$WID" "$keys"
    sleep 0.3
    app_alive || die "$keys closed the kiosk"
    ok "$keys: still running"
done
"$BUILD/tests/xclose" "$WID" || die "xclose could not send WM_DELETE_WINDOW"
sleep 0.5
app_alive || die "a window manager's close request closed the kiosk"
grep -q "close the window was ignored" "$WORK/app.log" || die "the close request did not arrive or was not logged"
ok "WM_DELETE_WINDOW: ignored, still running"

# A close request and at once a SIGTERM: the close is ignored, the signal
# is not (SDL's own signal handler would have turned both into one QUIT).
"$BUILD/tests/xclose" "$WID" || die "xclose could not send WM_DELETE_WINDOW"
start=$(date +%s%N)
kill -TERM "$APP_PID"
app_exit_within 2 || die "still running 2 s after SIGTERM"
[ "$APP_RC" = 0 ] || die "exit status $APP_RC after SIGTERM"
grep -q "SIGTERM received" "$WORK/app.log" || die "the SIGTERM was not handled by the kiosk"
ok "WM_DELETE_WINDOW then SIGTERM: stopped with status 0 after $((($(date +%s%N) - start) / 1000000)) ms"
echo "PASS"
