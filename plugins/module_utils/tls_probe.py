# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A read-only TLS probe: connect to an endpoint with SNI, read the certificate
it serves, and optionally wait (with a deadline) until it serves an expected one.

No Ansible import here: ``plugins/modules/tls_endpoint_info.py`` is the thin
module around it.
"""

from __future__ import annotations

import re
import socket
import ssl
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.address import join_host_port, split_host_port
from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError, TimeoutExpired
from ansible_collections.certops.acme.plugins.module_utils.pem import certificate_facts, load_der_certificate
from ansible_collections.certops.acme.plugins.module_utils.polling import Poll

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock

DEFAULT_PORT = 443
_HEX_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


class ProbeFailure(CertopsError):
    """One handshake attempt failed (refused, reset, timed out, or not trusted)."""


def parse_address(address: str | None, default_port: int = DEFAULT_PORT) -> tuple[str, int]:
    """``host``, ``host:port`` or ``[v6]:port`` to ``(host, port)``."""
    return split_host_port(address, default_port, "address")


def normalise_fingerprint(value: str | None, option: str = "expected_fingerprint") -> str:
    """A SHA-256 fingerprint as 64 lower-case hex digits (colons and spaces dropped)."""
    compact = re.sub(r"[\s:]", "", value or "").lower()
    if not _HEX_FINGERPRINT.match(compact):
        raise InvalidInputError(option, "expected a SHA-256 fingerprint: 64 hex digits, colons allowed")
    return compact


def client_context(validate_certs: bool, ca_path: str | None = None) -> ssl.SSLContext:
    """A client context that verifies chain and host name unless told not to."""
    if not validate_certs:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    try:
        return ssl.create_default_context(cafile=ca_path)
    except (OSError, ssl.SSLError) as exc:
        raise InvalidInputError("ca_path", "cannot load CA certificates from %s: %s" % (ca_path, exc)) from None


def fetch_certificate(server_name: str, host: str, port: int, context: ssl.SSLContext, timeout: float) -> bytes:
    """DER bytes of the leaf certificate served for ``server_name`` at ``host:port``."""
    where = join_host_port(host, port)
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=server_name) as tls:
                der = tls.getpeercert(binary_form=True)
    except ssl.SSLCertVerificationError as exc:
        raise ProbeFailure("the certificate served at %s for %s is not trusted: %s" % (where, server_name, exc.verify_message),
                           address=where, server_name=server_name) from None
    except (OSError, ssl.SSLError) as exc:
        raise ProbeFailure("TLS handshake with %s for %s failed: %s" % (where, server_name, exc),
                           address=where, server_name=server_name) from None
    if not der:
        raise ProbeFailure("%s sent no certificate for %s" % (where, server_name), address=where, server_name=server_name)
    return der


class TlsProbe:
    """Handshakes with one endpoint; ``fetch`` and ``clock`` are injectable for tests."""

    def __init__(self, server_name: str, host: str, port: int, context: ssl.SSLContext, timeout: float,
                 fetch: Callable[[str, str, int, ssl.SSLContext, float], bytes] = fetch_certificate,
                 clock: Clock | None = None) -> None:
        self.server_name = server_name
        self.host = host
        self.port = port
        self.context = context
        self.timeout = timeout
        self.fetch = fetch
        self.clock = clock or SystemClock()

    @property
    def address(self) -> str:
        return join_host_port(self.host, self.port)

    def once(self, timeout: float | None = None) -> dict[str, Any]:
        """Facts of the certificate served now; raises :class:`ProbeFailure`."""
        der = self.fetch(self.server_name, self.host, self.port, self.context, timeout or self.timeout)
        return certificate_facts(load_der_certificate(der), now=self.clock.now())

    def wait(self, expected_fingerprint: str | None = None, wait_timeout: float = 0.0, interval: float = 1.0) -> dict[str, Any]:
        """Probe until a handshake succeeds (and serves ``expected_fingerprint``
        when given) or ``wait_timeout`` seconds pass.

        Returns ``{"certificate", "matches_expected", "attempts", "elapsed_seconds"}``.
        """
        poll = Poll(wait_timeout, interval, self.clock)
        last_problem = None
        for _round in poll:
            try:
                # A handshake may not outlast the deadline by more than a second.
                facts = self.once(min(self.timeout, max(poll.remaining(), 1.0)))
            except ProbeFailure as failure:
                facts, last_problem = None, failure.message
            if facts is not None:
                matches = None if expected_fingerprint is None else facts["fingerprint_sha256"] == expected_fingerprint
                if matches is not False:
                    return dict(certificate=facts, matches_expected=matches, attempts=poll.attempts,
                                elapsed_seconds=round(poll.elapsed(), 3))
                last_problem = _mismatch(facts, expected_fingerprint)
        raise TimeoutExpired(
            "%s at %s: gave up after %d attempt(s) in %.1f s: %s"
            % (self.server_name, self.address, poll.attempts, poll.elapsed(), last_problem),
            address=self.address, server_name=self.server_name, attempts=poll.attempts)


def _mismatch(facts: Mapping[str, Any], expected_fingerprint: str | None) -> str:
    return "still serving certificate %s (serial %s, not after %s), expected %s" % (
        facts["fingerprint_sha256"], facts["serial"], facts["not_after"], expected_fingerprint)
