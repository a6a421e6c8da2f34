# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""A threaded TCP server that does each TLS handshake in the request's thread."""

import socketserver
import ssl
import sys

HANDSHAKE_TIMEOUT = 10.0


def server_context(cert_file=None, key_file=None):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if cert_file:
        context.load_cert_chain(cert_file, key_file)
    return context


class TLSThreadingServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Accepts plain TCP and wraps it in TLS in the handler thread.

    Wrapping the listening socket instead would run handshakes in the accept
    loop, where one slow client blocks every other one.
    """

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address, handler_class, tls_context, **attributes):
        self.tls_context = tls_context
        for name, value in attributes.items():
            setattr(self, name, value)
        super().__init__(address, handler_class)

    def finish_request(self, request, client_address):
        request.settimeout(HANDSHAKE_TIMEOUT)
        try:
            tls_socket = self.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            print(f"TLS handshake with {client_address[0]} failed: {exc}", file=sys.stderr)
            return
        try:
            super().finish_request(tls_socket, client_address)
        finally:
            tls_socket.close()
