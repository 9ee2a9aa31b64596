#!/bin/bash
# The content tool at scale (issue 12): writes a synthetic content folder of
# N items (bench/synth.c, the folder `infopoint-bench store` builds), builds
# it with `infopoint-bundle build` under /usr/bin/time -v and prints wall
# time, peak RSS and bundle size. Not part of `make test`: 100,000 items
# need ~1.3 GB of sources, ~3.3 GB of bundle and minutes.
#
#   tests/bench/large.sh [BUILD_DIR] [N] [WORK_DIR]
#
# WORK_DIR (default /tmp/infopoint-large-N) keeps the source folder between
# runs, so a second run measures the build alone; delete it to start over.
set -euo pipefail
build=${1:-build}
n=${2:-100000}
work=${3:-/tmp/infopoint-large-$n}
tool=$build/infopoint-bundle
bench=$build/infopoint-bench
for p in "$tool" "$bench" /usr/bin/time; do
    [ -x "$p" ] || { echo "large.sh: $p is missing (build first; apt-get install time)" >&2; exit 2; }
done
mkdir -p "$work"
if [ ! -d "$work/src" ]; then
    t0=$(date +%s.%N)
    "$bench" synth "$work/src" "$n"
    echo "source: $n items x 3 languages written in $(echo "$(date +%s.%N) - $t0" | bc) s" \
         "($(du -sm "$work/src" | cut -f1) MB)"
fi
rm -f "$work/out.ipb"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v "$tool" build "$work/src" -o "$work/out.ipb" >"$work/build.log" 2>"$work/time.log" || {
    cat "$work/build.log" "$work/time.log" >&2
    exit 1
}
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.log")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.log")
user=$(sed -n 's/.*User time (seconds): //p' "$work/time.log")
sys=$(sed -n 's/.*System time (seconds): //p' "$work/time.log")
size=$(stat -c %s "$work/out.ipb")
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'items %d: wall %s, user %s s, sys %s s, peak RSS %.1f MB, bundle %.1f MB\n' \
    "$n" "$wall" "$user" "$sys" "$(echo "$rss * 1024 / 1000000" | bc -l)" "$(echo "$size / 1000000" | bc -l)"
