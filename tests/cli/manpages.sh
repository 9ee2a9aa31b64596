#!/bin/bash
# The man pages are complete: every option that `infopoint --help` and
# `infopoint-bundle --help` list, and every command of the content tool,
# is in its man page (packaging/man), and each page is well-formed for
# man(1) (groff warnings fail). A new option without its documentation
# fails here.
set -u
man_dir="${INFOPOINT_SOURCE_DIR:?}/packaging/man"
pass=0 fails=0
ok() { pass=$((pass + 1)); }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }

# The options a page documents: its \-\- escapes read as plain "--".
page_words() { sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man_dir/$1"; }

for prog in infopoint infopoint-bundle; do
    help=$("$prog" --help 2>&1)
    [ -n "$help" ] || { bad "$prog --help printed nothing"; continue; }
    page=$(page_words "$prog.1")
    for opt in $(grep -o -- '--[a-z][a-z0-9-]*' <<<"$help" | sort -u); do
        grep -q -- "$opt\b" <<<"$page" && ok || bad "$prog.1 does not document $opt"
    done
    if command -v groff >/dev/null; then
        warn=$(groff -man -Tutf8 -ww -z "$man_dir/$prog.1" 2>&1)
        [ -z "$warn" ] && ok || bad "$prog.1: $warn"
    fi
done
# The content tool's commands: the first word after the program on each usage line.
for cmd in $(infopoint-bundle --help 2>&1 | sed -n 's/^ *\(usage: \)\{0,1\}infopoint-bundle \([a-z][a-z-]*\).*/\2/p' | sort -u); do
    page_words infopoint-bundle.1 | grep -q "^\.B.* $cmd\b\|^\.BI \"$cmd\b" && ok || bad "infopoint-bundle.1 does not document the command $cmd"
done
echo "$pass passed, $fails failed"
[ "$fails" = 0 ]
