# shellcheck shell=bash
# Two editions of the content for the sync tests that check what a kiosk
# shows after a sync. Source this file (it is not a test on its own) after
# setting tmp (a scratch folder) and state (the kiosk's state folder):
#
#   . "$INFOPOINT_SOURCE_DIR/tests/cli/lib_sync.sh"
#   sync_editions SENTENCE FILE ALT BYTES
#                       $tmp/A.ipb: the sample bundle; $tmp/B.ipb: the sample
#                       content with SENTENCE (no / & or \) added to
#                       $SYNC_ROUTE and, at its end, a photo FILE (alt text
#                       ALT) of about BYTES bytes of noise, so that B carries a
#                       download and an apply that take time; keys in
#                       $tmp/keys; fills DIGEST[A], DIGEST[B] and the reference
#                       pictures $tmp/refA.png, $tmp/refB.png; dies when the
#                       two editions do not differ
#   digest_of BUNDLE    its verified digest, or nothing
#   published_digest FILE
#                       the content digest that `infopoint-bundle publish`
#                       printed into FILE: a publication stamps its version
#                       and date into the content, so it is not the digest of
#                       the bundle file given to publish
#   integrity BUNDLE    PRAGMA integrity_check ("ok")
#   field NAME          a field of $state/current
#   shows E             0 when the kiosk on $state shows edition E from its
#                       live bundle; else prints why and returns 1
#   leftovers [-o -name PATTERN]...
#                       staging, partial and temporary files left in $state
#
# Counting: ok, bad MESSAGE (counts a failure), die MESSAGE (stops);
# pass and fails hold the counts.

SYNC_SIZE=800x480
SYNC_ITEM=how-to-use
SYNC_ROUTE=item/$SYNC_ITEM
declare -A DIGEST

pass=0 fails=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
die() { echo "FAIL: $*"; exit 1; }

digest_of() {
    infopoint-bundle info "$1" 2>/dev/null | awk '$1 == "digest:" && $3 == "(verified)" { print $2 }'
}

published_digest() {
    sed -n 's/.*, digest \([0-9a-f]\{64\}\),.*/\1/p' "$1"
}

integrity() {
    python3 -c 'import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(c.execute("PRAGMA integrity_check").fetchone()[0])' "$1" 2>&1
}

field() {
    awk -v k="$1" '$1 == k { print $2 }' "$state/current" 2>/dev/null
}

leftovers() {
    find "$state" -name '*.staging' -o -name '*.part' -o -name '*.tmp' "$@"
}

# A PNG of noise (it does not compress: stored, level 0, deflate blocks),
# square, with about BYTES bytes of pixels.
_sync_noise_png() { # PATH BYTES
    python3 - "$1" "$2" <<'EOF'
import os, struct, sys, zlib
w = h = int((int(sys.argv[2]) / 3) ** 0.5)
raw = b"".join(b"\0" + os.urandom(w * 3) for _ in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                              chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b""))
EOF
}

sync_editions() { # SENTENCE FILE ALT BYTES
    local art=$tmp/contentB/items/$SYNC_ITEM e
    infopoint-bundle keygen --out "$tmp/keys" >/dev/null || die "keygen"
    cp -r "${INFOPOINT_SOURCE_DIR:?}/assets/content" "$tmp/contentB"
    sed -i "0,/^All you need/s/^All you need.*\$/&\\n\\n$1/" "$art/en.md"
    grep -qF "$1" "$art/en.md" || die "could not edit edition B"
    _sync_noise_png "$art/$2" "$4" || die "make the photo of edition B"
    printf '\n![%s](%s)\n' "$3" "$2" >>"$art/en.md"
    infopoint-bundle build "$tmp/contentB" -o "$tmp/B.ipb" >/dev/null || die "build edition B"
    cp "${SAMPLE_BUNDLE:?}" "$tmp/A.ipb"
    for e in A B; do
        DIGEST[$e]=$(digest_of "$tmp/$e.ipb")
        [ -n "${DIGEST[$e]}" ] || die "edition $e: no verified digest"
        infopoint --bundle "$tmp/$e.ipb" --lang en --open $SYNC_ROUTE --size $SYNC_SIZE \
            --screenshot "$tmp/ref$e.png" >/dev/null 2>&1 || die "reference screenshot of edition $e"
    done
    [ "${DIGEST[A]}" != "${DIGEST[B]}" ] || die "the two editions have the same digest"
    cmp -s "$tmp/refA.png" "$tmp/refB.png" && die "the two editions look the same on $SYNC_ROUTE"
    return 0
}

shows() { # E
    if ! infopoint --state "$state" --lang en --open $SYNC_ROUTE --size $SYNC_SIZE --screenshot "$tmp/shot.png" \
            >"$tmp/shot.log" 2>&1; then
        echo "the kiosk does not open the state: $(tail -3 "$tmp/shot.log")"
    elif grep -qE "instead|error" "$tmp/shot.log"; then
        echo "the kiosk fell back from the live bundle: $(tail -3 "$tmp/shot.log")"
    elif ! cmp -s "$tmp/shot.png" "$tmp/ref$1.png"; then
        echo "the kiosk does not show edition $1"
    else
        return 0
    fi
    return 1
}
