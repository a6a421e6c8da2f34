# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP layer of the collection.

Both API clients (Gandi LiveDNS and DogeCloud) talk HTTP through
:class:`HttpClient`. It owns TLS trust, timeouts, the retry policy for
transient faults (429, 5xx, resets, timeouts) with bounded exponential backoff,
jitter and ``Retry-After``, and the redaction of secrets from anything it
reports. It has no Ansible import, and the transport is injectable so that the
clients are tested with a fake one.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import random
import re
import socket
import traceback
import warnings
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus, urlsplit

try:
    import requests
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR: str | None = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

from ansible_collections.certops.acme.plugins.module_utils.address import join_host_port
from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.retry import Retry, RetryPolicy

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Iterable, Mapping
    from typing import Protocol
    from urllib.parse import SplitResult

    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock

    class Transport(Protocol):
        """What :class:`HttpClient` sends through: :class:`RequestsTransport`, :class:`FakeTransport`..."""

        def send(self, method: str, url: str, headers: Mapping[str, str], body: bytes | None, timeout: float,
                 verify: bool | str) -> Response:
            ...

REDACTED = "********"
TRANSIENT_STATUSES = frozenset((429, 500, 502, 503, 504))
IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "DELETE"))
BODY_EXCERPT_CHARS = 500


class HttpError(CertopsError):
    """An HTTP exchange failed; ``details`` say which call and how."""


class NetworkError(HttpError):
    """No HTTP answer: connection refused or reset, TLS failure, timeout."""


class TransientFaultError(HttpError):
    """The server kept answering with a transient fault until retries ran out."""


class Response:
    """What came back: status, headers (case-insensitive lookup) and raw body."""

    def __init__(self, status: int, headers: Mapping[str, str] | None, body: bytes | None, method: str = "GET",
                 url: str = "") -> None:
        self.status = status
        self.headers = {key.lower(): value for key, value in (headers or {}).items()}
        self.body = body or b""
        self.method = method
        self.url = url
        # HttpClient replaces it with its Redactor: a body may echo a credential.
        self.redact: Callable[[object], str] = str

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """Decode a JSON body; ``None`` for an empty one."""
        import json

        if not self.body.strip():
            return None
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError as exc:
            raise HttpError(
                "%s %s answered HTTP %d with a body that is not JSON: %s"
                % (self.method, self.redact(self.url), self.status, excerpt(self.redact, self.text())),
                status=self.status,
            ) from exc


# What kind of failure got no HTTP answer; it decides how often a call is tried.
TLS = "tls"
REFUSED = "refused"
UNRESOLVED = "unresolved"
PROXY = "proxy"
TIMEOUT = "timeout"
RESET = "reset"
OTHER = "other"
# A trust problem does not go away by itself: one attempt. A refused connection, an unknown
# host or a failing proxy get one more try (a service restarting), never the full retry budget.
ATTEMPT_LIMITS = {TLS: 1, REFUSED: 2, UNRESOLVED: 2, PROXY: 2}
# The request never reached the server: trying once more is safe even for a non-idempotent call.
NOT_SENT = frozenset((TLS, REFUSED, UNRESOLVED, PROXY))


class TransportFailure(Exception):
    """Raised by a transport when no HTTP answer was obtained; ``kind`` says which failure it was."""

    def __init__(self, message: str, kind: str = OTHER) -> None:
        super().__init__(message)
        self.kind = kind


class RequestsTransport:
    """Sends requests with the ``requests`` library.

    ``verify`` is passed on every request: ``requests`` replaces a
    session-level ``verify`` with ``REQUESTS_CA_BUNDLE`` when that variable is
    set, which would silently ignore ``ca_path``.
    """

    def __init__(self) -> None:
        self._requests = requests
        self._session = requests.Session()

    def send(self, method: str, url: str, headers: Mapping[str, str], body: bytes | None, timeout: float,
             verify: bool | str) -> Response:
        try:
            answer = self._session.request(
                method, url, headers=headers, data=body, timeout=timeout,
                verify=verify, allow_redirects=False,
            )
        except self._requests.exceptions.RequestException as exc:
            raise TransportFailure(describe_transport_error(exc, url), transport_failure_kind(exc)) from exc
        return Response(answer.status_code, dict(answer.headers), answer.content, method, url)


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it wraps (``__cause__``, ``__context__``, urllib3's ``reason``, ``args``), bounded."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending and len(seen) < 20:
        current = pending.pop(0)
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        reason = getattr(current, "reason", None)
        pending.extend([reason if isinstance(reason, BaseException) else None, current.__cause__, current.__context__])
        pending.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
    return seen


def transport_failure_kind(exc: BaseException) -> str:
    """:data:`TLS`, :data:`REFUSED`, :data:`UNRESOLVED`, :data:`PROXY`, :data:`TIMEOUT`, :data:`RESET` or :data:`OTHER`."""
    causes = _causes(exc)
    names = {type(cause).__name__ for cause in causes}
    text = " ".join(str(cause) for cause in causes)
    if "SSLError" in names or "CERTIFICATE_VERIFY_FAILED" in text:
        return TLS
    if "ProxyError" in names:
        return PROXY
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes) or "Connection refused" in text:
        return REFUSED
    if (any(isinstance(cause, socket.gaierror) for cause in causes) or "NameResolutionError" in names
            or "Name or service not known" in text or "Failed to resolve" in text):
        return UNRESOLVED
    if any("Timeout" in name for name in names) or "timed out" in text.lower():
        return TIMEOUT
    if any(isinstance(cause, (ConnectionError, OSError)) for cause in causes[1:]) or "ConnectionError" in names:
        return RESET
    return OTHER


