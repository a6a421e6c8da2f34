# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""A threaded HTTPS server that turns HTTP exchanges into Request/Response values."""

import json
import socket
import ssl
import struct
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .errors import error_body
from .exchange import RESET, STALL, Request, Response

MAX_BODY = 1024 * 1024
HANDSHAKE_TIMEOUT = 10.0
IDLE_TIMEOUT = 60.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gandi-emulator"
    sys_version = ""
    timeout = IDLE_TIMEOUT

    def _dispatch(self):
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 <= length <= MAX_BODY:
            self._send(Response(413, error_body(413, "Request body too large")))
            self.close_connection = True
            return
        body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        response = self.server.lab.handle(Request(self.command, self.path, headers, body))
        if response.action == STALL:
            self.server.lab.stopping.wait(response.stall_seconds)
            self.close_connection = True
        elif response.action == RESET:
            self._reset_connection()
        else:
            self._send(response)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

    def _send(self, response):
        payload = b"" if response.body is None else json.dumps(response.body).encode("utf-8")
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _reset_connection(self):
        # SO_LINGER with a zero timeout makes close() send a TCP RST.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        self.server.log_line("%s - %s" % (self.address_string(), format % args))


class HTTPSServer(ThreadingHTTPServer):
    """Serves `lab.handle`; the TLS handshake happens in the connection's own thread."""

    daemon_threads = True

    def __init__(self, address, lab, cert_file, key_file, log_line):
        self.lab = lab
        self.log_line = log_line
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.minimum_version = ssl.TLSVersion.TLSv1_2
        self.tls.load_cert_chain(cert_file, key_file)
        super().__init__(address, _Handler)

    def finish_request(self, request, client_address):
        request.settimeout(HANDSHAKE_TIMEOUT)
        try:
            connection = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as error:
            self.log_line("%s - TLS handshake failed: %s" % (client_address[0], error))
            return
        with connection:
            self.RequestHandlerClass(connection, client_address, self)
