#!/usr/bin/env python3
"""faultd — a fault-injecting HTTP/1.1 server for the sync tests.

Serves a directory read-only on 127.0.0.1 (GET and HEAD, one byte range per
request, ETag and If-None-Match) and misbehaves on demand, for what nginx
will not do: cut bodies, silence, a 1 byte/s drip, endless or oversize
bodies, lying Content-Length, ignored ranges, error statuses, redirects.

    faultd.py --root DIR [--port-file F] [--control F] [--fault SPEC...]
              [--log F] [--tls CERT KEY]

A fault list is one or more specs separated by white space; the first spec
whose @glob matches the request path (fnmatch, '*' crosses '/') applies,
and a path no spec matches is served normally:

    ok                  behave
    status:CODE[:N]     answer CODE for the next N matching requests
                        (default: all of them), then fall through
    cut:N               true headers, N body bytes, close
    silence             headers, then nothing until the client goes away
    drip                the body at 1 byte per second
    endless             200, chunked, junk until the client goes away
    lie-length:N        announce Content-Length N, send the whole body, close
    oversize:N          no Content-Length, the body plus N junk bytes, close
    norange             ignore Range: always 200 with the whole file
    redirect:PREFIX     302 to PREFIX + the request path

e.g. "cut:100@/objects/* status:503:2@/timestamp.txt". The control file,
when it exists and is not empty, replaces --fault; it is read again on every
request, so a test switches faults without a restart (write it atomically).
Counters (status:CODE:N) restart whenever the fault list changes.

The log gets one line per request when its response ends:
    METHOD PATH STATUS BODY_BYTES RANGE FAULT CLIENT_PORT
(RANGE and FAULT are "-" when absent; CLIENT_PORT tells connections apart).
The port is written to the port file once the server listens. SIGTERM or
SIGINT stop it; it also exits when its parent process goes away.
Python 3 standard library only.
"""

import argparse
import email.utils
import fnmatch
import hashlib
import os
import select
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JUNK = b"junk" * 4096                 # 16 KiB of filler for endless/oversize
ENDLESS_LIMIT = 4 << 30               # an endless body stops somewhere anyway
SILENCE_LIMIT = 600                   # seconds a silent response waits at most
IDLE_TIMEOUT = 60                     # seconds a keep-alive connection may idle


class Fault:
    """One parsed spec: kind, its argument, an optional path glob."""

    KINDS_NO_ARG = ("ok", "silence", "drip", "endless", "norange")
    KINDS_INT = ("cut", "lie-length", "oversize")

    def __init__(self, text):
        self.text = text
        self.glob = None
        at = text.rfind("@")
        if at >= 0 and text[at + 1:].startswith("/"):
            text, self.glob = text[:at], text[at + 1:]
        self.kind, _, arg = text.partition(":")
        self.n = None        # cut / lie-length / oversize byte count
        self.code = None     # status code
        self.left = None     # status: matching requests still to fail, None = all
        self.prefix = None   # redirect target prefix
        if self.kind in self.KINDS_NO_ARG:
            if arg:
                raise ValueError(f"{self.kind} takes no argument: {self.text}")
        elif self.kind in self.KINDS_INT:
            self.n = self._count(arg)
        elif self.kind == "status":
            code, _, count = arg.partition(":")
            self.code = self._count(code)
            if not 100 <= self.code <= 599:
                raise ValueError(f"bad status code: {self.text}")
            if count:
                self.left = self._count(count)
        elif self.kind == "redirect":
            if not arg:
                raise ValueError(f"redirect needs a URL prefix: {self.text}")
            self.prefix = arg.rstrip("/")
        else:
            raise ValueError(f"unknown fault: {self.text}")

    def _count(self, s):
        if not s.isdigit():
            raise ValueError(f"bad number {s!r} in {self.text}")
        return int(s)

    def matches(self, path):
        return self.glob is None or fnmatch.fnmatchcase(path, self.glob)


class Faults:
    """The fault list in force: --fault, or the control file when present."""

    def __init__(self, default_text, control):
        self.default_text = default_text
        self.control = control
        self.lock = threading.Lock()
        self.text = None
        self.specs = []
        self.error = None
        self._load(default_text)
        if self.error:
            raise ValueError(self.error)

    def _load(self, text):
        self.text = text
        try:
            self.specs = [Fault(t) for t in text.split()]
            self.error = None
        except ValueError as e:
            self.specs, self.error = [], str(e)

    def _current_text(self):
        if self.control:
            try:
                with open(self.control, encoding="utf-8") as f:
                    text = f.read()
                if text.strip():
                    return text
            except FileNotFoundError:
                pass
        return self.default_text

    def choose(self, path):
        """The spec for this request (None: behave); ValueError on a bad list."""
        with self.lock:
            text = self._current_text()
            if text != self.text:
                self._load(text)
            if self.error:
                raise ValueError(self.error)
            for f in self.specs:
                if not f.matches(path):
                    continue
                if f.left is not None:
                    if f.left == 0:
                        continue
                    f.left -= 1
                return None if f.kind == "ok" else f
            return None


