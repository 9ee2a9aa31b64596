#!/bin/bash
# `infopoint --preview DIR` (issue 14, item 5): a content folder shown in a
# window and built again on every save; an edit that does not build is
# logged with file:line and shown in a panel on the screen, and the last
# good content stays; the next good save is on screen again. Measures save → on screen for the sample.
set -u
tmp=$(mktemp -d)
pid=''
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_line N TEXT: waits (up to 10 s) until the log has N lines holding TEXT.
wait_line() {
    for _ in $(seq 200); do
        [ "$(grep -c -- "$2" "$tmp/log")" -ge "$1" ] && return 0
        sleep 0.05
    done
    return 1
}

cp -r "${INFOPOINT_SOURCE_DIR:?}/assets/content" "$tmp/content"
SDL_VIDEODRIVER=dummy infopoint --preview "$tmp/content" --open item/commission-session >"$tmp/log" 2>&1 &
pid=$!
wait_line 1 "preview: built" && ok "first build: $(grep 'preview: built' "$tmp/log")" || bad "no first build: $(cat "$tmp/log")"
sleep 0.5

t0=$(now_ms)
printf '\nA paragraph added while previewing.\n' >>"$tmp/content/items/commission-session/en.md"
if wait_line 1 "rebuilt in .* on screen"; then
    ok "an edit is on screen $(($(now_ms) - t0)) ms after the save ($(grep -m1 'rebuilt in' "$tmp/log" | sed 's/.*preview: //'))"
else
    bad "the edit did not show: $(cat "$tmp/log")"
fi

cp "$tmp/content/bundle.conf" "$tmp/bundle.conf.good"
printf '[bundle\n' >>"$tmp/content/bundle.conf"
if wait_line 1 "does not build" && wait_line 1 "bundle.conf:[0-9]*: error"; then
    ok "a broken save is reported with file:line: $(grep -m1 'bundle.conf:[0-9]*: error' "$tmp/log" | sed 's/.*preview: //')"
else
    bad "no error for a broken save: $(cat "$tmp/log")"
fi
wait_line 1 "errors on screen" && ok "the messages are in a panel on the screen" || bad "no panel: $(cat "$tmp/log")"
kill -0 "$pid" 2>/dev/null && ok "the window stays, with the last good content" || bad "the preview ended"

cp "$tmp/bundle.conf.good" "$tmp/content/bundle.conf"
wait_line 2 "rebuilt in .* on screen" && ok "fixed: on screen again" || bad "not rebuilt after the fix: $(cat "$tmp/log")"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=''
[ "$rc" = 0 ] && ok "SIGTERM ends it" || bad "exit $rc"
ls -d /tmp/infopoint-preview-* 2>/dev/null | while read -r d; do
    [ -d "$d" ] && grep -q "$d" "$tmp/log" && bad "temporary files left in $d"
done
out=$(infopoint --preview "$tmp/content" --screenshot "$tmp/x.png" 2>&1)
[ $? = 2 ] && ok "not with --screenshot" || bad "--preview --screenshot: $out"
echo "$pass passed, $fails failed"
[ "$fails" = 0 ]
