#!/bin/bash
# A bounded libFuzzer run of every parser of outside input (tests/fuzz:
# metadata from a server, Markdown and its layout from editors, a whole
# hostile bundle drawn by the kiosk, INI files, the kiosk's config, scripts,
# routes, image headers), each from its seed corpus in tests/fuzz/corpus/.
# CI time is short (and make test now runs a sanitizer pass too), so
# FUZZ_SECONDS (10) each; `make fuzz` runs 10 minutes
# each. Needs clang with libFuzzer (clang, libclang-rt-14-dev in
# packaging/deps.txt); the fuzz build is BUILD/fuzz (clang, sanitizers).
# FUZZ_KEEP=DIR keeps the grown corpora and any crash input there.
# FUZZ_TARGETS="meta ini" runs only those.
set -u
src=${INFOPOINT_SOURCE_DIR:?}
build=${INFOPOINT_BUILD_DIR:?}
seconds=${FUZZ_SECONDS:-10}
targets=${FUZZ_TARGETS:-meta content layout bundle ini config script route imginfo}
fuzz=$build/fuzz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${FUZZ_KEEP:-$tmp/out}
if ! command -v clang >/dev/null 2>&1; then
    echo "clang not installed: skipping"; exit 77
fi
# A seed bundle the kiosk refuses (an older schema) would fuzz only the
# refusal: each must open and show content in this build.
for seed in "$src"/tests/fuzz/corpus/bundle/*.ipb; do
    if seed_says=$(SDL_VIDEODRIVER=dummy "$build/infopoint" --bundle "$seed" --screenshot "$tmp/seed.png" 2>&1) &&
        ! echo "$seed_says" | grep -q "no content opened"; then
        :
    else
        echo "FAIL: the seed $seed does not open: $seed_says"
        echo "(rebuild it: infopoint-bundle build tests/data/good -o $seed)"
        exit 1
    fi
done
t0=$(date +%s)
if [ ! -f "$fuzz/CMakeCache.txt" ] &&
    ! CC=clang cmake -S "$src" -B "$fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINFOPOINT_FUZZ=ON \
        -DINFOPOINT_WERROR=OFF >"$tmp/configure.log" 2>&1; then
    echo "FAIL: the fuzz build does not configure:"; tail -20 "$tmp/configure.log"; exit 1
fi
if ! cmake --build "$fuzz" --target fuzzers -j 2 >"$tmp/build.log" 2>&1; then
    echo "FAIL: the fuzz build fails:"; grep -E -A3 "error" "$tmp/build.log" | head -30; exit 1
fi
echo "fuzz build ($fuzz): $(($(date +%s) - t0)) s"

fails=0 pass=0
for name in $targets; do
    seeds=$src/tests/fuzz/corpus/$name
    [ "$name" = layout ] && seeds=$src/tests/fuzz/corpus/content
    work=$out/corpus-$name
    mkdir -p "$work" "$out/crash-$name"
    opts=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$out/crash-$name/"
          -max_len=16384 -rss_limit_mb=1024 -timeout=10)
    dict=$src/tests/fuzz/$name.dict
    [ "$name" = layout ] && dict=$src/tests/fuzz/content.dict
    [ -f "$dict" ] && opts+=(-dict="$dict")
    # A bundle is a whole SQLite file: seeds of tens of kilobytes. Each
    # input starts a whole kiosk (about a second alone): on a loaded
    # machine an input took over 10 s that took 1.1 s when run again alone.
    [ "$name" = bundle ] && opts+=(-max_len=262144 -timeout=60)
    # Inputs are written to $work; the seeds in the tree are only read.
    if (cd "$tmp" && "$fuzz/tests/fuzz/fuzz_$name" "${opts[@]}" "$work" "$seeds") >"$tmp/$name.log" 2>&1; then
        echo "fuzz_$name: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$tmp/$name.log" | grep -o '[0-9]*$') runs," \
             "$(grep -o 'cov: [0-9]*' "$tmp/$name.log" | tail -1), corpus $(ls "$work" | wc -l) in ${seconds} s, no crash"
        pass=$((pass + 1))
    else
        echo "FAIL: fuzz_$name found a crash (input in $out/crash-$name):"
        grep -E -A30 "ERROR|runtime error|deadly signal" "$tmp/$name.log" | head -50
        fails=$((fails + 1))
    fi
done
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