def parse_range(value, size):
    """(start, end) for one "bytes=" range, "unsatisfiable", or None to
    ignore the header (malformed or several ranges, as RFC 9110 allows)."""
    unit, _, spec = value.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    first, last = first.strip(), last.strip()
    if first == "":
        if not last.isdigit():
            return None
        n = int(last)
        if n == 0:
            return "unsatisfiable"
        return (max(0, size - n), size)
    if not first.isdigit() or (last and not last.isdigit()):
        return None
    start = int(first)
    end = size if last == "" else min(size, int(last) + 1)
    if last and int(last) < start:
        return None
    if start >= size:
        return "unsatisfiable"
    return (start, end)


def etag_matches(header, etag):
    if header.strip() == "*":
        return True
    bare = etag[2:] if etag.startswith("W/") else etag
    for t in header.split(","):
        t = t.strip()
        if t.startswith("W/"):
            t = t[2:]
        if t == bare:
            return True
    return False


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, root, faults, log):
        super().__init__(addr, Handler)
        self.root = os.path.realpath(root)
        self.faults = faults
        self.logf = log
        self.log_lock = threading.Lock()
        self.etags = {}
        self.etag_lock = threading.Lock()
        self.stopping = threading.Event()

    def handle_error(self, request, client_address):
        # A client that drops the connection (or fails the TLS handshake on
        # purpose) is what these tests do all day: one line, no traceback.
        e = sys.exc_info()[1]
        if not isinstance(e, (ConnectionError, ssl.SSLError, socket.timeout, OSError)):
            super().handle_error(request, client_address)

    def lookup(self, urlpath):
        """(real path, size, mtime, ETag) of a regular file under root, or None."""
        rel = urllib.parse.unquote(urlpath).lstrip("/")
        if "\0" in rel:
            return None
        real = os.path.realpath(os.path.join(self.root, rel))
        if real != self.root and not real.startswith(self.root + os.sep):
            return None
        try:
            st = os.stat(real)
        except OSError:
            return None
        if not os.path.isfile(real):
            return None
        key = (real, st.st_ino, st.st_size, st.st_mtime_ns)
        with self.etag_lock:
            etag = self.etags.get(key)
        if etag is None:
            h = hashlib.sha256()
            with open(real, "rb") as f:
                for block in iter(lambda: f.read(1 << 16), b""):
                    h.update(block)
            etag = '"' + h.hexdigest()[:32] + '"'
            with self.etag_lock:
                self.etags[key] = etag
        return real, st.st_size, st.st_mtime, etag

    def log(self, line):
        if self.logf:
            with self.log_lock:
                self.logf.write(line + "\n")
                self.logf.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faultd/1"
    timeout = IDLE_TIMEOUT

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
        super().setup()

    def log_message(self, format, *args):
        pass

    def send_response(self, code, message=None):
        self.status = code
        super().send_response(code, message)

    def do_GET(self):
        self.serve(with_body=True)

    def do_HEAD(self):
        self.serve(with_body=False)

    # --- one request -------------------------------------------------------

    def serve(self, with_body):
        self.status, self.sent, fault = 0, 0, None
        path = urllib.parse.urlsplit(self.path).path
        try:
            try:
                fault = self.server.faults.choose(path)
            except ValueError as e:
                self.simple(500, f"faultd: {e}\n", with_body)
                return
            self.respond(fault, path, with_body)
        except (ConnectionError, ssl.SSLError, socket.timeout, OSError):
            self.close_connection = True
        finally:
            rng = self.headers.get("Range")
            self.server.log(" ".join([
                self.command, self.path, str(self.status), str(self.sent),
                rng.replace(" ", "") if rng else "-",
                fault.text if fault else "-",
                str(self.client_address[1])]))

    def out(self, data):
        self.wfile.write(data)
        self.sent += len(data)

    def simple(self, code, text, with_body, headers=()):
        body = text.encode() if text else b""
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if code != 304:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body and body:
            self.out(body)

    def respond(self, fault, path, with_body):
        kind = fault.kind if fault else "ok"
        if kind == "status":
            self.simple(fault.code, f"{fault.code} (faultd)\n", with_body)
            return
        if kind == "redirect":
            self.simple(302, "moved\n", with_body, [("Location", fault.prefix + self.path)])
            return
        found = self.server.lookup(path)
        if found is None:
            self.simple(404, "not found\n", with_body)
            return
        real, size, mtime, etag = found
        inm = self.headers.get("If-None-Match")
        if inm is not None and etag_matches(inm, etag):
            self.simple(304, None, with_body, [("ETag", etag)])
            return
        start, end, code = 0, size, 200
        rng = self.headers.get("Range")
        if rng is not None and kind not in ("norange", "endless"):
            r = parse_range(rng, size)
            if r == "unsatisfiable":
                self.simple(416, "range not satisfiable\n", with_body,
                            [("Content-Range", f"bytes */{size}")])
                return
            if r is not None:
                start, end = r
                code = 206
        self.send_response(code)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        self.send_header("Accept-Ranges", "bytes")
        if code == 206:
            self.send_header("Content-Range", f"bytes {start}-{end - 1}/{size}")
        if kind == "endless":
            self.send_header("Transfer-Encoding", "chunked")
        elif kind == "oversize":
            self.send_header("Connection", "close")
        elif kind == "lie-length":
            self.send_header("Content-Length", str(fault.n))
        else:
            self.send_header("Content-Length", str(end - start))
        self.end_headers()
        if not with_body:
            return
        if kind == "endless":
            self.send_endless()
        elif kind == "silence":
            self.close_connection = True
            self.wait_until_gone()
        elif kind == "drip":
            self.send_file(real, start, end, drip=True)
        elif kind == "cut":
            self.close_connection = True
            self.send_file(real, start, min(end, start + fault.n))
        elif kind == "oversize":
            self.send_file(real, start, end)
            left = fault.n
            while left > 0:
                self.out(JUNK[:min(left, len(JUNK))])
                left -= min(left, len(JUNK))
        else:
            if kind == "lie-length":
                self.close_connection = True
            self.send_file(real, start, end)

    def send_file(self, real, start, end, drip=False):
        with open(real, "rb") as f:
            f.seek(start)
            left = end - start
            while left > 0 and not self.server.stopping.is_set():
                block = f.read(1 if drip else min(left, 1 << 16))
                if not block:
                    break
                self.out(block)
                left -= len(block)
                if drip and left > 0:
                    self.server.stopping.wait(1.0)

    def send_endless(self):
        chunk = b"%x\r\n" % len(JUNK) + JUNK + b"\r\n"
        while self.sent < ENDLESS_LIMIT and not self.server.stopping.is_set():
            self.out(chunk)
        self.close_connection = True

    def wait_until_gone(self):
        sock = self.connection
        deadline = time.monotonic() + SILENCE_LIMIT
        while time.monotonic() < deadline and not self.server.stopping.is_set():
            readable, _, _ = select.select([sock], [], [], 0.5)
            if not readable:
                continue
            try:
                if not sock.recv(4096):
                    return
            except ssl.SSLWantReadError:
                continue
            except OSError:
                return


