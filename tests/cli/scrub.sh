#!/bin/bash
# The background scrub (app/sync/scrub.h): the installed bundles checked
# whole, a damaged one replaced, and the power-cut guarantee kept.
#   1. two versions installed (edition A, then B live): `infopoint --scrub`
#      passes both;
#   2. bytes flipped in a page of B's article texts: --scrub says so, exits 1,
#      and A is live again, shown without any fallback; B is deleted and the
#      next sync builds it again;
#   3. the previous bundle truncated: a full scrub deletes it and B stays;
#   4. kill -9 at random moments of a scrub that falls back from a damaged
#      live bundle: after each kill `current` names a bundle that is there,
#      the kiosk shows edition A, and the next scrub finishes the job;
#   5. a window kiosk (dummy video driver) on a state left by an unclean
#      shutdown (STATE/running) scrubs at start; killed with SIGKILL right
#      as it scrubs, the marker stays and the next start scrubs again; a
#      live bundle that rots under a running kiosk (its file identity
#      unchanged, so the start's cached digest check passes) is found, the
#      kiosk swaps to the previous bundle at once and syncs B again; SIGTERM
#      removes the marker.
# Environment: SCRUB_KILLS (default 20), SCRUB_SEED.
set -u
SLOW=${INFOPOINT_SLOW:-1}
kills=${SCRUB_KILLS:-20}
seed=${SCRUB_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$seed
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scrub.XXXXXX")
state=$tmp/state
repo=$tmp/repo
APP_PID=""
cleanup() {
    [ -n "$APP_PID" ] && kill -KILL "$APP_PID" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=lib_sync.sh
. "${INFOPOINT_SOURCE_DIR:?}/tests/cli/lib_sync.sh"
export SDL_VIDEODRIVER=dummy
now_us() { date +%s%6N; }

sync_editions "This is edition B of the content, checked by the scrub test." noise.png Noise 1080000
key=$tmp/keys/publisher.key
pub=$tmp/keys/publisher.pub
version=0
publish_sync() { # EDITION: publishes the next version and syncs it
    version=$((version + 1))
    infopoint-bundle publish "$tmp/$1.ipb" --key "$key" --out "$repo" --version $version >/dev/null 2>&1 ||
        die "publish version $version"
    out=$(infopoint --sync-once "$repo" --trust "$pub" --state "$state" 2>&1) || die "sync of version $version: $out"
}
# XORs 64 bytes of a leaf page of item_texts (the articles' texts) in the
# middle of the file; with KEEP, the modification time stays (a rotting
# block does not change it).
rot() { # BUNDLE [KEEP]
    python3 - "$1" <<'EOF' || die "could not damage $1"
import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
pages = [r[0] for r in c.execute("SELECT pageno FROM dbstat WHERE name = 'item_texts' AND pagetype = 'leaf' ORDER BY pageno")]
size = c.execute("PRAGMA page_size").fetchone()[0]
c.close()
off = (pages[len(pages) // 2] - 1) * size + size * 3 // 4
with open(sys.argv[1], "r+b") as f:
    f.seek(off); b = f.read(64); f.seek(off); f.write(bytes(x ^ 0x5a for x in b))
EOF
    [ -n "${2:-}" ] && touch -d "@$KEEP_MTIME" "$1"
    return 0
}
scrub() { infopoint --scrub --state "$state" 2>&1; }
# The kiosk shows edition E, falling back or not (the picture only).
pictures() { # E
    infopoint --state "$state" --lang en --open $SYNC_ROUTE --size $SYNC_SIZE --screenshot "$tmp/pic.png" \
        >/dev/null 2>&1 && cmp -s "$tmp/pic.png" "$tmp/ref$1.png"
}

# ---- 1. two versions, both pass ------------------------------------------------
publish_sync A
publish_sync B
[ "$(field version)" = 2 ] || die "version 2 is not live"
out=$(scrub) || die "scrub of two good bundles: $out"
[[ $out == *"2 installed bundles passed"* ]] || die "scrub said: $out"
grep -q "^pending 0" "$state/scrub" && grep -q "^checked bundle-2.ipb " "$state/scrub" ||
    die "STATE/scrub: $(cat "$state/scrub")"
ok
echo "ok: two good bundles pass: $out"

# ---- 2. a damaged live bundle gives way --------------------------------------
cp -a "$state" "$tmp/good"
rot "$state/bundle-2.ipb"
cp -a "$state" "$tmp/damaged"
out=$(scrub) && die "the scrub of a damaged bundle exited 0: $out"
[[ $out == *"bundle-2.ipb is damaged; version 1 is live again"* ]] || die "scrub said: $out"
[[ $out == *"content digest"* ]] || die "no reason given: $out"
[ "$(field version)" = 1 ] || die "version $(field version) is live, not 1"
[ ! -e "$state/bundle-2.ipb" ] && [ ! -e "$state/previous" ] || die "the damaged bundle is kept: $(ls "$state")"
why=$(shows A) || die "after the fallback: $why"
out=$(infopoint --sync-once "$repo" --trust "$pub" --state "$state" 2>&1) || die "re-sync: $out"
[ "$(field version)" = 2 ] || die "the re-sync did not install version 2: $out"
why=$(shows B) || die "after the re-sync: $why"
out=$(scrub) || die "scrub after the re-sync: $out"
ok
echo "ok: a damaged live bundle gives way to the previous one, the next sync builds it again"

# ---- 3. a damaged previous bundle is dropped ------------------------------------
prev=$(awk '$1 == "bundle" { print $2 }' "$state/previous")
truncate -s 8192 "$state/$prev"
out=$(scrub) || die "the scrub failed on a damaged previous bundle: $out"
[[ $out == *"previous bundle $prev is damaged"* ]] || die "scrub said: $out"
[ ! -e "$state/$prev" ] && [ ! -e "$state/previous" ] || die "the damaged previous bundle is kept"
why=$(shows B) || die "after dropping the previous bundle: $why"
ok
echo "ok: a damaged previous bundle is dropped"

# ---- 4. kill -9 during a scrub that falls back -----------------------------------
rm -rf "$state"
cp -a "$tmp/damaged" "$state"
t0=$(now_us)
scrub >/dev/null
full=$(( $(now_us) - t0 ))
echo "a scrub that falls back takes $((full / 1000)) ms"
declare -A HIST=()
for ((i = 1; i <= kills; i++)); do
    rm -rf "$state"
    cp -a "$tmp/damaged" "$state"
    delay=$(( (RANDOM * 32768 + RANDOM) % (full * 6 / 5 + 1) ))
    infopoint --scrub --state "$state" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%06d' $((delay / 1000000)) $((delay % 1000000)))"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    v=$(field version)
    HIST[$rc:$v]=$(( ${HIST[$rc:$v]:-0} + 1 ))
    if [ "$v" != 1 ] && [ "$v" != 2 ]; then
        bad "kill $i: current names version '$v'"; continue
    fi
    [ -f "$state/$(field bundle)" ] || [ "$v" = 2 ] || { bad "kill $i: version $v is live and missing"; continue; }
    pictures A || { bad "kill $i (after $delay us, status $rc): the kiosk does not show edition A"; continue; }
    out=$(scrub)
    [ "$(field version)" = 1 ] && [ ! -e "$state/bundle-2.ipb" ] ||
        { bad "kill $i: the next scrub did not finish the job: $out"; continue; }
    why=$(shows A) || { bad "kill $i: after the next scrub: $why"; continue; }
    ok
done
echo "kills: $kills (seed $seed); status:version left: ${!HIST[*]} -> ${HIST[*]}"

# ---- 5. a window kiosk: unclean shutdown, kill during the scrub, rot ----------------
rm -rf "$state"
cp -a "$tmp/good" "$state"
alive() { kill -0 "$APP_PID" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$APP_PID/stat")" != Z ]; }
start_kiosk() { # LOG
    infopoint --state "$state" --sync "$repo" --trust "$pub" --sync-first 3600 --size 320x240 >"$1" 2>&1 &
    APP_PID=$!
}
wait_log() { # LOG PATTERN SECONDS
    local n=$(( $3 * 20 * SLOW ))
    for ((k = 0; k < n; k++)); do
        grep -q "$2" "$1" && return 0
        alive || return 1
        sleep 0.05
    done
    return 1
}
touch "$state/running" # the last kiosk did not stop cleanly
start_kiosk "$tmp/k1.log"
wait_log "$tmp/k1.log" "did not end cleanly" 10 || die "no unclean shutdown noticed: $(tail -5 "$tmp/k1.log")"
kill -KILL "$APP_PID"
wait "$APP_PID" 2>/dev/null
APP_PID=""
[ -e "$state/running" ] || die "the marker is gone after SIGKILL"
grep -q "passed integrity_check" "$tmp/k1.log" && echo "note: the scrub had finished before the kill"
grep -q "^pending 1" "$state/scrub" || grep -q "passed integrity_check" "$tmp/k1.log" ||
    die "the scrub owed is not recorded: $(cat "$state/scrub")"
why=$(shows B) || die "after the kill during the scrub: $why"
ok
start_kiosk "$tmp/k2.log"
wait_log "$tmp/k2.log" "did not end cleanly" 10 || die "the second start did not notice: $(tail -5 "$tmp/k2.log")"
wait_log "$tmp/k2.log" "bundle-1.ipb (version 1) passed integrity_check" 30 ||
    die "no full scrub after the restart: $(tail -5 "$tmp/k2.log")"
grep -q "^pending 0" "$state/scrub" || die "the scrub is still owed: $(cat "$state/scrub")"
ok
echo "ok: an unclean shutdown, also one during the scrub, makes the next start scrub"
# Rot under the running kiosk, then another unclean start to make the scrub due.
KEEP_MTIME=$(stat -c %Y "$state/bundle-2.ipb")
kill -KILL "$APP_PID"
wait "$APP_PID" 2>/dev/null
rot "$state/bundle-2.ipb" keep
start_kiosk "$tmp/k3.log"
wait_log "$tmp/k3.log" "version 1 is live again" 30 || die "the rot was not found: $(tail -5 "$tmp/k3.log")"
wait_log "$tmp/k3.log" "now showing .*bundle-1.ipb" 10 || die "the kiosk did not swap: $(tail -5 "$tmp/k3.log")"
wait_log "$tmp/k3.log" "now showing .*bundle-2.ipb" 30 || die "no re-sync: $(tail -5 "$tmp/k3.log")"
ok
echo "ok: a rotten live bundle under a running kiosk: swapped to the previous one, synced again"
kill -TERM "$APP_PID"
wait "$APP_PID"
rc=$?
APP_PID=""
[ "$rc" = 0 ] || die "SIGTERM: status $rc"
[ ! -e "$state/running" ] || die "a clean stop left the marker"
why=$(shows B) || die "at the end: $why"
ok
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
