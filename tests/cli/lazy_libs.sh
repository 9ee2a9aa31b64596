#!/bin/bash
# libcurl and libespeak-ng are opened at run time, when first needed
# (app/base/dynlib.h), and libsystemd not at all (app/base/service.c):
#   - the kiosk's NEEDED list names none of them, so a start does not load
#     their ~60 libraries;
#   - when they cannot be loaded, for real (INFOPOINT_DLOPEN_DIR: dlopen
#     looks in an empty folder, or finds a library without their symbols),
#     the kiosk still starts and shows content, read-aloud fails with the
#     reason in the log, and a sync or a report over http fails with
#     "cannot load libcurl.so.4: <why>", while a sync from file:// (a USB
#     stick) works: it never needs curl.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
bin=$(command -v infopoint)

# ---- what the kiosk links --------------------------------------------------------
needed=$(readelf -d "$bin" | awk '/NEEDED/ {print $NF}' | tr -d '[]')
[ -n "$needed" ] || bad "readelf shows no NEEDED entries for $bin"
for lib in libcurl libespeak-ng libsystemd; do
    if echo "$needed" | grep -q "^$lib\.so"; then bad "infopoint links $lib: $(echo $needed)"; else ok "infopoint does not link $lib"; fi
done

mkdir -p "$tmp/empty" "$tmp/nosym" "$tmp/state" "$tmp/state2"
# A library that loads but is not the one asked for: every symbol is missing.
libm=$(gcc -print-file-name=libm.so.6)
[ -f "$libm" ] || libm=$(find /lib /usr/lib -name libm.so.6 | head -1)
ln -s "$libm" "$tmp/nosym/libcurl.so.4"
ln -s "$libm" "$tmp/nosym/libespeak-ng.so.1"

# ---- read-aloud ---------------------------------------------------------------------
# A headset plugged in starts speech mode, which speaks at once.
printf 'audio added\nwait 300\n' >"$tmp/headset.txt"
speak() { # DLOPEN_DIR ('' for none) NAME: a headless session with a headset; log in $tmp/NAME.log
    INFOPOINT_DLOPEN_DIR=$1 infopoint --bundle "$SAMPLE_BUNDLE" --screenshot "$tmp/$2.png" \
        --script "$tmp/headset.txt" >"$tmp/$2.log" 2>&1
}
speak "" speaks && [ -s "$tmp/speaks.png" ] && ok "speech mode with espeak-ng" || bad "speech mode: $(cat "$tmp/speaks.log")"
grep -q "cannot load" "$tmp/speaks.log" && bad "espeak-ng did not load: $(cat "$tmp/speaks.log")" || ok "espeak-ng loads"
for d in empty nosym; do
    if speak "$tmp/$d" "mute-$d" && [ -s "$tmp/mute-$d.png" ]; then ok "the kiosk shows content without espeak-ng ($d)"
    else bad "the kiosk without espeak-ng ($d): $(cat "$tmp/mute-$d.log")"; fi
done
grep -q "read-aloud: cannot load libespeak-ng.so.1: .*libespeak-ng.so.1: cannot open shared object file" "$tmp/mute-empty.log" &&
    ok "a missing libespeak-ng is named in the log" || bad "no clear message: $(cat "$tmp/mute-empty.log")"
grep -q "read-aloud: cannot load libespeak-ng.so.1: .*undefined symbol: espeak_" "$tmp/mute-nosym.log" &&
    ok "a libespeak-ng without its symbols is named in the log" || bad "no clear message: $(cat "$tmp/mute-nosym.log")"

# ---- report over http -----------------------------------------------------------
cat >"$tmp/kiosk.conf" <<EOF2
[kiosk]
kiosk_id = lazy-1
[content]
state_dir = $tmp/state
fallback_bundle = $SAMPLE_BUNDLE
[report]
url = http://127.0.0.1:9/reports/
allow_http = on
EOF2
for d in empty nosym; do
    out=$(INFOPOINT_DLOPEN_DIR=$tmp/$d timeout 60 infopoint --config "$tmp/kiosk.conf" --report-once 2>&1)
    rc=$?
    [ "$rc" = 1 ] && echo "$out" | grep -q "cannot load libcurl.so.4: " && ok "--report-once without libcurl ($d): $out" ||
        bad "--report-once without libcurl ($d): rc $rc: $out"
done
out=$(timeout 60 infopoint --config "$tmp/kiosk.conf" --report-once 2>&1)
echo "$out" | grep -q "cannot load" && bad "--report-once with libcurl: $out" || ok "--report-once with libcurl gets to the network: $out"

# ---- sync: http needs curl, file:// does not ----------------------------------------
repo=$tmp/repo
infopoint-bundle keygen --out "$tmp/keys" >/dev/null || { bad "keygen"; exit 1; }
infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys/publisher.key" --out "$repo" >/dev/null || { bad "publish"; exit 1; }
out=$(INFOPOINT_DLOPEN_DIR=$tmp/empty timeout 60 infopoint --sync-once http://127.0.0.1:9/repo --allow-http \
    --trust "$tmp/keys/publisher.pub" --state "$tmp/state" 2>&1)
rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "cannot load libcurl.so.4: " && ok "an http sync without libcurl fails with the reason" ||
    bad "http sync without libcurl: rc $rc: $out"
out=$(INFOPOINT_DLOPEN_DIR=$tmp/empty timeout 60 infopoint --sync-once "$repo" \
    --trust "$tmp/keys/publisher.pub" --state "$tmp/state2" 2>&1)
rc=$?
[ "$rc" = 0 ] && [ -s "$tmp/state2/current" ] && ok "a file:// sync works without libcurl" ||
    bad "file:// sync without libcurl: rc $rc: $out"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
