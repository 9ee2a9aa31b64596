#!/usr/bin/env bash
# The library layout holds at link level: every symbol a library uses is
# defined in the library itself, in one of our libraries below it (its
# link dependencies, followed all the way down), in a system library it
# names itself in its CMakeLists.txt, or in the C runtime. So ui calling
# curl, store calling SDL or layout calling SQLite fails here even where
# the header happens to be on the include path (build/layers.txt, written
# by app/CMakeLists.txt, says what each library links).
set -euo pipefail
build=${INFOPOINT_BUILD_DIR:?}
layers=$build/layers.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -f "$layers" ] || { echo "FAIL: $layers missing"; exit 1; }

declare -A file deps sofiles
while read -r kind name rest; do
    if [ "$kind" = lib ]; then
        file[$name]=${rest%% *}
        deps[$name]=${rest#* }
        [ "${deps[$name]}" = "${file[$name]}" ] && deps[$name]=""
    else
        sofiles[$name]=$rest
    fi
done <"$layers"

# The C runtime every library may call: libc (with pthread), libm, libgcc.
runtime=()
for lib in libc.so.6 libm.so.6 libgcc_s.so.1; do
    path=$(gcc -print-file-name=$lib)
    [ -f "$path" ] || path=$(find /lib /usr/lib -name "$lib" 2>/dev/null | head -1)
    [ -n "$path" ] && runtime+=("$path")
done
nm -D --defined-only "${runtime[@]}" 2>/dev/null | awk 'NF>=3 {print $3}' | sed 's/@.*//' | sort -u >"$tmp/runtime"
[ -s "$tmp/runtime" ] || { echo "FAIL: cannot read the C runtime's symbols"; exit 1; }

# Symbol names without their version (curl_easy_init@@CURL_OPENSSL_4).
defined_a() { nm --defined-only -g "$1" 2>/dev/null | awk 'NF>=3 {print $3}'; }
defined_so() { nm -D --defined-only "$@" 2>/dev/null | awk 'NF>=3 {print $3}' | sed 's/@.*//'; }

# Our libraries reachable from $1 (itself included).
closure() {
    local seen=" $1 " queue=("$1") d
    while [ ${#queue[@]} -gt 0 ]; do
        for d in ${deps[${queue[0]}]}; do
            case $d in ip_*) case $seen in *" $d "*) ;; *) seen+="$d "; queue+=("$d") ;; esac ;; esac
        done
        queue=("${queue[@]:1}")
    done
    echo "$seen"
}

# The symbols lib uses that nothing it may use defines.
forbidden() {
    local lib=$1 allowed=$tmp/allowed-$1 l d
    cp "$tmp/runtime" "$allowed"
    for l in $(closure "$lib"); do defined_a "${file[$l]}" >>"$allowed"; done
    for d in ${deps[$lib]}; do
        # shellcheck disable=SC2086
        case $d in PkgConfig::*) defined_so ${sofiles[$d]} >>"$allowed" ;; esac
    done
    sort -u -o "$allowed" "$allowed"
    # Sanitizer hooks come from the compiler, not from a library.
    nm -u "${file[$lib]}" | awk '$1 == "U" {print $2}' | sed 's/@.*//' |
        grep -v -E '^(__asan|__ubsan|__sanitizer|__lsan|_GLOBAL_OFFSET_TABLE_)' | sort -u >"$tmp/used-$lib"
    comm -23 "$tmp/used-$lib" "$allowed"
}

fails=0
for lib in $(printf "%s\n" "${!file[@]}" | sort); do
    bad=$(forbidden "$lib" | head -20)
    if [ -n "$bad" ]; then
        echo "FAIL: $lib uses what it does not link ($(echo ${deps[$lib]})):"
        echo "$bad" | sed 's/^/    /'
        fails=$((fails + 1))
    else
        echo "ok: $lib ($(wc -l <"$tmp/used-$lib") symbols used; links: $(echo ${deps[$lib]}))"
    fi
done

# The check itself: a library on top of base that calls curl and SDL must
# be caught, and one that calls only base and libc must pass.
cat >"$tmp/wrong.c" <<'EOF2'
void *curl_easy_init(void);
int SDL_Init(unsigned flags);
int platform_is_file(const char *path);
int wrong(void) { return curl_easy_init() != 0 && SDL_Init(0) == 0 && platform_is_file("x"); }
EOF2
cat >"$tmp/right.c" <<'EOF2'
#include <string.h>
int platform_is_file(const char *path);
int right(const char *p) { return platform_is_file(p) && strlen(p) > 1; }
EOF2
for t in wrong right; do
    gcc -c -O1 "$tmp/$t.c" -o "$tmp/$t.o" && ar rcs "$tmp/lib$t.a" "$tmp/$t.o"
    file[$t]=$tmp/lib$t.a
    deps[$t]=ip_base
done
if [ "$(forbidden wrong | tr '\n' ' ')" != "SDL_Init curl_easy_init " ]; then
    echo "FAIL: the check did not catch a library calling curl and SDL on top of base: $(forbidden wrong | tr '\n' ' ')"
    fails=$((fails + 1))
elif [ -n "$(forbidden right)" ]; then
    echo "FAIL: the check refused a library that only calls base and libc: $(forbidden right | tr '\n' ' ')"
    fails=$((fails + 1))
else
    echo "ok: a library calling curl and SDL on top of base is caught (SDL_Init, curl_easy_init)"
fi
[ "$fails" -eq 0 ]
