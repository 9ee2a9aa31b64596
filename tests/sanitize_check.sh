#!/bin/sh
# After the sanitizer pass of `make test`: fails when any program of it
# wrote a report (ASan, LSan, UBSan) to BUILD/sanitizer/, and shows them.
#
# One line is not a report: LSan prints "Unable to get registers from
# thread N." when a thread is exiting just as the leak check stops the
# world (a race at exit; newer LLVM prints it only at verbosity 1, and git's
# test suite ignores it the same way). A file holding nothing but that line,
# or nothing at all, is counted and shown as ignored, never as a pass of a
# real report.
# Usage: tests/sanitize_check.sh BUILD
set -u
dir=${1:?usage: sanitize_check.sh BUILD}/sanitizer
benign='^==[^=]*==[0-9]*==Unable to get registers from thread [0-9]*\.$'
real=""
ignored=0
for f in $(find "$dir" -type f -name 'report*' 2>/dev/null | sort); do
    if grep -qv "$benign" "$f"; then
        real="$real $f"
    else
        ignored=$((ignored + 1))
    fi
done
if [ "$ignored" -gt 0 ]; then
    echo "sanitizers: $ignored file(s) with only LSan's exit-race line ignored"
fi
if [ -z "$real" ]; then
    echo "sanitizers: no report"
    exit 0
fi
echo "FAIL: sanitizer reports in $dir:"
for f in $real; do
    echo "== $f"
    head -60 "$f"
done
exit 1