def _endpoint(exc: BaseException, url: str | None) -> str:
    request = getattr(exc, "request", None)
    url = getattr(request, "url", None) or url or ""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "the server"
    return join_host_port(parts.hostname, port) if parts.hostname else "the server"


def _tls_reason(text: str) -> str | None:
    verify = re.search(r"certificate verify failed: ([^()\]'\"]+)", text)
    if verify:
        return "certificate verify failed: " + verify.group(1).strip().rstrip(".,")
    code = re.search(r"\[SSL: ([A-Z0-9_]+)\]", text)
    return code.group(1) if code else None


def describe_transport_error(exc: BaseException, url: str | None = None) -> str:
    """One line for a failure that got no HTTP answer: what happened and what to check.

    It names the endpoint (host and port) and the settings that cause such a
    failure, instead of the library's own text.
    """
    kind = transport_failure_kind(exc)
    where = _endpoint(exc, url)
    name = type(exc).__name__
    text = " ".join(str(cause) for cause in _causes(exc))
    if kind == TLS:
        reason = _tls_reason(text) or name
        if "verify failed" in text or "CERTIFICATE_VERIFY_FAILED" in text:
            return ("TLS verification failed for %s (%s): check that the URL names the intended server and trust "
                    "the CA that issued its certificate with ca_path (a PEM bundle; it takes precedence over "
                    "REQUESTS_CA_BUNDLE)" % (where, reason))
        return ("the TLS handshake with %s failed (%s): check that the port speaks HTTPS, the proxy settings "
                "(HTTPS_PROXY, NO_PROXY) and the CA trust (ca_path)" % (where, reason))
    if kind == PROXY:
        return ("the proxy could not reach %s (%s): check HTTPS_PROXY, HTTP_PROXY and NO_PROXY, and the proxy "
                "itself" % (where, name))
    if kind == REFUSED:
        return ("the connection to %s was refused: check the host and port of the URL, that the service is "
                "running and reachable from this machine, and the proxy settings (HTTPS_PROXY, NO_PROXY)" % where)
    if kind == UNRESOLVED:
        return ("the host name of %s does not resolve: check the spelling of the URL, this machine's DNS and the "
                "proxy settings (HTTPS_PROXY, NO_PROXY)" % where)
    if kind == TIMEOUT:
        if "ConnectTimeout" in name or "connect timeout" in text.lower():
            return ("timed out connecting to %s: check the host and port of the URL, firewalls and the proxy "
                    "settings (HTTPS_PROXY, NO_PROXY), or raise timeout" % where)
        return ("timed out waiting for %s to answer (%s): the server is slow or stalled; raise timeout if it is "
                "expected" % (where, name))
    if kind == RESET:
        how = "reset by peer" if "reset by peer" in text else "closed"
        return ("%s: the connection to %s was %s before an answer came; check the host, port and proxy settings "
                "(HTTPS_PROXY, NO_PROXY)" % (name, where, how))
    return "%s while calling %s: check the URL, the network and the proxy settings" % (name, where)


def attempt_limit(exc: BaseException, default: int) -> int:
    """How many attempts a failure without an HTTP answer deserves (``default`` unless it is a trust or
    connection failure that retrying will not cure)."""
    if isinstance(exc, TransportFailure):
        kind = exc.kind
    elif HAS_REQUESTS and isinstance(exc, requests.exceptions.RequestException) and exc.response is None:
        kind = transport_failure_kind(exc)
    else:
        return default  # an HTTP answer: the caller's policy decides
    return min(default, ATTEMPT_LIMITS.get(kind, default))


