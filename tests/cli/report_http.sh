#!/bin/bash
# Check-in reports (issue 14): `infopoint --report-once` and a running
# kiosk upload their report with HTTP PUT to a real nginx on 127.0.0.1
# (WebDAV PUT, basic auth). A wrong password, a 5xx, a stalled server and a
# full disk on the server fail the upload with the reason and leave the
# kiosk working; a failed upload is tried again after a back-off. Privacy:
# after a scripted session with distinctive typed text, no report, counter
# file, log line or screenshot holds it.
set -u
. "${INFOPOINT_SOURCE_DIR:?}/tests/cli/lib_nginx.sh"
tmp=$(mktemp -d)
silent_pid='' kiosk_pid='' mounted=0
cleanup() {
    [ -n "$kiosk_pid" ] && kill -KILL "$kiosk_pid" 2>/dev/null
    [ -n "$silent_pid" ] && kill -TERM "$silent_pid" 2>/dev/null
    nginx_stop
    [ "$mounted" = 1 ] && umount "$tmp/www/full"
    rm -rf "$tmp"
}
trap cleanup EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }

mkdir -p "$tmp/www/reports" "$tmp/www/full" "$tmp/state"
printf 'kiosk:{PLAIN}s3cret\n' >"$tmp/htpasswd"
printf 's3cret\n' >"$tmp/password"
printf 'wrong\n' >"$tmp/wrong"
dav="dav_methods PUT; create_full_put_path on; client_max_body_size 1m;"
dav="$dav auth_basic reports; auth_basic_user_file $tmp/htpasswd;"
export NGINX_SERVER_EXTRA="location /reports/ { $dav } location /full/ { $dav } location /broken/ { return 503; }"
nginx_start "$tmp/www" || { echo "FAIL: nginx does not start"; exit 1; }

cat >"$tmp/kiosk.conf" <<EOF
[kiosk]
kiosk_id = kiosk a/1
[content]
state_dir = $tmp/state
fallback_bundle = $SAMPLE_BUNDLE
[report]
url = $NGINX_URL/reports/
user = kiosk
password_file = $tmp/password
allow_http = on
interval = 60
EOF
report() { # [options...]: one --report-once; OUT, RC
    OUT=$(timeout 60 infopoint --config "$tmp/kiosk.conf" "$@" --report-once 2>&1)
    RC=$?
}

# ---- privacy: a scripted session with distinctive text -------------------
SECRET_LAT=Qwzxplorvik SECRET_CYR=Жызпрокъ
printf 'tapon search\ntype %s\nwait 300\ntapon @home\nwait 300\ntapon @lang\ntapon @lang-ru\nwait 200\ntapon search\ntype %s\nwait 300\ntapon @home\nwait 300\n' \
    "$SECRET_LAT" "$SECRET_CYR" >"$tmp/session.txt"
# At the debug level: nothing the citizen typed may reach even that.
infopoint --config "$tmp/kiosk.conf" --set log.level=debug --screenshot "$tmp/shot.png" --script "$tmp/session.txt" \
    >"$tmp/session.log" 2>&1 && ok "scripted session" || bad "scripted session: $(cat "$tmp/session.log")"
grep -q "^2 search none$" "$tmp/state/usage/"*.txt && grep -q "^1 session$" "$tmp/state/usage/"*.txt &&
    ok "the session was counted" || bad "counters: $(cat "$tmp/state/usage/"*.txt)"

# ---- a report arrives ------------------------------------------------------
report
file="$tmp/www/reports/kiosk_a_1.txt"   # the id made a safe file name
if [ "$RC" = 0 ] && [ -f "$file" ] && head -1 "$file" | grep -qx "infopoint-report 1"; then
    ok "report uploaded: $OUT"
else
    bad "report: rc=$RC $OUT; $(ls "$tmp/www/reports")"
fi
size=$(stat -c %s "$file" 2>/dev/null || echo 99999)
[ "$size" -lt 3072 ] && ok "report body $size bytes (< 3 KB, so < 4 KB with the request headers)" || bad "report is $size bytes"
grep -q "^kiosk: kiosk a/1$" "$file" && grep -q "^content_version: 1$" "$file" && grep -q "^usage_day: .* 1 [0-9]* 0 2$" "$file" &&
    ok "report names the kiosk, its content and its usage" || bad "report content: $(cat "$file")"
if grep -E "^(reported|last_check|last_success): " "$file" | grep -vqE ": ([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}Z|never|-)$"; then
    bad "a time finer than the hour: $(grep -E '^(reported|last_)' "$file")"
else
    ok "times to the hour only"
fi

# ---- privacy ---------------------------------------------------------------
leaks=$(grep -rlF -e "$SECRET_LAT" -e "$SECRET_CYR" -e "${SECRET_LAT,,}" -e "${SECRET_CYR,,}" \
    "$tmp/www" "$tmp/state" "$tmp/session.log" "$tmp/shot.png" "$NGINX_LOG" 2>/dev/null)
