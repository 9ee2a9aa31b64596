#!/bin/bash
# The kiosk's command line: options, no display, bad bundles, bad routes and
# scripts. Each case checks the exit status and the message a person reads.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
pass=0

check() { # name, expected status, expected message fragment, command...
    local name=$1 want=$2 frag=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" -ne "$want" ] || ! grep -qF -- "$frag" "$tmp/out" "$tmp/err"; then
        echo "FAIL: $name: status $got (want $want), output:"
        cat "$tmp/out" "$tmp/err" | head -5
        fails=$((fails + 1))
    else
        pass=$((pass + 1))
    fi
}

check "version" 0 "infopoint " infopoint --version
check "help" 0 "--screenshot" infopoint --help
check "unknown option" 2 "unknown option --bogus" infopoint --bogus
check "bad size" 2 "--size wants WxH" infopoint --size 10x10 --screenshot "$tmp/x.png"
check "bad lang" 2 "--lang must be kk, ru or en" infopoint --lang de --screenshot "$tmp/x.png"
check "script without screenshot" 2 "--script needs --screenshot" infopoint --script /dev/null

# No display at all: a two-line hint instead of a raw SDL error.
check "no display" 1 "no display available" env SDL_VIDEODRIVER=x11 DISPLAY= WAYLAND_DISPLAY= infopoint
check "no display hint" 1 "SDL_VIDEODRIVER=kmsdrm" env SDL_VIDEODRIVER=x11 DISPLAY= WAYLAND_DISPLAY= infopoint

# Routes that name nothing: non-zero with the reason.
check "missing item" 1 "no item 'no-such-item'" infopoint --screenshot "$tmp/x.png" --open item/no-such-item
check "bad route" 1 "cannot open route" infopoint --screenshot "$tmp/x.png" --open 'bad route'
check "missing card" 1 "has 8 cards, not 99" infopoint --screenshot "$tmp/x.png" --open deck/key-changes/99

# A content folder is not a bundle: the message says what to do.
check "folder as bundle" 2 "is a content folder: to see it" infopoint --bundle "$INFOPOINT_SOURCE_DIR/assets/content" --screenshot "$tmp/x.png"

# Bad scripts.
printf 'tap 10\n' >"$tmp/bad.script"
check "bad script" 2 "line 1: 'tap' takes 2 numbers" infopoint --screenshot "$tmp/x.png" --script "$tmp/bad.script"
printf 'tapon item/nowhere\n' >"$tmp/nowhere.script"
check "tapon nothing" 1 "nothing on screen leads to 'item/nowhere'" \
    infopoint --screenshot "$tmp/x.png" --script "$tmp/nowhere.script"

# Bad bundles: the kiosk still shows a screen (out of service, with the
# reason) and says why in the log; it never crashes or shows nothing. The
# screenshot's exit status is 1: the content asked for is not what it shows.
echo "not a database, just text" >"$tmp/text.ipb"
head -c 5000 "$SAMPLE_BUNDLE" >"$tmp/truncated.ipb"
for b in "$tmp/text.ipb" "$tmp/truncated.ipb" "$tmp/missing.ipb"; do
    rm -f "$tmp/oos.png"
    check "bad bundle $(basename "$b")" 1 "the screenshot shows the out-of-service screen" \
        infopoint --bundle "$b" --screenshot "$tmp/oos.png"
    if ! grep -qE "no content opened \(.*(not a content bundle|damaged|not found)" "$tmp/err" || [ ! -s "$tmp/oos.png" ]; then
        echo "FAIL: bad bundle $(basename "$b"): no reason logged or no picture"
        fails=$((fails + 1))
    fi
done
# The out-of-service screen is not blank: a flat PNG of one colour compresses
# to well under a kilobyte; text makes it several.
size=$(stat -c %s "$tmp/oos.png" 2>/dev/null || echo 0)
[ "$size" -gt 3000 ] || { echo "FAIL: out-of-service picture looks empty ($size bytes)"; fails=$((fails + 1)); }

# Odd and tiny screens: every screen still draws, nothing crashes.
for size in 64x64 200x150 320x240 8192x64 64x4000; do
    for route in home 'search?q=abcdefghij' deck/key-changes/1 'item/constitution#art43-5' item/commission-session; do
        check "size $size $route" 0 "screenshot" infopoint --screenshot "$tmp/odd.png" --size "$size" --open "$route"
    done
done

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
