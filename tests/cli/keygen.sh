#!/bin/bash
# `infopoint-bundle keygen --out DIR`: the command-line contract operators use.
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
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
