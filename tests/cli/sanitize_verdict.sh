#!/bin/bash
# tests/sanitize_check.sh decides the sanitizer pass: every report fails it
# but one kind, a leak allocated by code unloaded before the check with no
# frame in our sources. Its verdict on made-up reports of each kind.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fails=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
src=${INFOPOINT_SOURCE_DIR:?}
check=$src/tests/sanitize_check.sh

verdict() { # NAME REPORT-TEXT: 0 when the pass would go on, 1 when it fails
    mkdir -p "$tmp/$1/sanitizer"
    printf '%s\n' "$2" >"$tmp/$1/sanitizer/report.prog.1"
    sh "$check" "$tmp/$1" "$src" >"$tmp/$1.out" 2>&1
}
unloaded='==1==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 128 byte(s) in 1 object(s) allocated from:
    #0 0x7eff894b78d5 in __interceptor_realloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:85
    #1 0x7eff818bfed5  (/usr/lib/x86_64-linux-gnu/libwebp.so.7.1.5+0x1ed5)

Indirect leak of 56 byte(s) in 1 object(s) allocated from:
    #0 0x7eff894b83b7 in __interceptor_calloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:77
    #1 0x7eff8238edd3  (<unknown module>)'
ours="==2==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 16 byte(s) in 1 object(s) allocated from:
    #0 0x7f in malloc
    #1 0x55 in load $src/app/ui/views/view_home.c:50
    #2 0x7eff8238edd3  (<unknown module>)"
library='==3==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 64 byte(s) in 1 object(s) allocated from:
    #0 0x7f in malloc
    #1 0x7eff818bfed5  (/usr/lib/x86_64-linux-gnu/libsqlite3.so.0+0x1ed5)'
error='==4==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010
    #0 0x7eff8238edd3  (<unknown module>)'

verdict unloaded "$unloaded" && grep -q "unloaded code" "$tmp/unloaded.out" &&
    ok "a leak allocated by unloaded code, none of ours: shown, not failed" || bad "unloaded: $(cat "$tmp/unloaded.out")"
verdict ours "$ours" && bad "a leak with a frame of ours passed" || ok "a leak with a frame of ours fails"
verdict library "$library" && bad "a leak inside a loaded library passed" || ok "a leak inside a loaded library fails"
verdict error "$error" && bad "a memory error passed" || ok "a memory error fails, unloaded caller or not"
mkdir -p "$tmp/none/sanitizer"
sh "$check" "$tmp/none" "$src" >/dev/null && ok "no report passes" || bad "no report failed"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
