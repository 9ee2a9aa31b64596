#!/bin/bash
# Private listening on plain ALSA, the whole way (issue 11 item 2): a window
# kiosk on SDL's ALSA driver, with a /dev of its own (a mount namespace) in
# which a USB headset appears as card 1 (pcmC1D0p). The sound watcher's
# event must start speech mode and make speech play to that card
# ("plughw:1,0": this /proc/asound has no card 1, so the number names it),
# not to ALSA's default (card 0 on a kiosk board: its public speaker).
# ALSA's configuration (ALSA_CONFIG_PATH) sends the default and every
# plughw PCM to a FIFO each, drained at a device's pace (22050 Hz, 16-bit
# mono) by tests/tools/pacer.py. Checked: the headset hears the speech mode
# announcement (seconds of loud audio), the default hears nothing, pulling
# the headset ends speech mode and names the default again. Printed: how
# long after the plug the headset's device was opened.
# Needs root for the mount namespace; exits 77 (skip) when it is not allowed.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/headset_alsa.XXXXXX")
pid="" pacers=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -n "$pacers" ] && kill $pacers 2>/dev/null
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
pacer="$INFOPOINT_SOURCE_DIR/tests/tools/pacer.py"

if ! unshare -m true 2>/dev/null; then
    echo "SKIP: no mount namespace (needs root)"
    exit 77
fi

# The kiosk's /dev: what it opens there, and an empty snd/ (no sound card).
mkdir -p "$tmp/dev/snd"
for n in null zero random urandom; do touch "$tmp/dev/$n"; done
cat >"$tmp/asound.conf" <<EOF
pcm.!default { type file slave.pcm "null" file "$tmp/public.fifo" format "raw" }
pcm.!plughw {
    @args [ CARD DEV SUBDEV ]
    @args.CARD { type string }
    @args.DEV { type integer }
    @args.SUBDEV { type integer default -1 }
    type file slave.pcm "null" file "$tmp/headset.fifo" format "raw"
}
EOF
mkfifo "$tmp/public.fifo" "$tmp/headset.fifo"
python3 "$pacer" "$tmp/public.fifo" "$tmp/public.raw" "$tmp/public.opened" &
pacers="$!"
python3 "$pacer" "$tmp/headset.fifo" "$tmp/headset.raw" "$tmp/headset.opened" &
pacers="$pacers $!"

unshare -m sh -c '
    for n in null zero random urandom; do mount --bind /dev/$n "$0/dev/$n"; done
    mount --bind "$0/dev" /dev
    exec env SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=alsa \
        ALSA_CONFIG_PATH="/usr/share/alsa/alsa.conf:$0/asound.conf" HOME="$0" \
        infopoint --windowed --size 800x480 --bundle "$SAMPLE_BUNDLE"
' "$tmp" 2>"$tmp/log" &
pid=$!

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
for _ in $(seq 100); do
    grep -q "devices in /dev/snd watched" "$tmp/log" && break
    sleep 0.1
done
sleep 1
plugged=$(date +%s.%N)
touch "$tmp/dev/snd/controlC1" "$tmp/dev/snd/pcmC1D0c" "$tmp/dev/snd/pcmC1D0p"
sleep 8
rm "$tmp/dev/snd/pcmC1D0p" "$tmp/dev/snd/pcmC1D0c" "$tmp/dev/snd/controlC1"
sleep 3
kill "$pid"
wait "$pid"
pid=""
sleep 1
cat "$tmp/log"

grep -q "speech plays to plughw:1,0 (card 1 plugged in)" "$tmp/log" || fail "speech was not sent to card 1"
grep -q "speech mode on" "$tmp/log" || fail "the plug did not start speech mode"
grep -q "speech plays to the default output (card 1 pulled out)" "$tmp/log" || fail "the default was not named again"
grep -q "speech mode off" "$tmp/log" || fail "pulling the headset did not end speech mode"
if [ -s "$tmp/headset.opened" ]; then
    awk -v p="$plugged" '{ printf "headset device opened %.0f ms after the plug\n", ($1 - p) * 1000 }' \
        "$tmp/headset.opened"
else
    fail "the headset's device was never opened"
fi
heard=$(python3 "$pacer" --loud "$tmp/headset.raw")
echo "headset: $heard s of loud audio"
awk -v s="$heard" 'BEGIN { exit !(s >= 2.0) }' || fail "the headset heard $heard s (want >= 2 s)"
[ -e "$tmp/public.opened" ] && fail "the default output (the public speaker) was opened"
[ -s "$tmp/public.raw" ] && fail "the default output got $(stat -c %s "$tmp/public.raw") bytes"
echo "$((5 - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