class UntrustedEndpointWarning(UserWarning):
    """``validate_certs`` is off for an endpoint."""


_warning_handler = None


def set_warning_handler(handler: Callable[[str], object] | None) -> Callable[[str], object] | None:
    """Where :func:`warn_untrusted` sends its text (the module layer hands it to Ansible); returns the previous one.

    ``None`` means Python's :mod:`warnings` with :class:`UntrustedEndpointWarning`.
    """
    global _warning_handler  # pylint: disable=global-statement
    previous, _warning_handler = _warning_handler, handler
    return previous


def untrusted_message(url: str | None) -> str:
    """The warning for ``validate_certs: false``, naming the endpoint of ``url``."""
    try:
        parts = urlsplit(url or "")
        host = parts.hostname or url
        endpoint = host if parts.port is None else join_host_port(str(host), parts.port)
    except ValueError:
        endpoint = url
    return ("validate_certs is false: the TLS certificate of %s is not verified, so anyone on the network path "
            "can impersonate it and read or change what is sent, credentials included. Trust a private CA with "
            "ca_path instead, and set validate_certs back to true." % endpoint)


def warn_untrusted(validate_certs: bool, url: str | None) -> str | None:
    """Warn, on every run, that ``url``'s server is not verified; the one place both clients warn from."""
    if validate_certs:
        return None
    message = untrusted_message(url)
    if _warning_handler is not None:
        _warning_handler(message)
    else:
        warnings.warn(message, UntrustedEndpointWarning, stacklevel=2)
    return message


