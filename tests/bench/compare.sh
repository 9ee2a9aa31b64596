#!/bin/bash
# infopoint side by side with what kiosks run today: a web page in Chromium.
# The same article (the Constitution excerpts, one language) at 1920x1080:
#   1. first frame: a spawned process to a PNG (infopoint --screenshot vs
#      chromium --headless --screenshot), timed by farm-bench, pair by pair;
#   2. a window under Xvfb: PSS of the kiosk vs the sum over Chromium's
#      processes (--kiosk), 8 s after start, and wake-ups/s of each, idle,
#      over 10 s.
# Prints the figures and the ratios (BENCHMARKS.md, "Side by side with
# Chromium"). Not part of `make test`: `make bench-compare`. Needs chromium
# (`apt-get install chromium`), Xvfb and farm-bench; says what is missing.
#
#   tests/bench/compare.sh [BUILD_DIR] [LANG]
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
lang=${2:-en}
runs=${RUNS:-10}
chromium=$(command -v chromium || command -v chromium-browser) || {
    echo "compare: no chromium (apt-get install chromium)" >&2
    exit 2
}
command -v Xvfb >/dev/null || { echo "compare: no Xvfb" >&2; exit 2; }
command -v farm-bench >/dev/null || { echo "compare: no farm-bench" >&2; exit 2; }
work=$(mktemp -d /tmp/infopoint-compare-XXXXXX)
trap 'pkill -P $$ 2>/dev/null; rm -rf "$work"' EXIT

# The article as a web page would serve it: the same Markdown, headings,
# paragraphs and bold, in the kiosk's font and sizes (a plain, fair page:
# no scripts, no frameworks).
python3 - "$src/assets/content/items/constitution/$lang.md" "$work/article.html" <<'PY'
import html, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
if text.startswith("---"):
    text = text.split("---", 2)[2]
title = re.search(r"^title: (.*)$", open(sys.argv[1], encoding="utf-8").read(), re.M).group(1)
def inline(s):
    s = html.escape(re.sub(r"\{#[a-z0-9-]+\}\s*", "", s))
    s = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s)
    return re.sub(r"\*(.+?)\*", r"<i>\1</i>", s)
body = []
for block in re.split(r"\n\s*\n", text.strip()):
    m = re.match(r"(#+) (.*)", block)
    if m:
        n = len(m.group(1)) + 1
        body.append(f"<h{n}>{inline(m.group(2))}</h{n}>")
    else:
        body.append(f"<p>{inline(block)}</p>")
page = f"""<!doctype html><html lang="{sys.argv[1].split('/')[-1][:2]}"><meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>body{{font-family:"Noto Sans",sans-serif;font-size:24px;line-height:1.5;margin:0;background:#fff;color:#1a1a1a}}
header{{background:#0b4f6c;color:#fff;padding:16px 32px;font-size:28px}} main{{max-width:1100px;margin:0 auto;padding:24px 32px}}
h2,h3{{color:#0b4f6c}}</style>
<header>{html.escape(title)}</header><main>{''.join(body)}</main></html>"""
open(sys.argv[2], "w", encoding="utf-8").write(page)
PY
url="file://$work/article.html"
chrome_flags=(--no-sandbox --no-first-run --no-default-browser-check --disable-gpu --user-data-dir="$work/profile")

echo "== first frame: a spawned process to a 1920x1080 PNG, $runs runs each, pair by pair"
farm-bench -n "$runs" --timeout 600 \
    --vs "$chromium ${chrome_flags[*]} --headless=new --hide-scrollbars --window-size=1920,1080 --screenshot=$work/b.png $url" \
    -- "$build/infopoint" --screenshot "$work/a.png" --size 1920x1080 \
    --bundle "$build/sample.ipb" --lang "$lang" --open item/constitution
for png in a b; do
    [ -s "$work/$png.png" ] || { echo "compare: no picture from ${png/a/infopoint}" >&2; exit 1; }
done
cp "$work/a.png" /tmp/compare-infopoint.png
cp "$work/b.png" /tmp/compare-chromium.png

# A process and all its descendants, one pid a line.
tree() {
    ps -e -o pid=,ppid= | awk -v root="$1" '
        { parent[$1] = $2 }
        END { for (p in parent) { q = p; while (q != "" && q != root && q > 1) q = parent[q]; if (q == root) print p } }'
}
# Proportional set size (kB) summed over a process and its descendants.
pss_tree() {
    local total=0 p v
    for p in $(tree "$1"); do
        v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null)
        total=$((total + ${v:-0}))
    done
    echo "$total"
}
# Context switches (voluntary + involuntary) of every thread of a tree.
switches_tree() {
    local total=0 p t
    for p in $(tree "$1"); do
        for t in /proc/"$p"/task/*/status; do
            total=$((total + $(awk '/ctxt_switches/ {s += $2} END {print s + 0}' "$t" 2>/dev/null || echo 0)))
        done
    done
    echo "$total"
}
# One program in a window: PSS 8 s after start, wake-ups/s over the next 10 s.
window_case() {
    local name=$1
    shift
    Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$work/display" >/dev/null 2>&1 &
    local xvfb=$!
    for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
    DISPLAY=":$(tr -d '[:space:]' <"$work/display")" "$@" >"$work/$name.log" 2>&1 &
    local pid=$!
    sleep 8
    local pss c0 c1
    pss=$(pss_tree "$pid")
    c0=$(switches_tree "$pid")
    sleep 10
    c1=$(switches_tree "$pid")
    kill "$pid" 2>/dev/null
    pkill -P "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    kill "$xvfb" 2>/dev/null
    wait "$xvfb" 2>/dev/null
    rm -f "$work/display"
    printf '%-10s PSS %6d kB   wake-ups %5.1f /s\n' "$name" "$pss" "$(awk -v a="$c0" -v b="$c1" 'BEGIN {print (b - a) / 10}')"
    eval "${name}_pss=$pss"
}
echo "== in a window under Xvfb 1920x1080: PSS 8 s after start, idle wake-ups over 10 s"
window_case infopoint env -u SDL_VIDEODRIVER "$build/infopoint" --windowed --size 1920x1080 \
    --bundle "$build/sample.ipb" --lang "$lang" --open item/constitution --idle-reset 0
window_case chromium "$chromium" "${chrome_flags[@]}" --kiosk --window-size=1920,1080 "$url"
awk -v c="$chromium_pss" -v i="$infopoint_pss" 'BEGIN {printf "PSS ratio chromium / infopoint: %.1fx\n", c / i}'
