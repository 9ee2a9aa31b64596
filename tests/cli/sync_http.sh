#!/bin/bash
# `infopoint --sync-once` over HTTP: against a real nginx on 127.0.0.1 (the
# bandwidth contract: an unchanged repository costs one small request, a
# change downloads only what changed), and against tests/tools/faultd.py for
# what a bad link or a hostile server does (error bursts, cut and resumed
# downloads, ignored ranges, endless and oversize bodies, silence, a drip,
# redirects, TLS and key pinning). After every refusal the installed bundle
# is byte for byte what it was, and repeated syncs converge.
set -u
# Time limits are for a normal build; the sanitizer pass of `make test`
# runs programs 2-5 times slower and sets INFOPOINT_SLOW (tests/CMakeLists.txt).
SLOW=${INFOPOINT_SLOW:-1}
. "${INFOPOINT_SOURCE_DIR:?}/tests/cli/lib_nginx.sh"
tmp=$(mktemp -d)
trap 'nginx_stop; faultd_stop; rm -rf "$tmp"' EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }

KEY=$tmp/keys/publisher.key
PUB=$tmp/keys/publisher.pub
REPO=$tmp/repo
# publish SOURCE: the next version, from a bundle or a content folder.
publish() { infopoint-bundle publish "$1" --key "$KEY" --out "$REPO" >/dev/null; }
infopoint-bundle keygen --out "$tmp/keys" >/dev/null
publish "$SAMPLE_BUNDLE"
# A second edition: one article with one more paragraph.
cp -r "$INFOPOINT_SOURCE_DIR/assets/content" "$tmp/content2"
printf '\nA paragraph added by the second edition.\n' >>"$tmp/content2/items/commission-session/en.md"

# sync STATE URL [options]: runs one sync; OUT is its output, RC its status.
sync() {
    local state=$1 url=$2
    shift 2
    OUT=$(timeout 120 infopoint --sync-once "$url" --trust "$PUB" --state "$state" "$@" 2>&1)
    RC=$?
}
live_sha() { # STATE: sha256 of the live bundle ("none")
    local name
    name=$(awk '$1 == "bundle" { print $2 }' "$1/current" 2>/dev/null)
    if [ -n "$name" ] && [ -f "$1/$name" ]; then sha256sum <"$1/$name" | cut -d' ' -f1; else echo none; fi
}
live_version() { awk '$1 == "version" { print $2 }' "$1/current" 2>/dev/null || echo 0; }
# installed STATE VERSION LABEL: the last sync succeeded and VERSION is live.
installed() {
    if [ "$RC" = 0 ] && [ "$(live_version "$1")" = "$2" ]; then ok "$3"; else bad "$3: rc=$RC $OUT"; fi
}
# through FAULT [options]: one sync of $F from faultd with FAULT on.
through() {
    faultd_mode "$1"
    shift
    sync "$F" "$FAULTD_URL" --allow-http "$@"
}
# refused STATE SHA WHAT: the last sync failed saying WHAT; the bundle is unchanged.
refused() {
    if [ "$RC" = 1 ] && echo "$OUT" | grep -qi -- "$3" && [ "$(live_sha "$1")" = "$2" ]; then
        ok "refused ($3), installed bundle unchanged"
    else
        bad "expected a refusal saying '$3' with the bundle unchanged: rc=$RC $OUT"
    fi
}

# ---- nginx: full sync, the no-change check, one change ----------------------
nginx_start "$REPO"
S=$tmp/state-nginx
sync "$S" "$NGINX_URL" --allow-http
[ "$RC" = 0 ] && [ "$(live_version "$S")" = 1 ] && ok "full sync from nginx: $OUT" || bad "full sync: $RC $OUT"
first_requests=$(wc -l <"$NGINX_LOG")
sync "$S" "$NGINX_URL" --allow-http
wait_log_lines "$NGINX_LOG" $((first_requests + 1))
check=$(tail -n +$((first_requests + 1)) "$NGINX_LOG")
n=$(echo "$check" | grep -c .)
bytes=$(echo "$check" | awk '{ s += $5 } END { print s + 0 }')
if [ "$RC" = 0 ] && [ "$n" = 1 ] && echo "$check" | grep -q "GET /timestamp.txt HTTP/1.1 304" && [ "$bytes" -lt 2048 ]; then
    ok "no-change check: 1 request, 304, $bytes bytes sent"
else
    bad "no-change check: rc=$RC, $n requests, $bytes bytes: $check"
