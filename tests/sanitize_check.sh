#!/bin/sh
# After the sanitizer pass of `make test`: fails when any program of it
# wrote a report (ASan, LSan, UBSan) to BUILD/sanitizer/, and shows them.
#
# One kind of report is shown but does not fail: a LeakSanitizer report in
# which some allocation was made by code that was unloaded before the leak
# check ("<unknown module>") and no frame is in this project's sources. It
# has been seen twice in many hundreds of runs (cli.sync_crash and
# cli.sync_live, 240 bytes: one 128-byte block holding two 56-byte ones),
# always with that unloaded caller and no frame of ours; our code is linked
# into the programs and never unloaded, so a leak of ours always has a
# frame here. Anything else, including any report with one frame of ours,
# fails.
# Usage: tests/sanitize_check.sh BUILD [SOURCE_DIR]
set -u
dir=${1:?usage: sanitize_check.sh BUILD [SOURCE_DIR]}/sanitizer
src=${2:-$(cd "$(dirname "$0")/.." && pwd)}
reports=$(find "$dir" -type f -name 'report*' 2>/dev/null | sort)
failed=0 foreign=0
for f in $reports; do
    if grep -q "ERROR: LeakSanitizer" "$f" && grep -q "(<unknown module>)" "$f" &&
        ! grep -q "ERROR: AddressSanitizer\|runtime error" "$f" && ! grep -qF "$src/" "$f"; then
        foreign=$((foreign + 1))
        echo "sanitizers: a leak allocated by unloaded code, none of ours (shown, not failed): $f"
        head -30 "$f"
        continue
    fi
    [ "$failed" -eq 0 ] && echo "FAIL: sanitizer reports in $dir:"
    failed=$((failed + 1))
    echo "== $f"
    head -60 "$f"
done
if [ "$failed" -gt 0 ]; then
    echo "$failed sanitizer report(s)"
    exit 1
fi
echo "sanitizers: no report of ours ($foreign from unloaded code)"