def parse_retry_after(value: str | None, now: datetime.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or now is None:
        return None
    return max(0.0, (when - now).total_seconds())


class Redactor:
    """Replaces known secrets in any text that leaves the HTTP layer.

    A secret is also found in the forms a server may echo it in (JSON-escaped,
    URL-encoded). Text is redacted whole, before any excerpt is cut from it
    (see :func:`excerpt`), and a cut-off start of a secret left at the very end
    of a text is masked too.
    """

    MIN_PARTIAL = 8

    def __init__(self, secrets: Iterable[object] = ()) -> None:
        self._secrets: list[str] = []
        for secret in secrets:
            self.add(secret)

    def add(self, secret: object) -> None:
        if not secret:
            return
        for form in _echoed_forms(secret):
            if form and form not in self._secrets:
                self._secrets.append(form)
        self._secrets.sort(key=len, reverse=True)

    def __call__(self, text: object) -> str:
        text = "" if text is None else str(text)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return self._mask_cut_start(text)

    def _mask_cut_start(self, text: str) -> str:
        """Mask a text's tail that is the beginning of a secret (a secret cut by someone else's excerpt)."""
        for secret in self._secrets:
            longest = min(len(secret) - 1, len(text))
            for size in range(longest, self.MIN_PARTIAL - 1, -1):
                if text.endswith(secret[:size]):
                    return text[:-size] + REDACTED
        return text


def _echoed_forms(secret: object) -> set[str]:
    secret = str(secret)
    return {secret, json.dumps(secret)[1:-1], quote_plus(secret), quote(secret, safe="")}


def excerpt(redact: Callable[[object], str], text: str | None, limit: int = BODY_EXCERPT_CHARS) -> str:
    """At most ``limit`` characters of ``text``, redacted as a whole before the cut."""
    redacted = redact("" if text is None else text)
    if len(redacted) <= limit:
        return redacted
    return redacted[:limit] + "..."


def verify_setting(validate_certs: bool, ca_path: str | None) -> bool | str:
    """What ``requests`` gets as ``verify`` on every request: a path beats the environment's bundle."""
    return (ca_path or True) if validate_certs else False


def require_https(url: object, option: str, reason: str = "the request carries credentials",
                  example: str | None = None) -> None:
    """The collection's one URL policy: ``https://``, or plain ``http://`` to this machine only.

    Refuses, naming ``option`` and before any call, a value that is not an
    http(s) URL with a host (``example`` shows a good one), and a plain http
    URL to any other host than a loopback one (``reason`` says why).
    """
    parts: SplitResult | None
    host: str | None
    try:
        parts = urlsplit(url) if isinstance(url, str) else None
        host = parts.hostname if parts is not None else None
    except ValueError:
        parts = host = None
    if parts is None or parts.scheme not in ("https", "http") or not host:
        raise InvalidInputError(option, "must be an https:// URL%s, got %r"
                                % (" such as %s" % example if example else "", url))
    if parts.scheme == "https":
        return
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise InvalidInputError(
            option, "%r must be an https:// URL (plain http is accepted only for this machine): %s" % (url, reason))


class HttpClient:
    """HTTP calls against one base URL with trust, timeouts, retries, redaction."""

    def __init__(self, base_url: str, validate_certs: bool = True, ca_path: str | None = None, timeout: float = 30,
                 retry: RetryPolicy | None = None, transport: Transport | None = None, clock: Clock | None = None,
                 rng: random.Random | None = None, secrets: Iterable[object] = (),
                 user_agent: str = "certops.acme", url_option: str = "api_url") -> None:
        require_https(base_url, url_option)
        self.base_url = base_url.rstrip("/")
        warn_untrusted(validate_certs, base_url)
        self.verify = verify_setting(validate_certs, ca_path)
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.transport = transport or RequestsTransport()
        self.clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self.redact = Redactor(secrets)
        self.user_agent = user_agent

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path: str, body: bytes | None = None, headers: Mapping[str, str] | None = None,
                idempotent: bool | None = None, is_transient: Callable[[Response], str | None] | None = None) -> Response:
        """Send one call, retrying transient faults; return the final response.

        A non-transient answer (including 4xx) is returned for the caller to
        interpret. ``idempotent`` (default: by method) says whether a 5xx, a
        reset or a timeout may be retried; a 429 is always retried because the
        server did not process the request. ``is_transient(response)`` lets a
        caller flag faults hidden in a 200 answer (an error envelope).
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        url = self.url(path)
        send_headers = {"User-Agent": self.user_agent}
        send_headers.update(headers or {})
        retry = self.new_retry()
        while True:
            fault, retry_after, response = self._attempt(
                method, url, send_headers, body, idempotent, is_transient)
            if fault is None:
                if response is None:  # not reached: an attempt without a fault has an answer
                    raise AssertionError("response is None")
                return response
            if not retry.again(retry_after, fault.max_attempts, fault.retryable):
                raise self._give_up(method, url, fault, retry.failures)

    def new_retry(self) -> Retry:
        """A fresh :class:`~retry.Retry` budget with this client's policy, clock and random source.

        For a call that must be repeated above this layer (a write that may
        have been processed although no answer came): its retries then back
        off and give up exactly as this layer's own do.
        """
        return Retry(self.retry, self.clock, self.rng)

    def _attempt(self, method: str, url: str, headers: Mapping[str, str], body: bytes | None, idempotent: bool,
                 is_transient: Callable[[Response], str | None] | None) -> tuple[_Fault | None, float | None, Response | None]:
        try:
            response = self.transport.send(method, url, headers, body, self.timeout, self.verify)
        except TransportFailure as exc:
            kind = getattr(exc, "kind", OTHER)
            return (_Fault(self.redact(str(exc)), idempotent or kind in NOT_SENT, status=None,
                           max_attempts=ATTEMPT_LIMITS.get(kind, self.retry.max_attempts)), None, None)
        response.redact = self.redact
        if response.status == 429:
            return (_Fault("HTTP 429 (rate limited)", True, response.status, response),
                    parse_retry_after(response.header("Retry-After"), self.clock.now()), response)
        if response.status in TRANSIENT_STATUSES:
            return (_Fault("HTTP %d" % response.status, idempotent, response.status, response),
                    parse_retry_after(response.header("Retry-After"), self.clock.now()), response)
        if is_transient is not None:
            reason = is_transient(response)
            if reason:
                return _Fault(self.redact(reason), idempotent, response.status, response), None, response
        return None, None, response

    def _give_up(self, method: str, url: str, fault: _Fault, attempts: int) -> HttpError:
        tries = "%d attempt%s" % (attempts, "" if attempts == 1 else "s")
        where = "%s %s" % (method, self.redact(url))
        details = dict(method=method, url=self.redact(url), attempts=attempts, status=fault.status)
        if fault.response is not None:
            details["body"] = excerpt(self.redact, fault.response.text())
        if fault.status is None:
            return NetworkError("%s failed after %s: %s" % (where, tries, fault.reason), **details)
        return TransientFaultError(
            "%s kept failing with a transient fault (%s); gave up after %s"
            % (where, fault.reason, tries), **details)


class _Fault:
    def __init__(self, reason: str, retryable: bool, status: int | None = None, response: Response | None = None,
                 max_attempts: float = float("inf")) -> None:
        self.reason = reason
        self.retryable = retryable
        self.status = status
        self.response = response
        self.max_attempts = max_attempts