[ -z "$leaks" ] && ok "typed text in no report, counter file, log line or screenshot file" || bad "typed text leaked into: $leaks"

# ---- failures: the reason, exit 1 ---------------------------------------------
report --set report.password_file="$tmp/wrong"
[ "$RC" = 1 ] && echo "$OUT" | grep -q "HTTP 401" && ok "wrong password: $OUT" || bad "wrong password: rc=$RC $OUT"
report --set report.url="$NGINX_URL/broken/"
[ "$RC" = 1 ] && echo "$OUT" | grep -q "HTTP 503" && ok "server error: $OUT" || bad "5xx: rc=$RC $OUT"
report --set report.allow_http=off
[ "$RC" = 1 ] && echo "$OUT" | grep -q "https" && ok "plain http refused unless allowed: $OUT" || bad "http: rc=$RC $OUT"
# A server that accepts the connection and never answers.
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' "$tmp/silent.port" >/dev/null 2>&1 &
silent_pid=$!
for _ in $(seq 50); do [ -s "$tmp/silent.port" ] && break; sleep 0.1; done
t0=$(date +%s)
report --set report.url="http://127.0.0.1:$(cat "$tmp/silent.port")/reports/"
t=$(($(date +%s) - t0))
[ "$RC" = 1 ] && [ "$t" -le 40 ] && ok "stalled server: gave up after $t s: $OUT" || bad "stall: rc=$RC after $t s $OUT"
# A full disk on the server.
if mount -t tmpfs -o size=16k tmpfs "$tmp/www/full" 2>/dev/null; then
    mounted=1
    head -c 16384 /dev/zero >"$tmp/www/full/filler" 2>/dev/null
    report --set report.url="$NGINX_URL/full/"
    [ "$RC" = 1 ] && echo "$OUT" | grep -q "HTTP 5" && ok "full disk on the server: $OUT" || bad "full disk: rc=$RC $OUT"
else
    echo "skip: full disk on the server (cannot mount a tmpfs)"
fi

# ---- a running kiosk: reports, keeps working on failures, backs off --------
run_kiosk() { # seconds [options...]: a dummy-video kiosk, then SIGTERM
    local s=$1
    shift
    SDL_VIDEODRIVER=dummy infopoint --config "$tmp/kiosk.conf" --windowed --size 640x400 "$@" >"$tmp/kiosk.log" 2>&1 &
    kiosk_pid=$!
    sleep "$s"
    kill -0 "$kiosk_pid" 2>/dev/null && KIOSK_ALIVE=1 || KIOSK_ALIVE=0
    kill -TERM "$kiosk_pid" 2>/dev/null
    wait "$kiosk_pid"
    KIOSK_RC=$?
    kiosk_pid=''
}
rm -f "$file"
run_kiosk 8 --idle-reset 2 --size 1280x800
if [ -f "$file" ] && grep -q "^screen: 1280x800$" "$file" && grep -q "^showing: home$" "$file" && grep -q "^restarts: [1-9]" "$file"; then
    ok "a running kiosk reported: $(grep 'report: uploaded' "$tmp/kiosk.log" | tail -1)"
else
    bad "running kiosk: $(cat "$tmp/kiosk.log"; cat "$file" 2>/dev/null)"
fi
# Idle at home for longer than the idle time: a picture of the screen with
# the report, downscaled, once a day.
pic="$tmp/www/reports/kiosk_a_1.png"
if [ -f "$pic" ] && python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); assert d[:8]==b"\x89PNG\r\n\x1a\n"; w,h=struct.unpack(">II",d[16:24]); assert (w,h)==(640,400),(w,h)' "$pic"; then
    ok "screen picture uploaded: 640x400, $(stat -c %s "$pic") bytes"
else
    bad "no screen picture: $(grep picture "$tmp/kiosk.log")"
fi
rm -f "$pic"
run_kiosk 7 --idle-reset 2
[ ! -f "$pic" ] && ok "no second picture the same day" || bad "a second picture within a day"
rm -f "$tmp/state/screenshot.png"
run_kiosk 7 --idle-reset 60
[ ! -f "$pic" ] && ok "no picture unless idle for the idle time" || bad "a picture although not idle"
grep -q "^showing: home$" "$file" || bad "report while not idle"

run_kiosk 8 --set report.url="$NGINX_URL/broken/"
if [ "$KIOSK_ALIVE" = 1 ] && [ "$KIOSK_RC" = 0 ] && grep -q "upload failed (HTTP 503); trying again in 60 s" "$tmp/kiosk.log"; then
    ok "a failing server: the kiosk keeps running and backs off"
else
    bad "failing server: alive=$KIOSK_ALIVE rc=$KIOSK_RC $(cat "$tmp/kiosk.log")"
fi
n=$(grep -c 'upload failed' "$tmp/kiosk.log")
[ "$n" = 1 ] && ok "no second try within the back-off" || bad "$n tries in 8 s"

echo "$pass passed, $fails failed"
[ "$fails" = 0 ]
