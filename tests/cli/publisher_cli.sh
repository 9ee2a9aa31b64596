#!/bin/bash
# `infopoint-bundle keygen`, `publish` and `rotate-key`: the command-line contract editors
# and operators use.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

out=$(infopoint-bundle keygen --out "$tmp/keys" 2>&1) && ok || bad "keygen failed: $out"
[ -f "$tmp/keys/publisher.key" ] && [ -f "$tmp/keys/publisher.pub" ] && ok || bad "key files missing"
[ "$(stat -c %a "$tmp/keys/publisher.key")" = 600 ] && ok || bad "secret key is not mode 600"
head -1 "$tmp/keys/publisher.pub" | grep -qx "infopoint-public-key 1" && ok || bad "public key header"
id=$(awk '/^key / { print $2 }' "$tmp/keys/publisher.pub")
echo "$out" | grep -q "public key $id" && ok || bad "keygen does not name the key id"
before=$(sha256sum "$tmp/keys/publisher.key")
err=$(infopoint-bundle keygen --out "$tmp/keys" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "never overwritten" && ok || bad "second keygen: $err"
[ "$(sha256sum "$tmp/keys/publisher.key")" = "$before" ] && ok || bad "the key changed"
infopoint-bundle keygen >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "keygen without --out is not a usage error"
touch "$tmp/file"
err=$(infopoint-bundle keygen --out "$tmp/file" 2>&1)
[ $? -eq 1 ] && ok || bad "keygen into a file path: $err"
# --out folders that do not exist yet are made (issue 13, item 4); a file in
# the way is named.
out=$(infopoint-bundle keygen --out "$tmp/new/deeper/keys" 2>&1) && [ -f "$tmp/new/deeper/keys/publisher.key" ] &&
    [ "$(stat -c %a "$tmp/new/deeper/keys")" = 700 ] && ok || bad "keygen into missing folders: $out"
err=$(infopoint-bundle keygen --out "$tmp/file/keys" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "cannot create $tmp/file: a file is in the way" && ok ||
    bad "keygen below a file: $err"
# publish: a content folder, then a built bundle, into one repository.
src=${INFOPOINT_SOURCE_DIR:?}/assets/content
out=$(infopoint-bundle publish "$src" --key "$tmp/keys/publisher.key" --out "$tmp/repo" 2>&1) && ok || bad "publish: $out"
echo "$out" | grep -Eq "version 1, published $(date -u +%Y-%m-%d)T[0-9:]{8}Z, digest" && ok || bad "publish output: $out"
[ -f "$tmp/repo/timestamp.txt" ] && [ -f "$tmp/repo/root/1.txt" ] && ok || bad "repository files missing"
[ ! -e "$tmp/repo.building.ipb" ] && ok || bad "the temporary bundle was left behind"
grep -rq "infopoint-secret-key" "$tmp/repo" && bad "the secret key leaked into the repository" || ok
out=$(infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys/publisher.key" --out "$tmp/repo" --expires 7 2>&1)
# Only the snapshot and the base record (which carries the stamp) are new.
echo "$out" | grep -q "version 2, published .*, digest.*2 new objects" && ok || bad "second publish: $out"
# The content still says version 1, but what is published says 2: one
# version story, stamped, and nothing to warn about.
echo "$out" | grep -q "warning" && bad "a warning: $out" || ok
# A kiosk installs that stamp: version 2, published today, and the times in
# its status file are readable (ISO 8601 UTC beside the Unix seconds).
out=$(infopoint --sync-once "$tmp/repo" --trust "$tmp/keys/publisher.pub" --state "$tmp/state" 2>&1) &&
    info=$(infopoint-bundle info "$tmp/state/bundle-2.ipb" 2>&1) && echo "$info" | grep -qx "version: 2" &&
    echo "$info" | grep -Eqx "published: $(date -u +%Y-%m-%d)T[0-9:]{8}Z" && ok || bad "installed stamp: $out $info"
grep -Eq "^last-success [0-9]+ $(date -u +%Y-%m-%d)T[0-9:]{8}Z$" "$tmp/state/status" && ok ||
    bad "status times: $(cat "$tmp/state/status")"
err=$(infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys/publisher.key" --out "$tmp/repo" --version 2 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "not above the published version 2" && ok || bad "rollback publish: $err"
err=$(infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/nokey" --out "$tmp/repo" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "cannot open" && ok || bad "missing key: $err"
chmod 644 "$tmp/keys/publisher.key"
err=$(infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys/publisher.key" --out "$tmp/repo" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "others may read this secret key" && ok || bad "readable key: $err"
chmod 600 "$tmp/keys/publisher.key"
infopoint-bundle publish "$SAMPLE_BUNDLE" --out "$tmp/repo" >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "publish without --key is not a usage error"
err=$(infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys/publisher.key" --out "$tmp/repo" --expires 0 2>&1)
[ $? -eq 2 ] && ok || bad "--expires 0: $err"
# The timestamp expires sooner than the snapshot (7 days by default, never
# after it), and `refresh` re-signs it alone.
ts_expiry() { awk '$1 == "expires" { print substr($2, 1, 10) }' "$1/timestamp.txt"; }
[ "$(ts_expiry "$tmp/repo")" = "$(date -u -d '+7 days' +%Y-%m-%d)" ] && ok || bad "timestamp expiry after --expires 7"
infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys/publisher.key" --out "$tmp/repo-ts" --timestamp-expires 2 >/dev/null 2>&1
[ "$(ts_expiry "$tmp/repo-ts")" = "$(date -u -d '+2 days' +%Y-%m-%d)" ] && ok || bad "--timestamp-expires 2"
snap_before=$(awk '$1 == "file" { print $3 }' "$tmp/repo-ts/timestamp.txt")
out=$(infopoint-bundle refresh --key "$tmp/keys/publisher.key" --out "$tmp/repo-ts" 2>&1)
[ $? -eq 0 ] && echo "$out" | grep -q "version 1, timestamp expires $(date -u -d '+7 days' +%Y-%m-%d)" &&
    [ "$(awk '$1 == "file" { print $3 }' "$tmp/repo-ts/timestamp.txt")" = "$snap_before" ] && ok || bad "refresh: $out"
for args in "" "--key $tmp/keys/publisher.key" "--out $tmp/repo" "--key $tmp/keys/publisher.key --out $tmp/repo --timestamp-expires 0"; do
    infopoint-bundle refresh $args >/dev/null 2>&1
    [ $? -eq 2 ] && ok || bad "refresh $args is not a usage error"
done
err=$(infopoint-bundle refresh --key "$tmp/keys/publisher.key" --out "$tmp/empty-refresh" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "nothing published" && ok || bad "refresh of nothing: $err"
mkdir -p "$tmp/bad/items"
echo "not ini [" > "$tmp/bad/bundle.conf"
err=$(infopoint-bundle publish "$tmp/bad" --key "$tmp/keys/publisher.key" --out "$tmp/repo" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "nothing published" && ok || bad "broken content: $err"

for what in "${INFOPOINT_SOURCE_DIR}/assets/content" "$SAMPLE_BUNDLE"; do
    rm -rf "$tmp/srv"
    out=$(infopoint-bundle publish "$what" --key "$tmp/keys/publisher.key" --out "$tmp/srv/www/repo" 2>&1) &&
        [ -f "$tmp/srv/www/repo/timestamp.txt" ] && ok || bad "publish $what into missing folders: $out"
done
err=$(infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys/publisher.key" --out "$tmp/file/repo" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "cannot create $tmp/file: a file is in the way" && ok ||
    bad "publish below a file: $err"

# rotate-key: the current key signs the next key set; then only the new key publishes.
k1=$tmp/keys/publisher.key
infopoint-bundle keygen --out "$tmp/keys2" >/dev/null && infopoint-bundle keygen --out "$tmp/keys3" >/dev/null && ok || bad "keygen 2, 3"
id2=$(awk '/^key / { print $2 }' "$tmp/keys2/publisher.pub")
id3=$(awk '/^key / { print $2 }' "$tmp/keys3/publisher.pub")
for args in "" "--key $k1 --out $tmp/repo" "--new $k1 --out $tmp/repo" "--key $k1 --new $k1" \
    "--key $k1 --new $k1 --out $tmp/repo --threshold 0" "--key $k1 --new $k1 --out $tmp/repo --threshold 2" \
    "--key $k1 --new $k1 --out $tmp/repo --expires 0" "--key $k1 --new $k1 --out $tmp/repo --expires" \
    "--key $k1 --new $k1 --out $tmp/repo --bogus 1" "--key $k1 --new $k1 --out $tmp/repo --version-floor 0" \
    "--key $k1 --new $k1 --out $tmp/repo --version-floor x"; do
    infopoint-bundle rotate-key $args >/dev/null 2>&1
    [ $? -eq 2 ] && ok || bad "rotate-key $args is not a usage error"
done
[ ! -e "$tmp/repo/root/2.txt" ] && ok || bad "a usage error wrote root 2"
err=$(infopoint-bundle rotate-key --key "$tmp/keys2/publisher.key" --new "$tmp/keys2/publisher.key" --out "$tmp/repo" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "$id2 is not in the current key set" && ok || bad "rotate by an unlisted key: $err"
[ "$(ls -A "$tmp/repo/root")" = 1.txt ] && ok || bad "a refused rotation left files: $(ls -A "$tmp/repo/root")"
err=$(infopoint-bundle rotate-key --key "$k1" --new "$tmp/keys2/publisher.key" --out "$tmp/empty" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "publish into it first" && ok || bad "rotate without a repository: $err"
out=$(infopoint-bundle rotate-key --key "$k1" --new "$tmp/keys2/publisher.key" --out "$tmp/repo" --expires 400 2>&1)
[ $? -eq 0 ] && echo "$out" | grep -qx "root 2: keys $id2, signed by $id $id2; kiosks accept versions from 2" && ok || bad "rotate-key: $out"
# Its version-floor is the version published then: kiosks reset what they saw to it.
grep -qx "version-floor 2" "$tmp/repo/root/2.txt" && ok || bad "root 2 has no version-floor 2"
grep -q "^key $id2 " "$tmp/repo/root/2.txt" && ! grep -q "^key $id " "$tmp/repo/root/2.txt" && ok || bad "root 2 keys"
[ "$(grep -c '^sig ' "$tmp/repo/root/2.txt")" = 2 ] && ok || bad "root 2 is not signed twice"
grep -q "^expires $(date -u -d '+400 days' +%Y-%m-%d)" "$tmp/repo/root/2.txt" && ok || bad "root 2 expiry"
grep -q "^expires $(date -u -d '+3650 days' +%Y-%m-%d)" "$tmp/repo/root/1.txt" && ok || bad "root 1 expiry"
grep -rq "infopoint-secret-key" "$tmp/repo" && bad "a secret key leaked into the repository" || ok
before=$(sha256sum "$tmp/repo/root/2.txt")
err=$(infopoint-bundle rotate-key --key "$k1" --new "$k1" --out "$tmp/repo" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "$id is not in the current key set" && ok || bad "the retired key rotated: $err"
[ "$(sha256sum "$tmp/repo/root/2.txt")" = "$before" ] && [ ! -e "$tmp/repo/root/3.txt" ] && ok || bad "root files changed"
out=$(infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys2/publisher.key" --out "$tmp/repo" 2>&1)
[ $? -eq 0 ] && echo "$out" | grep -q "version 3, published" && ok || bad "publish with the new key: $out"
err=$(infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$k1" --out "$tmp/repo" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "$id is not in this repository's key set" && ok || bad "the retired key published: $err"
# A set of two keys, either of which publishes.
out=$(infopoint-bundle rotate-key --key "$tmp/keys2/publisher.key" --new "$tmp/keys2/publisher.key" \
    --new "$tmp/keys3/publisher.key" --out "$tmp/repo" 2>&1)
[ $? -eq 0 ] && echo "$out" | grep -qx "root 3: keys $id2 $id3, signed by $id2 $id3; kiosks accept versions from 3" && ok || bad "rotate to two keys: $out"
# After a leaked key: an explicit floor; publish never goes below it.
out=$(infopoint-bundle rotate-key --key "$tmp/keys2/publisher.key" --new "$tmp/keys3/publisher.key" \
    --out "$tmp/repo" --version-floor 10 2>&1)
[ $? -eq 0 ] && grep -qx "version-floor 10" "$tmp/repo/root/4.txt" && ok || bad "rotate --version-floor 10: $out"
err=$(infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys3/publisher.key" --out "$tmp/repo" --version 9 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "below the key set's version-floor 10" && ok || bad "publish below the floor: $err"
out=$(infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys3/publisher.key" --out "$tmp/repo" 2>&1)
[ $? -eq 0 ] && ok || bad "publish with the second key: $out"

# Two publications within one second: the timestamp's mtime still moves on,
# so a web server's mtime-size ETag changes and kiosks do not miss the second.
m1=$(stat -c %Y "$tmp/repo/timestamp.txt")
infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys3/publisher.key" --out "$tmp/repo" >/dev/null 2>&1
m2=$(stat -c %Y "$tmp/repo/timestamp.txt")
infopoint-bundle publish "$SAMPLE_BUNDLE" --key "$tmp/keys3/publisher.key" --out "$tmp/repo" >/dev/null 2>&1
m3=$(stat -c %Y "$tmp/repo/timestamp.txt")
[ "$m2" -gt "$m1" ] && [ "$m3" -gt "$m2" ] && ok || bad "timestamp mtimes do not increase: $m1 $m2 $m3"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
