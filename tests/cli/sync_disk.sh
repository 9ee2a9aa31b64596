#!/bin/bash
# A full disk during a sync (design.md, "Applying an update"): the state
# directory is a tmpfs of our own, edition A (the sample bundle) is installed,
# then edition B, which adds a 3 MB photo, is published.
#   1. The tmpfs is shrunk to 2 MB more than it holds: B cannot fit whatever
#      the safety margin, so the free-disk check must refuse it before any
#      record is downloaded ("not enough free disk: ...", exit 1).
#   2. The tmpfs is large again, so the check passes; the repository is
#      served by nginx at 256 KB/s (a FIFO on a stick is refused now), so the
#      sync is still downloading the photo when the disk is filled with a
#      dummy file, leaving room
#      (a) for the photo and the copy of the live bundle but not for the
#      photo's rows in the staging bundle (SQLite fails mid-apply), (b) for
#      the photo but not the copy of the live bundle, (c) for half the photo
#      (the download fails). The sync must fail with the reason, exit 1.
#   After each refusal or failure: `current` and the live bundle's sha256 are
#   unchanged, no staging file is left, the bundle passes `infopoint-bundle
#   info` and PRAGMA integrity_check, and the kiosk still shows edition A.
#   3. With the space back, the next sync installs B and leaves no staging,
#      partial or temporary file.
# Needs root for mount; exits 77 (skip) when mounting a tmpfs is not allowed.
set -u
BIG_MB=3            # the photo edition B adds
ROOMY=64m           # a tmpfs in which every sync passes the free-disk check

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sync_disk.XXXXXX")
state=$tmp/state
repo=$tmp/repo
mounted=0 pid=""
cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    nginx_stop
    [ "$mounted" = 1 ] && umount "$state"
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

mkdir "$state"
if ! mount -t tmpfs -o size=$ROOMY tmpfs "$state" 2>"$tmp/mount.err"; then
    echo "SKIP: cannot mount a tmpfs for the state directory (needs root): $(cat "$tmp/mount.err")"
    exit 77
fi
mounted=1

# shellcheck source=lib_sync.sh
. "${INFOPOINT_SOURCE_DIR:?}/tests/cli/lib_sync.sh"
# shellcheck source=lib_nginx.sh
. "${INFOPOINT_SOURCE_DIR:?}/tests/cli/lib_nginx.sh"

# ---- two editions: A, and B with a large photo ------------------------------------
sync_editions "This is edition B of the content, with a large photo." big.png "A large photo" $((BIG_MB * 1048576))

SYNC=(infopoint --sync-once "$repo" --trust "$tmp/keys/publisher.pub" --state "$state")
sync_once() { # runs one sync; its stdout and stderr in $tmp/out, $tmp/err
    "${SYNC[@]}" >"$tmp/out" 2>"$tmp/err"
}
avail() { df -B1 --output=avail "$state" | tail -1; }
used() { df -B1 --output=used "$state" | tail -1; }

# The kiosk shows edition E from the state directory, from its live bundle.
shows_edition() { # E LABEL
    local why
    if why=$(shows "$1"); then ok; else bad "$2: $why"; fi
}

# ---- edition A installed -----------------------------------------------------------
infopoint-bundle publish "$tmp/A.ipb" --key "$tmp/keys/publisher.key" --out "$repo" >"$tmp/pubA" || die "publish A"
PUB_A=$(published_digest "$tmp/pubA") # stamped with its version and date
sync_once || die "install A: $(cat "$tmp/err")"
live=$state/$(field bundle)
live_sum=$(sha256sum <"$live")
cp "$state/current" "$tmp/current.A"
shows_edition A "edition A installed"
infopoint-bundle publish "$tmp/B.ipb" --key "$tmp/keys/publisher.key" --out "$repo" >"$tmp/pubB" || die "publish B"
PUB_B=$(published_digest "$tmp/pubB")
# The photo's record: the largest object of the repository.
big=$(ls -S "$repo/objects" | head -1)
big_size=$(stat -c %s "$repo/objects/$big")
[ "$big_size" -gt $((BIG_MB * 1000000)) ] || die "the photo's object is only $big_size bytes"

# After a sync that could not finish: the live bundle is untouched and works.
intact() { # LABEL
    local label=$1 got
    cmp -s "$state/current" "$tmp/current.A" || bad "$label: current changed: $(cat "$state/current")"
    [ "$(sha256sum <"$live")" = "$live_sum" ] || bad "$label: the live bundle changed"
    [ -z "$(find "$state" -name '*.staging')" ] || bad "$label: a staging file is left: $(ls "$state")"
    got=$(digest_of "$live")
    [ "$got" = "$PUB_A" ] || bad "$label: infopoint-bundle info: digest '$got'"
    got=$(integrity "$live")
    [ "$got" = ok ] || bad "$label: integrity_check: $got"
    shows_edition A "$label"
}

# The sync failed with exit 1 and a reason matching REGEX on its last line.
failed_with() { # LABEL STATUS REGEX
    if [ "$2" -eq 1 ] && tail -1 "$tmp/err" | grep -qE "$3"; then
        echo "$1: $(tail -1 "$tmp/err")"
        ok
    else
        bad "$1: status $2 (want 1), reason: $(tail -1 "$tmp/err") (want /$3/)"
    fi
}

