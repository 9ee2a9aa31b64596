#!/bin/bash
# SIGTERM (systemctl stop) and SIGINT (Ctrl+C) stop the kiosk cleanly, and
# only they do in kiosk mode: SDL's own signal handlers are off and every
# SDL_QUIT is ignored there (a window manager's close: tests/cli/lockdown.sh).
# Under the dummy video driver (no display needed):
#   - a full-screen kiosk and a development window each stop with status 0
#     within 2 s of SIGTERM or SIGINT, and log which signal came;
#   - --sync-once, its download crawling at 1 byte/s (tests/tools/faultd.py),
#     stops within 1 s of SIGTERM with status 1 and "cancelled", leaving no
#     installed content behind.
set -u
# Time limits are for a normal build; the sanitizer pass of `make test`
# runs programs 2-5 times slower and sets INFOPOINT_SLOW (tests/CMakeLists.txt).
SLOW=${INFOPOINT_SLOW:-1}
SRC=${INFOPOINT_SOURCE_DIR:?}
. "$SRC/tests/cli/lib_xvfb.sh" # stop_pid
. "$SRC/tests/cli/lib_nginx.sh" # faultd
WORK=$(mktemp -d "${TMPDIR:-/tmp}/signals.XXXXXX")
APP_PID=""
cleanup() {
    local rc=$?
    faultd_stop
    stop_pid "$APP_PID"
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
die() {
    echo "FAIL: $*"
    [ -s "$WORK/app.log" ] && sed 's/^/    app.log: /' "$WORK/app.log" | tail -20
    exit 1
}
ok() { echo "ok: $*"; }
export SDL_VIDEODRIVER=dummy
alive() { kill -0 "$APP_PID" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$APP_PID/stat")" != Z ]; }

# stops_on SIGNAL [infopoint options]: starts the kiosk, waits until its
# loop runs, sends SIGNAL, expects status 0 within 2 s.
stops_on() {
    local sig=$1
    shift
    infopoint --size 320x240 --bundle "$SAMPLE_BUNDLE" "$@" >"$WORK/app.log" 2>&1 &
    APP_PID=$!
    for _ in $(seq 200); do
        grep -q "video driver" "$WORK/app.log" && break
        alive || die "the kiosk exited at start"
        sleep 0.05
    done
    grep -q "video driver" "$WORK/app.log" || die "the kiosk did not start its loop in 10 s"
    local start
    start=$(date +%s%N)
    kill -"$sig" "$APP_PID"
    for _ in $(seq 100); do
        alive || break
        sleep 0.02
    done
    alive && die "still running 2 s after SIG$sig ($*)"
    wait "$APP_PID"
    local rc=$?
    APP_PID=""
    [ "$rc" = 0 ] || die "exit status $rc after SIG$sig ($*)"
    grep -q "SIG$sig received" "$WORK/app.log" || die "SIG$sig was not handled by the kiosk ($*)"
    ok "SIG$sig ${*:-(kiosk mode)}: stopped with status 0 after $((($(date +%s%N) - start) / 1000000)) ms"
}

stops_on TERM
stops_on INT
stops_on TERM --windowed
stops_on INT --windowed

# ---- --sync-once -------------------------------------------------------------
infopoint-bundle keygen --out "$WORK/keys" >/dev/null || die "keygen"
infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$WORK/keys/publisher.key" --out "$WORK/repo" >/dev/null ||
    die "publish"
faultd_start "$WORK/repo" --fault "drip@/objects/*" || die "faultd did not start"
infopoint --sync-once "$FAULTD_URL" --allow-http --trust "$WORK/keys/publisher.pub" --state "$WORK/state" \
    >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 100); do # the sync has reached the dripping objects
    [ -n "$(ls "$WORK/state/objects/"*.part 2>/dev/null)" ] && break
    alive || die "--sync-once ended before the download"
    sleep 0.1
done
[ -n "$(ls "$WORK/state/objects/"*.part 2>/dev/null)" ] || die "the sync did not start downloading"
start=$(date +%s%N)
kill -TERM "$APP_PID"
for _ in $(seq 100); do
    alive || break
    sleep 0.02
done
ms=$((($(date +%s%N) - start) / 1000000))
alive && die "--sync-once still running 2 s after SIGTERM"
wait "$APP_PID"
rc=$?
APP_PID=""
[ "$rc" = 1 ] || die "--sync-once: exit status $rc after SIGTERM (want 1: the sync did not finish)"
[ "$ms" -lt $((1000 * SLOW)) ] || die "--sync-once took $ms ms to stop (the download is not cancelled in time)"
grep -q "cancelled" "$WORK/app.log" || die "--sync-once did not say the sync was cancelled"
[ -e "$WORK/state/current" ] && die "a cancelled sync installed content"
ok "--sync-once: SIGTERM cancelled the download, status 1 after $ms ms: $(tail -n 1 "$WORK/app.log")"
echo "PASS"
