# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""An ARI-capable CA for the lab: a thin HTTPS stand-in in front of Pebble.

Pebble 2.4.0 has no ACME Renewal Information (RFC 9773). This stand-in passes
every ACME request on to one Pebble instance unchanged (the JWS is not
touched; the ``Host`` header is kept, so Pebble signs its URLs and checks the
JWS ``url`` for this address) and adds:

* ``renewalInfo`` in the directory, and ``GET <renewalInfo>/<cert-id>``
  answering a ``suggestedWindow`` set through the control API: ``future``
  (the default: starts in 30 days) or ``open`` (started an hour ago). Only
  identifiers of certificates this stand-in has handed out are known; others
  get 404, as at a real CA. A malformed identifier gets 400.
* a record of every newOrder payload that Pebble accepted (identifiers,
  ``replaces``); a ``replaces`` naming an unknown certificate is refused with
  ``malformed`` before Pebble sees it, as a real CA refuses it.
* a ``stuck`` switch (off by default): a CA that leaves a failed validation
  pending. Answers of Pebble that say ``invalid`` for an order, authorization
  or challenge are rewritten to ``pending`` and their ``error`` removed. The
  real status Pebble gave each authorization is recorded.

Control API (HTTPS, same port, under ``/_lab/``): ``GET /_lab/health``,
``GET /_lab/state`` (window, stuck, orders, certificates, authorizations),
``POST /_lab/config`` with ``{"window": "open"|"future", "stuck": bool}``,
``POST /_lab/reset``.

Usage: python tests/lab/ari_proxy.py --config STATE/ari.json
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import re
import signal
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from cryptography import x509

RENEWAL_INFO_PATH = "/renewal-info"
CONTROL_PREFIX = "/_lab/"
MAX_BODY = 1024 * 1024
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "server", "date"}
ARI_ID = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
PROBLEM = "urn:ietf:params:acme:error:"


def log_line(message):
    print("%s ari-proxy %s" % (time.strftime("%H:%M:%S"), message), flush=True)