def write_atomic(path, text):
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def watch_parent(server):
    parent = os.getppid()
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            server.stopping.set()
            os._exit(0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True, help="directory to serve")
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0: any free port")
    ap.add_argument("--port-file", help="written with the port once listening")
    ap.add_argument("--control", help="fault list file, re-read on every request")
    ap.add_argument("--fault", action="append", default=[], help="fault spec (repeatable)")
    ap.add_argument("--log", help="request log, appended")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS")
    ap.add_argument("--stay", action="store_true", help="keep running when the parent exits")
    args = ap.parse_args()

    if not os.path.isdir(args.root):
        ap.error(f"not a directory: {args.root}")
    try:
        faults = Faults(" ".join(args.fault), args.control)
    except ValueError as e:
        ap.error(str(e))
    log = open(args.log, "a", encoding="utf-8") if args.log else None
    server = Server((args.bind, args.port), args.root, faults, log)
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        ctx.set_alpn_protocols(["http/1.1"])
        # The handshake runs in the connection's thread (Handler.setup), so a
        # client that never completes it does not block accept().
        server.socket = ctx.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)

    def stop(signum, frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if not args.stay:
        threading.Thread(target=watch_parent, args=(server,), daemon=True).start()
    if args.port_file:
        write_atomic(args.port_file, f"{server.server_address[1]}\n")
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.stopping.set()
        server.server_close()


if __name__ == "__main__":
    main()
