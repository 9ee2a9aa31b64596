#!/bin/bash
# The soak: a seeded random "monkey" (tests/tools/monkey.c) taps, drags,
# flings, types and navigates a headless kiosk, with idle resets and content
# swaps between two editions of the sample content, twice at the same time:
#   - under AddressSanitizer, LeakSanitizer and UBSan, in the sanitizer
#     build `make test` makes for its second pass (SOAK_ASAN_BUILD), or else
#     a build of its own (${INFOPOINT_BUILD_DIR}/soak-asan, configured with
#     INFOPOINT_SANITIZE=ON the first time, then only rebuilt): any report fails;
#   - in the normal build, for the memory figure (RSS under ASan is inflated
#     by its shadow memory and quarantine): RSS, read on the same clean
#     screen after malloc_trim (tests/tools/monkey.c says why), must grow by
#     less than 2 MB from the end of the warm-up (the first 10 % of the
#     events) to the end; the untrimmed RSS and malloc's bytes in use are
#     printed beside it.
# CI: 20,000 events. Long mode (`make soak`): SOAK_EVENTS=1000000.
# SOAK_SEED picks another run (default 1); the seed is printed, and a failure
# prints the events that led to it: `monkey ... --seed S --trace` replays it.
# SOAK_LOG_DIR keeps both runs' whole output (every tenth's memory reading).
set -u
src=${INFOPOINT_SOURCE_DIR:?}
build=${INFOPOINT_BUILD_DIR:?}
events=${SOAK_EVENTS:-20000}
seed=${SOAK_SEED:-1}
asan=${SOAK_ASAN_BUILD:-$build/soak-asan}
jobs=$(nproc 2>/dev/null || echo 2)
tmp=$(mktemp -d)
logs=${SOAK_LOG_DIR:-$tmp}
mkdir -p "$logs"
pids=
cleanup() { [ -n "$pids" ] && kill $pids 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

# The second edition, built by the content tool from an edited copy: an item
# and its category gone, an explainer three cards shorter, an article longer.
ed2=$tmp/edition2
cp -r "$src/assets/content" "$ed2"
rm -rf "$ed2/items/how-to-use"
awk '/^\[category help\]/ { skip = 1; next } /^\[/ { skip = 0 } !skip' "$src/assets/content/bundle.conf" |
    sed 's/^version = 1$/version = 2/' >"$ed2/bundle.conf"
for f in "$ed2"/items/key-changes/*.md; do
    awk '/^## / { n++ } n <= 5' "$f" >"$f.new" && mv "$f.new" "$f"
    # Keywords of the cards cut away would name anchors that are gone.
    for a in $(sed -n 's/^keywords\.\([a-z0-9-]*\):.*/\1/p' "$f"); do
        grep -q "{#$a}" "$f" || sed -i "/^keywords\.$a:/d" "$f"
    done
done
for f in "$ed2"/items/commission-session/*.md; do
    printf '\nThis paragraph is new in the second edition.\n' >>"$f"
done
if ! infopoint-bundle build "$ed2" -o "$tmp/edition2.ipb" >"$tmp/bundle.log" 2>&1; then
    echo "FAIL: the second edition does not build:"; cat "$tmp/bundle.log"; exit 1
fi

# The sanitizer build: only the monkey and the core library it links.
t0=$(date +%s)
if [ ! -f "$asan/CMakeCache.txt" ] &&
    ! cmake -S "$src" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINFOPOINT_SANITIZE=ON \
        -DINFOPOINT_WERROR=OFF >"$tmp/asan-configure.log" 2>&1; then
    echo "FAIL: the sanitizer build does not configure:"; tail -20 "$tmp/asan-configure.log"; exit 1
fi
if ! cmake --build "$asan" --target monkey -j "$jobs" >"$tmp/asan-build.log" 2>&1; then
    echo "FAIL: the sanitizer build fails:"; grep -E "error|Error" "$tmp/asan-build.log" | head -20; exit 1
fi
echo "sanitizer build ($asan): $(($(date +%s) - t0)) s"

plain=$build/tests/monkey
if [ ! -x "$plain" ] && ! cmake --build "$build" --target monkey -j "$jobs" >"$tmp/build.log" 2>&1; then
    echo "FAIL: tests/monkey does not build:"; tail -20 "$tmp/build.log"; exit 1
fi

args=(--bundle "$SAMPLE_BUNDLE" --bundle "$tmp/edition2.ipb" --events "$events" --seed "$seed")
# Below 20,000 events the warm-up is too short for the limit: the font
# library's glyph caches are still filling (BENCHMARKS.md, "Soak"). 2 MB,
# not 1, since the screen settings (the monkey now reaches high contrast
# and every text size): at seed 1 the growth was 1,216 kB, slowing to
# ~15 kB per 2,000 events by the end, as caches filling do (likely the text
# cache holding the high-contrast colours too; not proven), and
# LeakSanitizer finds nothing unreachable.
limit=2048
if [ "$events" -lt 20000 ]; then
    limit=0
    echo "note: $events events: the RSS growth is printed, not checked (20,000 or more are needed)"
fi
t0=$(date +%s)
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:print_summary=1 \
UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
    "$asan/tests/monkey" "${args[@]}" --max-growth-kb 0 >"$logs/asan.log" 2>&1 &
asan_pid=$!
"$plain" "${args[@]}" --max-growth-kb "$limit" >"$logs/plain.log" 2>&1 &
plain_pid=$!
pids="$asan_pid $plain_pid"
wait "$asan_pid"
asan_rc=$?
wait "$plain_pid"
plain_rc=$?
pids=
echo "both runs: $(($(date +%s) - t0)) s"

fails=0
echo "--- under ASan/LSan/UBSan:"
grep -E "^(soak|lsan|rss):" "$logs/asan.log"
if [ "$asan_rc" -ne 0 ] || grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:|^monkey: FAIL" "$logs/asan.log"; then
    echo "FAIL: the sanitizer run (exit $asan_rc):"
    grep -E -A40 "ERROR: (Address|Leak)Sanitizer|runtime error:|^monkey: FAIL" "$logs/asan.log" | head -80
    fails=$((fails + 1))
fi
echo "--- plain build, memory:"
grep -E "^(start |warm-up |100 % |soak:|rss|heap in use:)" "$logs/plain.log"
if [ "$plain_rc" -ne 0 ]; then
    echo "FAIL: the plain run (exit $plain_rc):"
    grep -A40 "^monkey: FAIL" "$logs/plain.log" | grep -vE "^(kinds|soak|rss|heap)" | head -60
    fails=$((fails + 1))
fi
[ "$fails" -eq 0 ] && echo "soak passed: $events events, seed $seed"
[ "$fails" -eq 0 ]