def _b64url(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def ari_id(leaf):
    """RFC 9773 4.1: base64url(AKI keyIdentifier) '.' base64url(serial DER content octets)."""
    aki = leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    serial = leaf.serial_number
    return "%s.%s" % (_b64url(aki), _b64url(serial.to_bytes((serial.bit_length() + 8) // 8, "big", signed=True)))


def jws_payload(body):
    """The decoded JSON payload of a flattened JWS request (``None`` for POST-as-GET or anything else)."""
    try:
        data = json.loads(body)["payload"]
        if not data:
            return None
        return json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    except (ValueError, KeyError, TypeError):
        return None


def hide_failure(document):
    """``invalid`` → ``pending`` and no ``error``, in an order, authorization or challenge (and its challenges)."""
    if not isinstance(document, dict):
        return document
    if document.get("status") == "invalid":
        document["status"] = "pending"
    document.pop("error", None)
    for challenge in document.get("challenges") or ():
        hide_failure(challenge)
    return document


class AriLab:
    def __init__(self, config):
        self.config = config
        self.upstream = config["upstream"].rstrip("/")
        self.public = "https://%s:%d" % (config["listen"], config["port"])
        self.session = requests.Session()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.reset()

    def reset(self):
        with self.lock:
            self.window = "future"
            self.stuck = False
            self.orders = []            # newOrder payloads Pebble accepted: {identifiers, replaces}
            self.refused_orders = []    # newOrder payloads refused here (unknown replaces)
            self.certificates = {}      # ARI id -> {serial, sans}
            self.ari_reads = []         # ARI ids asked for
            self.authorizations = {}    # URL -> status as Pebble last gave it
            self.deactivations = []     # URLs of deactivation requests with Pebble's answer status
            self.new_order_url = None

    def state(self):
        with self.lock:
            return dict(window=self.window, stuck=self.stuck, orders=list(self.orders),
                        refused_orders=list(self.refused_orders),
                        certificates=dict(self.certificates), ari_reads=list(self.ari_reads),
                        authorizations=dict(self.authorizations), deactivations=list(self.deactivations))

    # -- dispatch -----------------------------------------------------------
    def handle(self, method, path, headers, body):
        """``(status, headers, body bytes)`` for one request."""
        if path.startswith(CONTROL_PREFIX):
            return self.control(method, path[len(CONTROL_PREFIX):], body)
        if path.startswith(RENEWAL_INFO_PATH + "/") and method == "GET":
            return self.renewal_info(path[len(RENEWAL_INFO_PATH) + 1:])
        if method == "POST" and self.new_order_url and path == self.new_order_url:
            record, refusal = self.check_new_order(body)
            if refusal:
                return refusal
            answer = self.forward(method, path, headers, body)
            if answer[0] == 201:  # not a refused one (a rejected nonce, a rate limit): the client resends those
                with self.lock:
                    self.orders.append(record)
            return answer
        return self.forward(method, path, headers, body)

    def control(self, method, name, body):
        if name == "health" and method == "GET":
            return _json(200, {"ok": True})
        if name == "state" and method == "GET":
            return _json(200, self.state())
        if name == "reset" and method == "POST":
            self.reset()
            return _json(200, {"ok": True})
        if name == "config" and method == "POST":
            try:
                settings = json.loads(body or b"{}")
            except ValueError:
                return _json(400, {"error": "body is not JSON"})
            with self.lock:
                if settings.get("window") not in (None, "open", "future"):
                    return _json(400, {"error": "window must be open or future"})
                self.window = settings.get("window") or self.window
                if "stuck" in settings:
                    self.stuck = bool(settings["stuck"])
            return _json(200, self.state())
        return _json(404, {"error": "unknown control endpoint"})

    def renewal_info(self, cert_id):
        if not ARI_ID.match(cert_id):
            return _problem(400, "malformed", "%r is not a certificate identifier" % cert_id)
        with self.lock:
            known = cert_id in self.certificates
            self.ari_reads.append(cert_id)
            window = self.window
        if not known:
            return _problem(404, "malformed", "no certificate with identifier %s" % cert_id)
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        if window == "open":
            start, end = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=1)
        else:
            start, end = now + datetime.timedelta(days=30), now + datetime.timedelta(days=32)
        body = {"suggestedWindow": {"start": _iso(start), "end": _iso(end)},
                "explanationURL": self.public + "/_lab/state"}
        status, headers, payload = _json(200, body)
        headers["Retry-After"] = "21600"
        return status, headers, payload

    def check_new_order(self, body):
        payload = jws_payload(body) or {}
        replaces = payload.get("replaces")
        record = dict(identifiers=sorted(i.get("value") for i in payload.get("identifiers") or ()),
                      replaces=replaces)
        with self.lock:
            known = replaces in self.certificates
            if replaces is not None and not known:
                self.refused_orders.append(record)
                return record, _problem(400, "malformed", "replaces: no certificate with identifier %s" % replaces)
        return record, None

    # -- proxy ---------------------------------------------------------------
    def forward(self, method, path, headers, body):
        send = {name: value for name, value in headers.items() if name.lower() not in HOP_HEADERS}
        answer = self.session.request(method, self.upstream + path, data=body or None, headers=send,
                                      verify=self.config["ca_path"], timeout=30, allow_redirects=False)
        out = {name: value for name, value in answer.headers.items() if name.lower() not in HOP_HEADERS}
        content = answer.content
        kind = answer.headers.get("Content-Type", "")
        if kind.startswith("application/json") and content:
            content = self.observe_json(method, path, body, content)
        elif kind.startswith("application/pem-certificate-chain"):
            self.observe_certificate(content)
        return answer.status_code, out, content

    def observe_json(self, method, path, request_body, content):
        try:
            document = json.loads(content)
        except ValueError:
            return content
        if path == "/dir" or (isinstance(document, dict) and "newOrder" in document):
            with self.lock:
                self.new_order_url = _path_of(document.get("newOrder"))
            document["renewalInfo"] = self.public + RENEWAL_INFO_PATH
            return json.dumps(document).encode("utf-8")
        if isinstance(document, dict) and "identifier" in document and "challenges" in document:
            url = self.public + path
            with self.lock:
                self.authorizations[url] = document.get("status")
                if method == "POST" and (jws_payload(request_body) or {}).get("status") == "deactivated":
                    self.deactivations.append(dict(authorization=url, status=document.get("status")))
        with self.lock:
            stuck = self.stuck
        if stuck and isinstance(document, dict):
            return json.dumps(hide_failure(document)).encode("utf-8")
        return content

    def observe_certificate(self, content):
        try:
            leaf = x509.load_pem_x509_certificates(content)[0]
            identifier = ari_id(leaf)
        except (ValueError, IndexError, x509.ExtensionNotFound):
            return
        sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
            x509.DNSName)
        with self.lock:
            self.certificates[identifier] = dict(serial="%x" % leaf.serial_number, sans=sorted(sans))


def _path_of(url):
    if not url:
        return None
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _json(status, document):
    return status, {"Content-Type": "application/json"}, json.dumps(document).encode("utf-8")


def _problem(status, kind, detail):
    return status, {"Content-Type": "application/problem+json"}, json.dumps(
        {"type": PROBLEM + kind, "detail": detail, "status": status}).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ari-proxy"
    sys_version = ""
    timeout = 60

    def _dispatch(self):
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 <= length <= MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length)
        try:
            status, headers, payload = self.server.lab.handle(self.command, self.path, dict(self.headers.items()),
                                                              body)
        except requests.RequestException as exc:
            status, headers, payload = _problem(502, "serverInternal", "Pebble did not answer: %s" % exc)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_HEAD = _dispatch

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        log_line("%s - %s" % (self.address_string(), format % args))


class HTTPSServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, lab, cert_file, key_file):
        self.lab = lab
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.minimum_version = ssl.TLSVersion.TLSv1_2
        self.tls.load_cert_chain(cert_file, key_file)
        super().__init__((lab.config["listen"], lab.config["port"]), _Handler)

    def finish_request(self, request, client_address):
        request.settimeout(10)
        try:
            connection = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as error:
            log_line("%s - TLS handshake failed: %s" % (client_address[0], error))
            return
        with connection:
            self.RequestHandlerClass(connection, client_address, self)


def main(argv=None):
    parser = argparse.ArgumentParser(description="ARI stand-in in front of Pebble for the certops.acme lab")
    parser.add_argument("--config", required=True, help="path of ari.json")
    args = parser.parse_args(argv)
    with open(args.config) as handle:
        config = json.load(handle)
    lab = AriLab(config)
    server = HTTPSServer(lab, config["tls_cert"], config["tls_key"])
    thread = threading.Thread(target=server.serve_forever, args=(0.2,), daemon=True)
    thread.start()
    log_line("on %s, in front of %s" % (lab.public, lab.upstream))

    def stop(signum, _frame):
        log_line("signal %d: stopping" % signum)
        lab.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not lab.stopping.wait(0.2):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