fi
publish "$tmp/content2"
before=$(wc -l <"$NGINX_LOG")
sync "$S" "$NGINX_URL" --allow-http
sleep 0.3
change=$(tail -n +$((before + 1)) "$NGINX_LOG")
objects=$(echo "$change" | grep -c "GET /objects/.* 200")
# The base record changes with every publication: it carries the stamp
# (the publication's version and date).
if [ "$RC" = 0 ] && [ "$(live_version "$S")" = 2 ] && [ "$objects" = 4 ]; then
    ok "one changed item: snapshot, one bin, its record and the base record fetched ($(echo "$change" | grep -c .) requests)"
else
    bad "one change: rc=$RC version $(live_version "$S"), $objects objects: $change"
fi
# A damaged live bundle (issue 15, finding 2): the kiosk asks without
# If-None-Match (a 304 must not make it "current") and builds version 2 again
# from verified records; the next check is the one small request again.
# Damage the check sees: the file cut short. The check reads few pages
# (issue 12): a bad block inside is found before the live bundle is copied
# (unit.test_sync, test_live_check_reads_few_pages) and by the scrub
# (cli.scrub), not by a check that finds no new version.
name=$(awk '$1 == "bundle" { print $2 }' "$S/current")
truncate -s $(($(stat -c %s "$S/$name") / 2)) "$S/$name"
before=$(wc -l <"$NGINX_LOG")
sync "$S" "$NGINX_URL" --allow-http
sleep 0.3
repair=$(tail -n +$((before + 1)) "$NGINX_LOG")
if [ "$RC" = 0 ] && echo "$OUT" | grep -q "installed version 2" && echo "$repair" | grep -q "GET /timestamp.txt HTTP/1.1 200" &&
    infopoint-bundle info "$S/$name" >/dev/null 2>&1; then
    ok "damaged live bundle rebuilt ($(echo "$repair" | grep -c "GET /objects/.* 200") objects fetched)"
else
    bad "damaged live bundle: rc=$RC $OUT: $repair"
fi
sync "$S" "$NGINX_URL" --allow-http
echo "$OUT" | grep -q "version 2 is current" && [ "$RC" = 0 ] && ok "after the repair: current" || bad "after the repair: $RC $OUT"
sync "$S" "$NGINX_URL"
echo "$OUT" | grep -q "protocol" && [ "$RC" = 1 ] && ok "plain http refused without --allow-http" ||
    bad "http without --allow-http: $RC $OUT"

# ---- faultd -------------------------------------------------------------------
faultd_start "$REPO" --fault ok
F=$tmp/state-faultd
sync "$F" "$FAULTD_URL" --allow-http
installed "$F" 2 "faultd serves the repository"
V2=$(live_sha "$F")
publish "$SAMPLE_BUNDLE" # version 3

# 503 bursts: each attempt fails cleanly; the retries converge.
faultd_mode "status:503:3@/objects/*"
attempts=0
for _ in 1 2 3 4 5; do
    attempts=$((attempts + 1))
    sync "$F" "$FAULTD_URL" --allow-http
    [ "$RC" = 0 ] && break
    echo "$OUT" | grep -q "503" || bad "503 not named: $OUT"
    [ "$(live_sha "$F")" = "$V2" ] || bad "the bundle changed during a failed sync"
done
[ "$RC" = 0 ] && [ "$(live_version "$F")" = 3 ] && [ "$attempts" -gt 1 ] &&
    ok "503 burst: converged after $attempts attempts" || bad "503 burst: $attempts attempts, $OUT"

# Cut downloads resume where they stopped (Range), and end with the right bytes.
publish "$tmp/content2" # version 4
V3=$(live_sha "$F")
through "cut:300@/objects/*"
refused "$F" "$V3" "objects/"
through ok
if [ "$RC" = 0 ] && [ "$(live_version "$F")" = 4 ] && grep -q "bytes=300-" "$FAULTD_LOG"; then
    ok "cut at 300 bytes, resumed with Range: bytes=300-, installed"
else
    bad "resume: rc=$RC $OUT; ranges: $(grep -o 'bytes=[0-9]*-' "$FAULTD_LOG" | sort | uniq -c | tr '\n' ' ')"
fi

# A server that ignores Range: the partial file restarts from zero.
publish "$SAMPLE_BUNDLE" # version 5
V4=$(live_sha "$F")
through "cut:200@/objects/*"
refused "$F" "$V4" "objects/"
through norange
installed "$F" 5 "Range ignored: restarted cleanly, installed"

