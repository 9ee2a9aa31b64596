# Servers for the sync tests: a real nginx and our fault-injecting faultd,
# each on 127.0.0.1, started and stopped by the test. Source this file (it
# is not a test on its own: run by itself it only checks itself):
#
#   . "$INFOPOINT_SOURCE_DIR/tests/cli/lib_nginx.sh"
#   trap 'nginx_stop; faultd_stop; rm -rf "$tmp"' EXIT
#
#   nginx_start DIR      serve DIR read-only; exports NGINX_PORT, NGINX_URL
#                        (http://127.0.0.1:PORT) and NGINX_LOG, whose lines
#                        are "$request $status $bytes_sent $http_range":
#                        METHOD PATH PROTO STATUS BYTES RANGE (RANGE "-" if none)
#   nginx_stop           idempotent, safe in an EXIT trap
#   NGINX_SERVER_EXTRA   set before nginx_start: more lines for the server
#                        block (the report test's WebDAV PUT locations)
#
#   faultd_start DIR [faultd args...]   e.g. --fault cut:100@/objects/*,
#                        --tls CERT KEY; exports FAULTD_PORT, FAULTD_URL
#                        (http or https), FAULTD_LOG (lines: METHOD PATH
#                        STATUS BODY_BYTES RANGE FAULT CLIENT_PORT) and
#                        FAULTD_CONTROL
#   faultd_mode SPEC...  switch faults at once (see tests/tools/faultd.py);
#                        faultd_mode ok to behave again
#   faultd_stop          idempotent, safe in an EXIT trap
#
# Both servers write a log line when a response ends, a moment after the
# client has it: wait_log_lines FILE N waits (up to 5 s) for N lines.
# The logs live in temporary directories that the stop functions remove.
# Everything started here has its output in files, so ctest never waits on
# a leftover process holding its pipe. Call the start functions in the test's
# own shell (not in $(...)): the stop functions need the pids they keep.
# Safe under set -e and set -u.

_lib_nginx_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
_nginx_pid='' _nginx_watch='' _nginx_prefix='' _faultd_pid='' _faultd_dir=''

# Debian's python3 (the one the package depends on) when it is there.
_lib_python() {
    if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else echo python3; fi
}

