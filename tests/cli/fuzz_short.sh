#!/bin/bash
# A short libFuzzer run of each parser of outside input (metadata from a
# server, Markdown from editors): CI time is short, so 20 s each; run longer
# by hand (see the comment at the top of each target). Needs clang with
# libFuzzer (packages clang, libclang-rt-14-dev in packaging/deps.txt).
set -u
src=${INFOPOINT_SOURCE_DIR:?}
seconds=${FUZZ_SECONDS:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v clang >/dev/null 2>&1; then
    echo "clang not installed: skipping"; exit 77
fi
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11
       -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I$src/app/base -I$src/app/format -I$src/app/layout"
fails=0 pass=0
run_target() { # name, sources..., -- libs
    local name=$1
    shift
    # shellcheck disable=SC2086
    if ! clang $flags "$@" -o "$tmp/$name" 2>"$tmp/$name.build"; then
        echo "FAIL: $name does not build:"; head -20 "$tmp/$name.build"; fails=$((fails + 1)); return
    fi
    mkdir -p "$tmp/corpus-$name"
    case $name in
        fuzz_content)
            for f in "$src"/assets/content/items/*/*.md; do
                cp "$f" "$tmp/corpus-$name/$(basename "$(dirname "$f")")-$(basename "$f")"
            done ;;
        fuzz_meta) printf 'infopoint-meta 1\nrole timestamp\nversion 1\nexpires 2030-01-01T00:00:00Z\n--\n' \
                       >"$tmp/corpus-$name/seed" ;;
    esac
    if "$tmp/$name" -max_total_time="$seconds" -max_len=16384 -print_final_stats=1 "$tmp/corpus-$name" \
        >"$tmp/$name.log" 2>&1; then
        echo "$name: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$tmp/$name.log") in ${seconds}s, no crash"
        pass=$((pass + 1))
    else
        echo "FAIL: $name found a crash:"; grep -A20 "ERROR" "$tmp/$name.log" | head -40; fails=$((fails + 1))
    fi
}
run_target fuzz_meta "$src/tests/fuzz/fuzz_meta.c" "$src/app/format/meta.c" "$src/app/base/utf8.c" \
    $(pkg-config --cflags --libs libsodium)
run_target fuzz_content "$src/tests/fuzz/fuzz_content.c" "$src/app/format/content.c" "$src/app/base/utf8.c" \
    $(pkg-config --cflags --libs md4c)
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