# ---- 1. the free-disk check refuses ------------------------------------------------
mount -o remount,size=$(( $(used) + 2 * 1048576 )) "$state" || die "remount smaller"
sync_once
failed_with "too small" $? "^infopoint: not enough free disk: a sync needs [0-9]+ MB, [0-9]+ MB free$"
[ ! -e "$state/objects/$big" ] && [ ! -e "$state/objects/$big.part" ] && ok ||
    bad "too small: the photo was downloaded before the check"
grep -q "^last-error not enough free disk" "$state/status" && ok || bad "too small: status: $(cat "$state/status")"
intact "too small"
mount -o remount,size=$ROOMY "$state" || die "remount larger"

# ---- 2. the disk fills while the sync downloads and applies -------------------------
NGINX_SERVER_EXTRA="location /objects/ { limit_rate 256k; }"
nginx_start "$repo" || die "nginx"
SLOW=(infopoint --sync-once "$NGINX_URL" --allow-http --trust "$tmp/keys/publisher.pub" --state "$state")

# Starts a sync from the slow server, waits until it downloads the photo,
# fills the disk up to LEAVE free bytes, and waits for the sync's end.
fill_during_sync() { # LABEL LEAVE
    local label=$1 leave=$2 rc
    rm -f "$state/objects/$big" "$state/objects/$big.part" "$state/fill"
    "${SLOW[@]}" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 1 400); do
        [ -e "$state/objects/$big.part" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
    done
    if [ -e "$state/objects/$big.part" ]; then
        fallocate -l $(( $(avail) - leave )) "$state/fill" || bad "$label: cannot fill the disk"
    else
        bad "$label: the sync did not start the photo's download"
    fi
    wait "$pid"
    rc=$?
    pid=""
    return $rc
}

live_size=$(stat -c %s "$live")
fill_during_sync "apply" $((big_size + live_size + 512 * 1024))
failed_with "apply" $? "^infopoint: new bundle refused: .*(disk is full|No space left)"
intact "apply"
rm -f "$state/fill"

fill_during_sync "copy" $((big_size + 64 * 1024))
failed_with "copy" $? "^infopoint: new bundle refused: .*No space left"
intact "copy"
rm -f "$state/fill"

fill_during_sync "download" $((big_size / 2))
failed_with "download" $? "No space left"
intact "download"
# The partial download stays, to be resumed.
part=$(stat -c %s "$state/objects/$big.part" 2>/dev/null || echo 0)
[ "$part" -gt 0 ] && [ "$part" -lt "$big_size" ] && ok || bad "download: partial file of $part bytes"
rm -f "$state/fill"

# ---- 3. with the space back, the next sync installs B ------------------------------
sync_once && grep -q "installed version 2" "$tmp/out" && ok || bad "the next sync: $(cat "$tmp/out" "$tmp/err")"
[ "$(field version)" = 2 ] && ok || bad "version $(field version) is live after the next sync, not 2"
[ "$(digest_of "$state/$(field bundle)")" = "$PUB_B" ] && ok || bad "the installed bundle is not edition B"
left=$(leftovers -o -name fill)
[ -z "$left" ] && ok || bad "left behind after the next sync: $left"
shows_edition B "edition B installed"

# ---- 4. a first sync of many items: the check counts the bundle they make --------
# 1,000 synthetic items: ~11 MB of records make a ~47 MB bundle. Room for
# the records three times passes a check that counts each record twice,
# then fills mid-build; the check must refuse it before any record is
# downloaded, and room for them six times must be enough.
first=$tmp/first
mkdir "$first" && mount -t tmpfs -o size=1m tmpfs "$first" || die "second tmpfs"
umount_first() { umount "$first" 2>/dev/null; }
trap 'umount_first; cleanup' EXIT
infopoint-bench synth "$tmp/many" 1000 >/dev/null || die "synth"
infopoint-bundle build "$tmp/many" -o "$tmp/many.ipb" >/dev/null 2>&1 || die "build 1,000 items"
infopoint-bundle publish "$tmp/many.ipb" --key "$tmp/keys/publisher.key" --out "$tmp/repo_many" >/dev/null || die "publish"
records=$(du -sb "$tmp/repo_many/objects" | cut -f1)
FIRST=(infopoint --sync-once "$tmp/repo_many" --trust "$tmp/keys/publisher.pub" --state "$first")
mount -o remount,size=$((8 * 1048576 + 3 * records)) "$first" || die "remount the second tmpfs"
"${FIRST[@]}" >"$tmp/out" 2>"$tmp/err"
failed_with "first sync, records x 3" $? "^infopoint: not enough free disk: a sync needs [0-9]+ MB, [0-9]+ MB free$"
got=$(du -sb "$first/objects" 2>/dev/null | cut -f1)
[ "${got:-0}" -lt $((records / 10)) ] && ok || bad "first sync, records x 3: $got bytes downloaded before the check"
[ ! -e "$first/current" ] && [ -z "$(find "$first" -name '*.ipb*')" ] && ok ||
    bad "first sync, records x 3: left $(ls "$first")"
mount -o remount,size=$((8 * 1048576 + 6 * records)) "$first" || die "remount the second tmpfs"
"${FIRST[@]}" >"$tmp/out" 2>"$tmp/err" && grep -q "installed version 1" "$tmp/out" && ok ||
    bad "first sync, records x 6: $(cat "$tmp/out" "$tmp/err")"
echo "first sync of 1,000 items: records $((records / 1024)) KiB, bundle $(($(stat -c %s "$first/$(sed -n 's/^bundle //p' "$first/current")") / 1024)) KiB"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
