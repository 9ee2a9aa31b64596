#!/bin/bash
# infopoint-bundle end to end: usage, the sample content (check, build twice
# and from a moved copy with other file times → the same bytes, info with the
# digest verified), every one-defect folder of tests/data/bad (exit 1 with its
# message at its file:line, no file written), the warning cases of
# tests/data/warn (exit 0), and info on files that are not good bundles.
#
# Needs: infopoint-bundle on PATH, INFOPOINT_SOURCE_DIR; SAMPLE_BUNDLE (the
# build's own sample bundle) is compared too when it exists.
set -u

SRC=${INFOPOINT_SOURCE_DIR:?INFOPOINT_SOURCE_DIR must name the source tree}
CONTENT=$SRC/assets/content
DATA=$SRC/tests/data
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bundle_tool.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $*"
    if [ -s "$WORK/err" ]; then sed 's/^/    stderr: /' "$WORK/err" | head -20; fi
}

# run EXPECTED_EXIT ARGS...: runs infopoint-bundle, keeps stdout/stderr in
# $WORK/out and $WORK/err, fails when the exit status differs.
run() {
    local want=$1
    shift
    infopoint-bundle "$@" >"$WORK/out" 2>"$WORK/err"
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "infopoint-bundle $* exited $got, expected $want"
        return 1
    fi
    ok
    return 0
}

# has FILE TEXT: the file (out or err) contains TEXT as a fixed string.
has() {
    if grep -qF -- "$2" "$WORK/$1"; then ok; else fail "expected in std$1: $2"; fi
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# ---- usage ------------------------------------------------------------------
run 2 --help && has err "usage: infopoint-bundle build SRC_DIR -o FILE"
run 2 frobnicate && has err "usage:"
run 2
run 2 build "$DATA/good"
run 2 check
run 0 --version && has out "infopoint-bundle "

# ---- the test content and the sample content --------------------------------
# build_same SRC_DIR NAME: check exits 0; two builds and a build from a moved
# copy with shuffled file times give identical bytes; info verifies the digest.
build_same() {
    local dir=$1 name=$2
    run 0 check "$dir" && has out ": ok: "
    run 0 build "$dir" -o "$WORK/$name-1.ipb" || return
    local digest
    digest=$(sed -n 's/.*digest \([0-9a-f]\{64\}\)$/\1/p' "$WORK/out")
    run 0 build "$dir" -o "$WORK/$name-2.ipb"
    # Another path, a fresh copy (so another directory order), random times.
    mkdir -p "$WORK/moved/$name/deeper"
    cp -r "$dir" "$WORK/moved/$name/deeper/content"
    find "$WORK/moved/$name" -type f | while read -r f; do
        touch -d "@$(( (RANDOM << 15 | RANDOM) % 2000000000 ))" "$f"
    done
    run 0 build "$WORK/moved/$name/deeper/content/" -o "$WORK/$name-3.ipb"
    local h1 h2 h3
    h1=$(sha "$WORK/$name-1.ipb")
    h2=$(sha "$WORK/$name-2.ipb")
    h3=$(sha "$WORK/$name-3.ipb")
    if [ "$h1" = "$h2" ] && [ "$h1" = "$h3" ]; then ok; else fail "$name: builds differ: $h1 $h2 $h3"; fi
    if [ -e "$WORK/$name-1.ipb.tmp" ]; then fail "$name: temporary file left behind"; else ok; fi
    run 0 info "$WORK/$name-1.ipb" && has out "digest: $digest (verified)"
    has out "version: "
    has out "created: "
    has out "items: "
    has out "texts: "
    has out "assets: "
    echo "$name: $h1"
}

build_same "$DATA/good" good
run 0 info "$WORK/good-1.ipb"
has out "items: 3 (articles 1, documents 1, explainers 1)"
has out "texts: en 3 ru 3"

if [ -f "$CONTENT/bundle.conf" ]; then
    build_same "$CONTENT" sample
    if [ -n "${SAMPLE_BUNDLE:-}" ] && [ -f "$SAMPLE_BUNDLE" ]; then
        if [ "$(sha "$SAMPLE_BUNDLE")" = "$(sha "$WORK/sample-1.ipb")" ]; then ok; else
            fail "SAMPLE_BUNDLE differs from a fresh build of $CONTENT"
        fi
    fi
else
    echo "note: $CONTENT has no bundle.conf yet; sample content checks skipped"
fi

# ---- one defect per folder ---------------------------------------------------
# cases.txt: name<TAB>where<TAB>"error: fragment"; the message must appear as
# "<folder>/<where>: error: fragment..." on stderr.
n_bad=0
while IFS=$'\t' read -r name where message; do
    case $name in '#'* | '') continue ;; esac
    n_bad=$((n_bad + 1))
    dir=$DATA/bad/$name
    if run 1 check "$dir"; then
        has err "$dir/$where: $message"
    fi
    rm -f "$WORK/bad.ipb"
    run 1 build "$dir" -o "$WORK/bad.ipb" && has err "no bundle written"
    if [ -e "$WORK/bad.ipb" ] || [ -e "$WORK/bad.ipb.tmp" ]; then fail "$name: a file was written"; else ok; fi
done <"$DATA/bad/cases.txt"
if [ "$n_bad" -ge 20 ]; then ok; else fail "only $n_bad cases in tests/data/bad/cases.txt"; fi

while IFS=$'\t' read -r name where message; do
    case $name in '#'* | '') continue ;; esac
    dir=$DATA/warn/$name
    run 0 check "$dir" && has err "$dir/$where: $message"
    run 0 build "$dir" -o "$WORK/warn.ipb"
done <"$DATA/warn/cases.txt"

# ---- info on things that are not good bundles ---------------------------------
good=$WORK/good-1.ipb
run 1 info "$WORK/missing.ipb" && has err "not found"
echo "just some text, not a database" >"$WORK/text.ipb"
run 1 info "$WORK/text.ipb" && has err "is not a content bundle"
head -c 5000 "$good" >"$WORK/short.ipb"
run 1 info "$WORK/short.ipb" && has err "short.ipb"
# PRAGMA user_version is the big-endian integer at offset 60 of the header.
cp "$good" "$WORK/v99.ipb"
printf '\x00\x00\x00\x63' | dd of="$WORK/v99.ipb" bs=1 seek=60 conv=notrunc 2>/dev/null
run 1 info "$WORK/v99.ipb" && has err "bundle schema version 99 is not supported"
# Same-length edit of a text inside the file: still a valid database, but the
# content no longer matches the digest stored when it was built.
cp "$good" "$WORK/edited.ipb"
grep -obUaF "Type a word on the keyboard" "$WORK/edited.ipb" | cut -d: -f1 | while read -r off; do
    printf 'Type a WORD' | dd of="$WORK/edited.ipb" bs=1 seek="$off" conv=notrunc 2>/dev/null
done
run 1 info "$WORK/edited.ipb" && has err "digest mismatch"

echo "bundle_tool: $passed passed, $failed failed ($n_bad bad-content cases)"
[ "$failed" -eq 0 ]
