# shellcheck shell=bash
# A private X11 display for the window tests, and what those tests share.
# Source this file (it is not a test on its own):
#
#   . "$INFOPOINT_SOURCE_DIR/tests/cli/lib_xvfb.sh"
#   xvfb_start WxH DIR    Xvfb on the first free display, its frame buffer
#                         kept as DIR/Xvfb_screen0 (XWD, always current);
#                         exports DISPLAY, XVFB_PID and FB; returns 1 when
#                         Xvfb did not come up
#   stop_pid PID          SIGTERM, then SIGKILL after 2 s; safe on a pid
#                         that is gone
#
# A window test starts with xvfb_test_init NAME (in its own shell, not in
# $(...)), which skips the test (exit 77) when Xvfb is not installed, makes
# the scratch folder WORK and sets an EXIT trap that stops APP_PID, the pids
# in STOP_PIDS and XVFB_PID, calls the test's test_on_exit STATUS when it
# defines one, and removes WORK. Then:
#   xvfb_display WxH      xvfb_start in WORK, or die; unsets SDL_VIDEODRIVER
#                         (ctest sets it to dummy) so the program under test
#                         opens a real window
#   die MESSAGE           "FAIL: MESSAGE" with the tails of WORK/app.log and
#                         WORK/xvfb.log; exit 1
#   ok MESSAGE            "ok: MESSAGE", counted in PASSED
#   wait_until N STEP CMD...
#                         runs CMD every STEP seconds until it succeeds, for
#                         N steps at most; returns its last status
#   app_window            WID: the kiosk's window (waits up to 10 s), or die
#   app_alive             APP_PID runs (a zombie, exited but not yet waited
#                         for, does not)
#   app_exit_within S     waits up to S seconds for APP_PID to end: 1 when it
#                         still runs; else 0, its status in APP_RC, APP_PID
#                         cleared
#   PY                    Debian's python3 when it is there

# -displayfd: Xvfb takes a free display number itself and writes it once it
# accepts connections (no race with other servers or tests).
xvfb_start() {
    local size=$1 dir=$2
    Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp -fbdir "$dir" \
        3>"$dir/display" >"$dir/xvfb.log" 2>&1 &
    XVFB_PID=$!
    for _ in $(seq 200); do
        [ -s "$dir/display" ] && break
        kill -0 "$XVFB_PID" 2>/dev/null || return 1
        sleep 0.05
    done
    [ -s "$dir/display" ] || return 1
    DISPLAY=":$(tr -d '[:space:]' <"$dir/display")"
    FB=$dir/Xvfb_screen0
    export DISPLAY XVFB_PID FB
}

stop_pid() {
    [ -n "${1:-}" ] || return 0
    kill "$1" 2>/dev/null || return 0
    for _ in $(seq 40); do
        kill -0 "$1" 2>/dev/null || break
        [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = Z ] && break
        sleep 0.05
    done
    kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    return 0
}

xvfb_test_init() { # NAME
    if ! command -v Xvfb >/dev/null 2>&1; then
        echo "SKIP: Xvfb is not installed (Debian package xvfb)"
        exit 77
    fi
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    XVFB_PID="" APP_PID="" STOP_PIDS="" PASSED=0
    PY=$(command -v /usr/bin/python3 || command -v python3)
    trap _xvfb_test_exit EXIT
    trap 'exit 1' INT TERM HUP
}

_xvfb_test_exit() {
    local rc=$? p
    for p in $APP_PID $STOP_PIDS $XVFB_PID; do
        stop_pid "$p"
    done
    declare -F test_on_exit >/dev/null && test_on_exit "$rc"
    rm -rf "$WORK"
    exit "$rc"
}

xvfb_display() { # WxH
    xvfb_start "$1" "$WORK" || die "Xvfb did not start"
    unset SDL_VIDEODRIVER
}

die() {
    local log
    echo "FAIL: $*"
    for log in "$WORK/app.log" "$WORK/xvfb.log"; do
        [ -s "$log" ] && sed "s|^|    $(basename "$log"): |" "$log" | tail -20
    done
    exit 1
}

ok() {
    PASSED=$((PASSED + 1))
    echo "ok: $*"
}

wait_until() { # N STEP CMD...
    local n=$1 step=$2 i
    shift 2
    for ((i = 0; i < n; i++)); do
        "$@" && return 0
        sleep "$step"
    done
    "$@"
}

app_window() {
    WID=$(timeout 10 xdotool search --sync --onlyvisible --name '^infopoint$' | head -n 1)
    [ -n "$WID" ] || die "no infopoint window within 10 s"
}

app_alive() { # without a fork: it is polled while timing how fast the app ends
    local stat
    [ -n "$APP_PID" ] && { read -r stat <"/proc/$APP_PID/stat"; } 2>/dev/null || return 1
    stat=${stat##*) } # the state follows "(comm) "
    case "$stat" in Z* | X*) return 1 ;; esac
    return 0
}

app_exit_within() { # SECONDS
    wait_until $(($1 * 50)) 0.02 _xvfb_app_gone || return 1
    wait "$APP_PID"
    APP_RC=$?
    APP_PID=""
}

_xvfb_app_gone() { ! app_alive; }
