# A private X11 display for the window tests. Source this file (it is not a
# test on its own):
#
#   . "$INFOPOINT_SOURCE_DIR/tests/cli/lib_xvfb.sh"
#   xvfb_start WxH DIR    Xvfb on the first free display, its frame buffer
#                         kept as DIR/Xvfb_screen0 (XWD, always current);
#                         exports DISPLAY, XVFB_PID and FB; returns 1 when
#                         Xvfb did not come up
#   stop_pid PID          SIGTERM, then SIGKILL after 2 s; safe on a pid
#                         that is gone
#
# The caller unsets SDL_VIDEODRIVER (ctest sets it to dummy) so the program
# under test opens a real window.

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
