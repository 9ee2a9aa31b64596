#!/bin/bash
# Crash consistency of the sync (design.md, "Applying an update"): the syncing
# process is killed with SIGKILL at a random moment, over and over, and each
# time the state directory must still hold the old version or the new one,
# never neither, and the next sync must finish the job.
#
# Two editions alternate in one repository: A (the sample bundle) and B (the
# sample content with a sentence and a 1 MB photo added to one article), so
# every iteration publishes a new version with real changes to download and
# apply. Each iteration:
#   1. publishes the next version;
#   2. starts `infopoint --sync-once` and kills it after a random delay (see
#      kill_delay: from 0 to a bit more than a full sync, measured first);
#      every third iteration, when the old version is still live, the
#      recovering sync is killed too;
#   3. checks after each kill: (a) `current` names the old or the new version,
#      and the kiosk shows exactly that edition (headless screenshot of the
#      changed article, compared byte for byte with the edition's reference
#      picture; no fallback to another bundle logged); (b) PRAGMA
#      integrity_check is "ok" on the live bundle; (c) `infopoint-bundle info`
#      verifies its digest, which is the edition's and the one `current` names;
#   4. (d) runs a sync that is not killed: exit 0, the newest version live with
#      its digest, no staging, partial or temporary file left.
# Where each kill landed is read from what it left (new objects: download;
# a .staging file: apply; the renamed bundle without the pointer: switch; the
# pointer moved: after switch) and printed as a histogram.
#
# Environment: SYNC_CRASH_ITERATIONS (default 50; 1000 takes ~6 min),
# SYNC_CRASH_SEED (default: from the clock; printed, to repeat a run).
# When tests/cli/lib_nginx.sh exists, every fourth iteration goes over http
# through nginx (--allow-http).
set -u
iterations=${SYNC_CRASH_ITERATIONS:-50}
seed=${SYNC_CRASH_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$seed
MAX_FAILS=10        # stop the loop after this many failed checks
HTTP_EVERY=4        # one iteration in this many over http, when nginx is there

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sync_crash.XXXXXX")
http_up=0
cleanup() {
    [ "$http_up" = 1 ] && nginx_stop >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

now_us() { date +%s%6N; }

key=$tmp/keys/publisher.key
pub=$tmp/keys/publisher.pub
repo=$tmp/repo
state=$tmp/state
# shellcheck source=lib_sync.sh
. "${INFOPOINT_SOURCE_DIR:?}/tests/cli/lib_sync.sh"

# ---- two editions, their digests and reference pictures -------------------------
sync_editions "This is edition B of the content, published by the crash test." noise.png Noise 1080000

edition() { # VERSION: odd versions are A, even ones B
    [ $(( $1 % 2 )) -eq 1 ] && echo A || echo B
}
declare -A PUB # the content digest of each published version (stamped)
publish() { # VERSION
    infopoint-bundle publish "$tmp/$(edition "$1").ipb" --key "$key" --out "$repo" --version "$1" \
        >"$tmp/publish.log" 2>&1 || die "publish version $1: $(cat "$tmp/publish.log")"
    PUB[$1]=$(published_digest "$tmp/publish.log")
    [ -n "${PUB[$1]}" ] || die "publish version $1 printed no digest: $(cat "$tmp/publish.log")"
}
sync_args() { # URL: sets ARGS to the arguments of one sync
    ARGS=(--sync-once "$1" --trust "$pub" --state "$state")
    case $1 in http://*) ARGS+=(--allow-http) ;; esac
}

# ---- transports ------------------------------------------------------------------
urls=("$repo")
lib_nginx=$INFOPOINT_SOURCE_DIR/tests/cli/lib_nginx.sh
if [ -f "$lib_nginx" ]; then
    # shellcheck source=/dev/null
    . "$lib_nginx"
    mkdir -p "$repo"
    if nginx_start "$repo" >"$tmp/nginx.log" 2>&1 && [ -n "${NGINX_URL:-}" ]; then
        http_up=1
        urls+=("$NGINX_URL")
    else
        echo "note: nginx did not start, all iterations over file://: $(tail -3 "$tmp/nginx.log")"
    fi
fi
url_for() { # ITERATION
    if [ ${#urls[@]} -gt 1 ] && [ $(( $1 % HTTP_EVERY )) -eq 0 ]; then echo "${urls[1]}"; else echo "${urls[0]}"; fi
}

# ---- version 1, and how long a sync takes ------------------------------------------
# Kill delays: half spread evenly over 0 .. 1.2 x a full sync to that edition;
# half over the stretch where the work is (from a third of a sync that finds
# nothing new, about the start-up, to a full sync), so that enough kills land
# in the download, apply and switch phases, which take a few milliseconds.
t_start=$(now_us)
publish 1
sync_args "$repo"
out=$(infopoint "${ARGS[@]}" 2>&1) || die "first sync: $out"
version=1
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
declare -A FULL_US IDLE_US
for url in "${urls[@]}"; do
    sync_args "$url"
    full_A=() full_B=() idle=()
    for _ in 1 2 3 4 5 6; do
        version=$((version + 1))
        publish $version
        t0=$(now_us)
        out=$(infopoint "${ARGS[@]}" 2>&1) || die "sync of version $version from $url: $out"
        # Over http this also needs publish to give each timestamp.txt a new
        # ETag (nginx's is the mtime in seconds and the length).
        [[ $out == *"installed version $version"* ]] || die "sync of version $version from $url: $out"
        t1=$(now_us)
        out=$(infopoint "${ARGS[@]}" 2>&1) || die "sync of version $version from $url: $out"
        eval "full_$(edition $version)+=($((t1 - t0)))"
        idle+=($(($(now_us) - t1)))
    done
    FULL_US[$url,A]=$(median3 "${full_A[@]}")
    FULL_US[$url,B]=$(median3 "${full_B[@]}")
    IDLE_US[$url]=$(median3 "${idle[@]:0:3}")
    echo "from $url: a full sync to edition A takes $((FULL_US[$url,A] / 1000)) ms, to B" \
        "$((FULL_US[$url,B] / 1000)) ms, one that finds nothing new $((IDLE_US[$url] / 1000)) ms"
done

# ---- the checks -------------------------------------------------------------------
# After a kill between OLD and NEW: returns 0 when every check holds.
check_killed() { # ITERATION OLD NEW
    local i=$1 old=$2 new=$3 live v e got why
    v=$(field version)
    if [ "$v" != "$old" ] && [ "$v" != "$new" ]; then
        bad "iteration $i: current names version '${v}', not $old or $new: $(ls "$state")"
        return 1
    fi
    live=$state/$(field bundle)
    e=$(edition "$v")
    [ -f "$live" ] || { bad "iteration $i: the live bundle $live is missing"; return 1; }
    # (a) the kiosk opens it and shows that edition
    why=$(shows "$e") || { bad "iteration $i: $why (version $v)"; return 1; }
    # (b) integrity
    got=$(integrity "$live")
    [ "$got" = ok ] || { bad "iteration $i: integrity_check of $live: $got"; return 1; }
    # (c) the digest, stored and recomputed, is that version's publication's
    # and the pointer's
    got=$(digest_of "$live")
    [ "$got" = "${PUB[$v]}" ] && [ "$got" = "$(field digest)" ] ||
        { bad "iteration $i: digest of $live is '$got', want ${PUB[$v]}"; return 1; }
    ok
}

# (d) the sync that is not killed ends with the newest version and no leftovers.
check_converges() { # ITERATION URL NEW
    local i=$1 url=$2 new=$3 out v n
    sync_args "$url"
    out=$(infopoint "${ARGS[@]}" 2>&1) || { bad "iteration $i: the next sync failed: $out"; return 1; }
    v=$(field version)
    [ "$v" = "$new" ] || { bad "iteration $i: after the next sync version '$v' is live, not $new: $out"; return 1; }
    [ "$(digest_of "$state/$(field bundle)")" = "${PUB[$new]}" ] ||
        { bad "iteration $i: the converged bundle has the wrong digest"; return 1; }
    n=$(leftovers)
    [ -z "$n" ] || { bad "iteration $i: leftovers after the next sync: $n"; return 1; }
    # Two bundles (live and previous); three after a kill between the pointer
    # and the pruning, until the next install prunes.
    n=$(find "$state" -maxdepth 1 -name 'bundle-*.ipb' | wc -l)
    [ "$n" -le 3 ] || { bad "iteration $i: $n bundles kept: $(ls "$state")"; return 1; }
    ok
}

# ---- the loop ---------------------------------------------------------------------
declare -A HIST=() DMIN=() DMAX=() AGAIN=()
phases="start download apply switch after-switch finished"
kills=0 http_iters=0

# Where did the kill land? Read from what the process left behind.
phase_of() { # STATUS NEW OBJECTS-BEFORE
    local rc=$1 new=$2 before=$3
    if [ "$rc" -eq 0 ]; then echo finished
    elif [ "$(field version)" = "$new" ]; then echo after-switch
    elif [ -f "$state/bundle-$new.ipb" ]; then echo switch
    elif [ -f "$state/bundle-$new.ipb.staging" ]; then echo apply
    elif [ "$(ls "$state/objects")" != "$before" ]; then echo download
    else echo start
    fi
}

rand_below() { # N: a random number 0 .. N-1 (N up to 2^30)
    echo $(( (RANDOM * 32768 + RANDOM) % $1 ))
}
kill_delay() { # URL EDITION: microseconds
    local full=${FULL_US[$1,$2]} lo=$((IDLE_US[$1] / 3))
    [ "$full" -gt "$lo" ] || full=$((lo + 1000))
    if [ $((RANDOM % 2)) -eq 0 ]; then
        rand_below $((full * 6 / 5))
    else
        echo $((lo + $(rand_below $((full - lo)))))
    fi
}

# Starts a sync, kills it after a random delay, checks what it left; the
# histogram counts first attempts only (KIND "first" or "again").
killed_attempt() { # ITERATION URL OLD NEW KIND
    local i=$1 url=$2 old=$3 new=$4 kind=$5 delay before pid rc ph
    delay=$(kill_delay "$url" "$(edition "$new")")
    before=$(ls "$state/objects")
    sync_args "$url"
    infopoint "${ARGS[@]}" >"$tmp/killed.log" 2>&1 &
    pid=$!
    sleep "$(printf '%d.%06d' $((delay / 1000000)) $((delay % 1000000)))"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 137 ]; then
        bad "iteration $i: the sync failed on its own (status $rc): $(tail -2 "$tmp/killed.log")"
        return 1
    fi
    ph=$(phase_of "$rc" "$new" "$before")
    if [ "$kind" = first ]; then
        HIST[$ph]=$(( ${HIST[$ph]:-0} + 1 ))
        { [ -z "${DMIN[$ph]:-}" ] || [ "$delay" -lt "${DMIN[$ph]}" ]; } && DMIN[$ph]=$delay
        { [ -z "${DMAX[$ph]:-}" ] || [ "$delay" -gt "${DMAX[$ph]}" ]; } && DMAX[$ph]=$delay
    else
        AGAIN[$ph]=$(( ${AGAIN[$ph]:-0} + 1 ))
    fi
    kills=$((kills + 1))
    check_killed "$i" "$old" "$new"
}

t_loop=$(now_us)
for ((i = 1; i <= iterations && fails < MAX_FAILS; i++)); do
    old=$version
    version=$((version + 1))
    url=$(url_for "$i")
    [ "$url" != "$repo" ] && http_iters=$((http_iters + 1))
    publish $version
    killed_attempt "$i" "$url" "$old" "$version" first || continue
    # Every third time the old version is still live, the recovering sync is
    # killed as well.
    if [ $((i % 3)) -eq 0 ] && [ "$(field version)" = "$old" ]; then
        killed_attempt "$i" "$url" "$old" "$version" again || continue
    fi
    check_converges "$i" "$url" "$version"
    [ $(( i % 100 )) -eq 0 ] && echo "... $i iterations, $fails failed, $(( ($(now_us) - t_loop) / 1000000 )) s"
done
t_end=$(now_us)

echo "iterations: $((i - 1)) ($http_iters over http), kills: $kills, seed $seed"
echo "where the kills landed (delay range in ms):"
for ph in $phases; do
    n=${HIST[$ph]:-0}
    range=""
    [ "$n" -gt 0 ] && range=$(printf '%d.%d-%d.%d' $((DMIN[$ph] / 1000)) $((DMIN[$ph] / 100 % 10)) \
        $((DMAX[$ph] / 1000)) $((DMAX[$ph] / 100 % 10)))
    printf '  %-13s %5d  %s\n' "$ph" "$n" "$range"
done
again=""
for ph in $phases; do [ -n "${AGAIN[$ph]:-}" ] && again="$again $ph ${AGAIN[$ph]}"; done
echo "  second kills, while recovering:${again:- none}"
echo "  (start: before the first download; switch: bundle renamed, pointer not yet written;"
echo "   after-switch: new version live, process still pruning; finished: exited before the kill)"
echo "runtime: $(( (t_end - t_start) / 1000000 )) s, loop $(( (t_end - t_loop) / 1000 )) ms"
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
