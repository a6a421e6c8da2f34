# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""The CDN edge: serves, by SNI, the certificate bound to each CDN domain."""

import hashlib
import os
import socketserver
import ssl
import sys
import tempfile

from .tls import TLSThreadingServer, server_context

MAX_REQUEST_HEAD = 8192
READ_TIMEOUT = 5.0


class EdgeContexts:
    """One server SSLContext per uploaded certificate, built on first use.

    Keyed by a digest of the PEMs, not the id: a lab reset reuses ids.
    """

    def __init__(self, lab, work_dir):
        self.lab = lab
        self.work_dir = work_dir
        self.cache = {}

    def for_server_name(self, server_name):
        with self.lab.lock:
            cert = self.lab.store.bound_certificate(server_name)
            if cert is None:
                return None
            chain_pem, key_pem = cert.upload.chain_pem, cert.upload.key_pem
            cache_key = hashlib.sha256(f"{chain_pem}\0{key_pem}".encode("ascii")).hexdigest()
            if cache_key not in self.cache:
                self.cache[cache_key] = self._build(cache_key, chain_pem, key_pem)
            return self.cache[cache_key]

    def _build(self, name, chain_pem, key_pem):
        # ssl only loads certificates and keys from files; they live just long enough.
        cert_file = os.path.join(self.work_dir, f"{name}.crt")
        key_file = os.path.join(self.work_dir, f"{name}.key")
        try:
            _write_private(cert_file, chain_pem)
            _write_private(key_file, key_pem)
            return server_context(cert_file, key_file)
        finally:
            for path in (cert_file, key_file):
                if os.path.exists(path):
                    os.unlink(path)


def _write_private(path, text):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)


def sni_selector(contexts):
    """An SNI callback that switches to the bound certificate or aborts."""

    def select(tls_socket, server_name, _default_context):
        context = contexts.for_server_name(server_name) if server_name else None
        if context is None:
            print(f"edge: no certificate bound for SNI name {server_name!r}", file=sys.stderr)
            return ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME
        tls_socket.context = context
        tls_socket.lab_server_name = server_name
        return None

    return select


class EdgeHandler(socketserver.BaseRequestHandler):
    """Reads one request head, answers a short 200 naming the domain, closes."""

    def handle(self):
        self.request.settimeout(READ_TIMEOUT)
        try:
            _read_request_head(self.request)
            server_name = getattr(self.request, "lab_server_name", "")
            body = f"served by the lab CDN edge for {server_name}\n".encode("ascii")
            head = (
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            ).encode("ascii")
            self.request.sendall(head + body)
        except (OSError, ssl.SSLError):
            pass  # the client went away; nothing to answer


def _read_request_head(connection):
    received = b""
    while b"\r\n\r\n" not in received and len(received) < MAX_REQUEST_HEAD:
        chunk = connection.recv(4096)
        if not chunk:
            break
        received += chunk
    return received


def make_edge_server(address, lab):
    """The edge server and the temporary directory it keeps key files in."""
    work_dir = tempfile.mkdtemp(prefix="dogecloud-edge-")
    context = server_context()
    context.sni_callback = sni_selector(EdgeContexts(lab, work_dir))
    return TLSThreadingServer(address, EdgeHandler, context), work_dir