# A port in 20000-60000 on which nothing listens right now.
_lib_random_port() {
    local port
    while :; do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40001 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

_nginx_conf() {   # prefix root port
    local p=$1 root=$2 port=$3 user=
    # As root, nginx's workers would run as nobody and might not read DIR:
    # run them as DIR's owner.
    [ "$(id -u)" = 0 ] && user="user $(stat -c '%U %G' "$root");"
    cat <<EOF
$user
daemon off;
master_process on;
worker_processes 1;
pid $p/nginx.pid;
error_log $p/error.log info;
events { worker_connections 128; }
http {
    log_format infopoint '\$request \$status \$bytes_sent \$http_range';
    access_log $p/access.log infopoint;
    client_body_temp_path $p/client_body;
    proxy_temp_path $p/proxy;
    fastcgi_temp_path $p/fastcgi;
    uwsgi_temp_path $p/uwsgi;
    scgi_temp_path $p/scgi;
    types { text/plain txt; }
    default_type application/octet-stream;
    sendfile on;
    etag on;
    server_tokens off;
    server {
        listen 127.0.0.1:$port;
        root $root;
        autoindex off;
        location / { }
        ${NGINX_SERVER_EXTRA:-}
    }
}
EOF
}

# nginx_start DIR: serves DIR on a free port; returns non-zero (with nginx's
# error log on stderr) when it does not come up.
nginx_start() {
    local root port _
    root=$(cd "$1" && pwd) || { echo "nginx_start: no directory $1" >&2; return 1; }
    nginx_stop
    _nginx_prefix=$(mktemp -d /tmp/ip-nginx-XXXXXX) || return 1
    chmod 755 "$_nginx_prefix"
    for _ in 1 2 3 4 5 6 7 8; do   # ports taken meanwhile: try another
        port=$(_lib_random_port)
        _nginx_conf "$_nginx_prefix" "$root" "$port" > "$_nginx_prefix/nginx.conf"
        rm -f "$_nginx_prefix/nginx.pid" "$_nginx_prefix/error.log"
        /usr/sbin/nginx -p "$_nginx_prefix" -c "$_nginx_prefix/nginx.conf" -e "$_nginx_prefix/error.log" \
            >"$_nginx_prefix/stdout.log" 2>&1 </dev/null &
        _nginx_pid=$!
        # The pid file appears once the port is bound; a taken port makes
        # nginx retry for 2.5 s, so give up on it at the first failure.
        for _ in $(seq 1 100); do
            if ! kill -0 "$_nginx_pid" 2>/dev/null; then
                break
            fi
            if grep -q "bind() to .* failed" "$_nginx_prefix/error.log" 2>/dev/null; then
                kill -TERM "$_nginx_pid" 2>/dev/null || true
                break
            fi
            if [ -s "$_nginx_prefix/nginx.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
                # A test killed outright (SIGKILL, no trap) must not leave
                # nginx behind: this watcher stops it when the test is gone.
                # (faultd watches its parent by itself.)
                ( while kill -0 $$ 2>/dev/null && kill -0 "$_nginx_pid" 2>/dev/null; do sleep 1; done
                  kill -TERM "$_nginx_pid" 2>/dev/null ) >/dev/null 2>&1 </dev/null &
                _nginx_watch=$!
                export NGINX_PORT=$port NGINX_URL="http://127.0.0.1:$port" NGINX_LOG="$_nginx_prefix/access.log"
                return 0
            fi
            sleep 0.05
        done
        wait "$_nginx_pid" 2>/dev/null || true
        _nginx_pid=''
        grep -q "bind() to .* failed" "$_nginx_prefix/error.log" 2>/dev/null && continue
        break
    done
    echo "nginx_start: nginx did not start:" >&2
    cat "$_nginx_prefix/stdout.log" "$_nginx_prefix/error.log" >&2 2>/dev/null
    nginx_stop
    return 1
}

nginx_stop() {
    if [ -n "$_nginx_watch" ]; then
        kill -TERM "$_nginx_watch" 2>/dev/null || true
        wait "$_nginx_watch" 2>/dev/null || true
    fi
    if [ -n "$_nginx_pid" ]; then
        kill -TERM "$_nginx_pid" 2>/dev/null || true   # fast shutdown; workers go with the master
        local _
        for _ in $(seq 1 50); do
            kill -0 "$_nginx_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$_nginx_pid" 2>/dev/null; then
            pkill -KILL -P "$_nginx_pid" 2>/dev/null || true   # its workers, by parent id
            kill -KILL "$_nginx_pid" 2>/dev/null || true
        fi
        wait "$_nginx_pid" 2>/dev/null || true
    fi
    [ -n "$_nginx_prefix" ] && rm -rf "$_nginx_prefix"
    _nginx_pid='' _nginx_watch='' _nginx_prefix=''
    unset NGINX_PORT NGINX_URL NGINX_LOG
    return 0
}

# faultd_start DIR [args]: serves DIR with faultd on a port it picks itself.
faultd_start() {
    local root=$1 _ scheme=http
    shift
    faultd_stop
    case " $* " in *" --tls "*) scheme=https ;; esac
    _faultd_dir=$(mktemp -d /tmp/ip-faultd-XXXXXX) || return 1
    "$(_lib_python)" "$_lib_nginx_dir/../tools/faultd.py" --root "$root" \
        --port-file "$_faultd_dir/port" --control "$_faultd_dir/control" --log "$_faultd_dir/access.log" "$@" \
        >"$_faultd_dir/stdout.log" 2>&1 </dev/null &
    _faultd_pid=$!
    for _ in $(seq 1 200); do
        if [ -s "$_faultd_dir/port" ]; then
            export FAULTD_PORT FAULTD_URL FAULTD_LOG="$_faultd_dir/access.log" FAULTD_CONTROL="$_faultd_dir/control"
            FAULTD_PORT=$(cat "$_faultd_dir/port")
            FAULTD_URL="$scheme://127.0.0.1:$FAULTD_PORT"
            touch "$FAULTD_LOG"
            return 0
        fi
        kill -0 "$_faultd_pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "faultd_start: faultd did not start:" >&2
    cat "$_faultd_dir/stdout.log" >&2
    faultd_stop
    return 1
}

# faultd_mode SPEC...: the fault list from the next request on.
faultd_mode() {
    [ -n "$_faultd_dir" ] || { echo "faultd_mode: faultd is not running" >&2; return 1; }
    printf '%s\n' "$*" > "$_faultd_dir/control.tmp" && mv -f "$_faultd_dir/control.tmp" "$_faultd_dir/control"
}

faultd_stop() {
    if [ -n "$_faultd_pid" ]; then
        kill -TERM "$_faultd_pid" 2>/dev/null || true
        local _
        for _ in $(seq 1 50); do
            kill -0 "$_faultd_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$_faultd_pid" 2>/dev/null || true
        wait "$_faultd_pid" 2>/dev/null || true
    fi
    [ -n "$_faultd_dir" ] && rm -rf "$_faultd_dir"
    _faultd_pid='' _faultd_dir=''
    unset FAULTD_PORT FAULTD_URL FAULTD_LOG FAULTD_CONTROL
    return 0
}

# wait_log_lines FILE N: waits up to 5 s until FILE has at least N lines.
wait_log_lines() {
    local _
    for _ in $(seq 1 100); do
        [ "$(wc -l < "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
        sleep 0.05
    done
    return 1
}

# Run as a script (ctest runs every tests/cli/*.sh), this file tests itself.
_lib_nginx_self_test() {
    local pass=0 fails=0 out npid fpid
    _self_tmp=$(mktemp -d)
    local tmp=$_self_tmp
    trap 'nginx_stop; faultd_stop; rm -rf "$_self_tmp"' EXIT
    ok() { pass=$((pass + 1)); }
    bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
    get() {   # URL [RANGE]: prints "STATUS BODY_LENGTH ETAG"
        "$(_lib_python)" - "$@" <<'PY'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1])
if len(sys.argv) > 2:
    req.add_header("Range", sys.argv[2])
try:
    with urllib.request.urlopen(req, timeout=10) as r:
        print(r.status, len(r.read()), r.headers.get("ETag"))
except urllib.error.HTTPError as e:
    print(e.code, 0, None)
PY
    }
    mkdir -p "$tmp/www/objects"
    head -c 10000 /dev/urandom > "$tmp/www/objects/a"

    nginx_start "$tmp/www" && ok || bad "nginx_start"
    npid=$_nginx_pid
    out=$(get "$NGINX_URL/objects/a")
    [[ $out == "200 10000 \""* ]] && ok || bad "nginx GET: $out"
    out=$(get "$NGINX_URL/objects/a" "bytes=4000-")
    [[ $out == "206 6000 "* ]] && ok || bad "nginx range: $out"
    wait_log_lines "$NGINX_LOG" 2 && ok || bad "nginx log lines"
    out=$(tail -1 "$NGINX_LOG")
    [[ $out == "GET /objects/a HTTP/1.1 206 "*" bytes=4000-" ]] && ok || bad "nginx log line: $out"

    faultd_start "$tmp/www" --fault "status:503:1@/objects/*" && ok || bad "faultd_start"
    fpid=$_faultd_pid
    out=$(get "$FAULTD_URL/objects/a")
    [[ $out == "503 "* ]] && ok || bad "faultd status:503:1: $out"
    out=$(get "$FAULTD_URL/objects/a" "bytes=4000-")
    [[ $out == "206 6000 "* ]] && ok || bad "faultd after the 503: $out"
    faultd_mode "cut:100@/objects/*"
    out=$(get "$FAULTD_URL/objects/a" 2>&1)
    [[ $out == *IncompleteRead* ]] && ok || bad "faultd cut: $out"
    wait_log_lines "$FAULTD_LOG" 3 && ok || bad "faultd log lines"
    out=$(tail -1 "$FAULTD_LOG")
    [[ $out == "GET /objects/a 200 100 - cut:100@/objects/* "* ]] && ok || bad "faultd log line: $out"

    nginx_stop
    faultd_stop
    nginx_stop   # again: a no-op
    ! kill -0 "$npid" 2>/dev/null && ! kill -0 "$fpid" 2>/dev/null && ok || bad "a server is still running"
    [ -z "${NGINX_URL:-}${FAULTD_URL:-}" ] && ok || bad "URLs still exported"
    echo "$pass passed, $fails failed"
    [ "$fails" -eq 0 ]
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -u
    _lib_nginx_self_test
fi
