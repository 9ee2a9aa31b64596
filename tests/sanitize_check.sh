#!/bin/sh
# After the sanitizer pass of `make test`: fails when any program of it
# wrote a report (ASan, LSan, UBSan) to BUILD/sanitizer/, and shows them.
# Usage: tests/sanitize_check.sh BUILD
set -u
dir=${1:?usage: sanitize_check.sh BUILD}/sanitizer
reports=$(find "$dir" -type f -name 'report*' 2>/dev/null | sort)
if [ -z "$reports" ]; then
    echo "sanitizers: no report"
    exit 0
fi
echo "FAIL: sanitizer reports in $dir:"
for f in $reports; do
    echo "== $f"
    head -60 "$f"
done
exit 1