# Endless, oversize and lying bodies: capped at the signed length, refused.
publish "$tmp/content2" # version 6
V5=$(live_sha "$F")
for fault in endless oversize:100000 lie-length:99999999 lie-length:10; do
    start=$(date +%s%N)
    through "$fault@/objects/*"
    ms=$((($(date +%s%N) - start) / 1000000))
    biggest=$(find "$F/objects" -type f -printf '%s\n' | sort -n | tail -1)
    refused "$F" "$V5" "objects/"
    [ "${biggest:-0}" -lt 1000000 ] && [ "$ms" -lt $((20000 * SLOW)) ] &&
        ok "$fault: stopped in $ms ms, largest file kept $biggest bytes" || bad "$fault: $ms ms, $biggest bytes kept"
done
# A timestamp larger than any timestamp can be.
through "endless@/timestamp.txt"
refused "$F" "$V5" "larger than"

# Silence and a 1 byte/s drip: aborted by the stall timeout.
for fault in silence drip; do
    start=$(date +%s%N)
    through "$fault@/objects/*" --stall-timeout 3
    ms=$((($(date +%s%N) - start) / 1000000))
    refused "$F" "$V5" "objects/"
    [ "$ms" -lt $((12000 * SLOW)) ] && ok "$fault: aborted after $ms ms (stall timeout 3 s)" || bad "$fault: took $ms ms"
done

# A server dripping every object: the whole sync's time limit ends it,
# long before the stall timeout (30 s) would.
start=$(date +%s%N)
through "drip@/objects/*" --set sync.time_limit=3
ms=$((($(date +%s%N) - start) / 1000000))
refused "$F" "$V5" "time limit for the whole sync"
[ "$ms" -lt $((8000 * SLOW)) ] && ok "drip on every object: stopped after $ms ms (time limit 3 s)" || bad "drip: took $ms ms"

# Redirects: to another host is fine (content is signed); to file:// is not.
through "redirect:$NGINX_URL@/objects/*"
installed "$F" 6 "redirect to another host: installed"
publish "$SAMPLE_BUNDLE" # version 7
V6=$(live_sha "$F")
through "redirect:file://$REPO@/objects/*"
refused "$F" "$V6" "objects/"

# A hostile answer does not poison the next honest sync (issue 15, finding
# 4): endless data leaves no partial file; a partial file that is not a
# prefix of the object (garbage, then a cut) is fetched again from zero.
through "endless@/objects/*"
refused "$F" "$V6" "objects/"
parts=$(find "$F/objects" -name '*.part')
[ -z "$parts" ] && ok "endless: no partial file kept" || bad "endless: kept $parts"
through "cut:100@/objects/*"
refused "$F" "$V6" "objects/"
parts=$(find "$F/objects" -name '*.part')
[ "$(echo "$parts" | wc -w)" = 1 ] && ok "a cut leaves one partial file" || bad "a cut left: $parts"
for p in $parts; do head -c 100 /dev/urandom >"$p"; done
through ok
installed "$F" 7 "a garbage partial file: fetched again from zero, installed at the first honest sync"
faultd_mode ok
faultd_stop

# ---- TLS: https with a CA file, plain-http redirects, pinning -------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/tls.key" -out "$tmp/tls.crt" >/dev/null 2>&1 ||
    bad "openssl could not make a test certificate"
pin="sha256//$(openssl x509 -in "$tmp/tls.crt" -pubkey -noout | openssl pkey -pubin -outform der |
    openssl dgst -sha256 -binary | base64)"
faultd_start "$REPO" --tls "$tmp/tls.crt" "$tmp/tls.key" --fault ok
T=$tmp/state-tls
sync "$T" "$FAULTD_URL"
echo "$OUT" | grep -qi "certificate\|SSL" && [ "$RC" = 1 ] && ok "https with an unknown CA refused" ||
    bad "unknown CA: $RC $OUT"
sync "$T" "$FAULTD_URL" --ca-file "$tmp/tls.crt" --pin "$pin"
installed "$T" 7 "https with the CA file and the right pin: installed"
TV=$(live_sha "$T")
publish "$tmp/content2" # version 8
sync "$T" "$FAULTD_URL" --ca-file "$tmp/tls.crt" --pin "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
refused "$T" "$TV" "pin\|public key"
faultd_mode "redirect:$NGINX_URL@/objects/*"
sync "$T" "$FAULTD_URL" --ca-file "$tmp/tls.crt"
refused "$T" "$TV" "protocol\|redirect"

echo "$pass passed, $fails failed"
[ "$fails" = 0 ]
