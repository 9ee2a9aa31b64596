#!/bin/bash
# The fleet page (issue 14): four kiosks upload their check-in reports to a
# real nginx (WebDAV PUT, basic auth): one current and well, one behind the
# repository, one whose last sync failed, one that stopped reporting.
# `infopoint-bundle fleet` flags exactly the right ones, and its --html page
# is one self-contained file (no script, nothing fetched) with inline SVG
# charts; with Chromium installed it is rendered headless to a PNG.
set -u
. "${INFOPOINT_SOURCE_DIR:?}/tests/cli/lib_nginx.sh"
tmp=$(mktemp -d)
trap 'nginx_stop; rm -rf "$tmp"' EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }

mkdir -p "$tmp/www/reports"
printf 'kiosk:{PLAIN}s3cret\n' >"$tmp/htpasswd"
printf 's3cret\n' >"$tmp/password"
export NGINX_SERVER_EXTRA="location /reports/ { dav_methods PUT; client_max_body_size 16k;
    auth_basic reports; auth_basic_user_file $tmp/htpasswd; }"
nginx_start "$tmp/www" || { echo "FAIL: nginx does not start"; exit 1; }

REPO=$tmp/repo
infopoint-bundle keygen --out "$tmp/keys" >/dev/null
publish() { infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys/publisher.key" --out "$REPO" >/dev/null; }
conf() { # NAME ID: a kiosk's config
    mkdir -p "$tmp/$1"
    cat >"$tmp/$1.conf" <<EOF
[kiosk]
kiosk_id = $2
[content]
state_dir = $tmp/$1
fallback_bundle = $SAMPLE_BUNDLE
[sync]
trust = $tmp/keys/publisher.pub
[report]
url = $NGINX_URL/reports/
user = kiosk
password_file = $tmp/password
allow_http = on
EOF
}
sync_from() { infopoint --config "$tmp/$1.conf" --sync-once "$2" >/dev/null 2>&1; }
report() { infopoint --config "$tmp/$1.conf" --report-once >>"$tmp/report.log" 2>&1 || bad "report of $1: $(tail -1 "$tmp/report.log")"; }

conf good 'lobby <1>' ; conf behind lobby-2 ; conf failing lobby-3 ; conf gone lobby-4
publish
sync_from behind "$REPO"
publish
for k in good failing gone; do sync_from $k "$REPO"; done
sync_from failing "$tmp/no-repository-here"
# People used two of them (the counters the reports carry).
printf 'tapon category/constitution\nwait 300\ntapon @home\nwait 300\ntapon @lang\ntapon @lang-ru\nwait 300\ntapon search\ntype president\nwait 300\ntapon @home\nwait 300\n' >"$tmp/s1"
printf 'tapon deck/key-changes/1\nwait 500\ntapon @home\nwait 300\ntapon category/constitution\nwait 300\n' >"$tmp/s2"
for k in good behind; do
    for s in s1 s2 s1; do
        infopoint --config "$tmp/$k.conf" --screenshot "$tmp/x.png" --script "$tmp/$s" >/dev/null 2>&1 || bad "session $s on $k"
    done
done
for k in good behind failing gone; do report $k; done
# lobby-4 went dark three hours ago.
touch -d '3 hours ago' "$tmp/www/reports/lobby-4.txt"
ls "$tmp/www/reports" | tr '\n' ' '
echo

out=$(infopoint-bundle fleet "$tmp/www/reports" --current "$REPO" --html "$tmp/fleet.html" 2>&1)
rc=$?
echo "$out"
row() { echo "$out" | grep "^$1 "; }
[ "$rc" = 1 ] && ok "exit 1: some kiosks need attention" || bad "exit $rc"
row 'lobby <1>' | grep -qE " 2/2 .* ok +-$" && ok "the current kiosk is ok" || bad "good: $(row 'lobby <1>')"
row lobby-2 | grep -qE " 1/2 .* BEHIND +-$" && ok "lobby-2 is behind, and only that" || bad "behind: $(row lobby-2)"
row lobby-3 | grep -qE " 2/2 .* ERROR +[^-]" && ok "lobby-3 is erroring, and only that" || bad "failing: $(row lobby-3)"
row lobby-4 | grep -qE " 2/2 .* OFFLINE +-$" && ok "lobby-4 is offline, and only that" || bad "gone: $(row lobby-4)"
echo "$out" | tail -1 | grep -q "4 kiosks: 1 ok, 1 offline, 1 behind, 0 stale, 1 erroring" && ok "summary" || bad "summary"

# The page: self-contained, escaped, with its charts.
page=$tmp/fleet.html
[ -s "$page" ] && ok "page written ($(stat -c %s "$page") bytes)" || bad "no page"
grep -qi "<script" "$page" && bad "the page has a script" || ok "no script"
grep -oE '(src|href)="[^"]*"' "$page" | grep -q . && bad "the page fetches: $(grep -oE '(src|href)="[^"]*"' "$page" | head -3)" || ok "nothing fetched from elsewhere"
[ "$(grep -o "<svg" "$page" | wc -l)" -ge 4 ] && ok "inline SVG charts: $(grep -o '<figcaption>[^<]*' "$page" | sed 's/<figcaption>//' | tr '\n' ';')" || bad "charts missing"
grep -q "lobby &lt;1&gt;" "$page" && ! grep -q "lobby <1>" "$page" && ok "report text escaped" || bad "escaping"
python3 -c 'import sys, html.parser; p = html.parser.HTMLParser(); p.feed(open(sys.argv[1]).read()); p.close()' "$page" &&
    ok "the page parses" || bad "the page does not parse"

# Rendered as a browser shows it (looked at by hand: tests/cli/fleet.sh keeps
# the picture when FLEET_SHOT is set).
if command -v chromium >/dev/null 2>&1; then
    shot=${FLEET_SHOT:-$tmp/fleet.png}
    timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1800 \
        --screenshot="$shot" "file://$page" >"$tmp/chromium.log" 2>&1
    size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
    [ "$size" -gt 20000 ] && ok "rendered by headless Chromium: $shot ($size bytes)" || bad "chromium: $(tail -3 "$tmp/chromium.log")"
else
    echo "skip: no chromium to render the page"
fi

echo "$pass passed, $fails failed"
[ "$fails" = 0 ]
