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
import random
import re
import traceback
from urllib.parse import urlsplit

try:
    import requests
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

from ansible_collections.certops.acme.plugins.module_utils.clock import Deadline, SystemClock
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError

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

    def __init__(self, status, headers, body, method="GET", url=""):
        self.status = status
        self.headers = {key.lower(): value for key, value in (headers or {}).items()}
        self.body = body or b""
        self.method = method
        self.url = url
        # HttpClient replaces it with its Redactor: a body may echo a credential.
        self.redact = str

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        """Decode a JSON body; ``None`` for an empty one."""
        import json

        if not self.body.strip():
            return None
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError as exc:
            raise HttpError(self.redact(
                "%s %s answered HTTP %d with a body that is not JSON: %s"
                % (self.method, self.url, self.status, self.text()[:BODY_EXCERPT_CHARS])),
                status=self.status,
            ) from exc


class TransportFailure(Exception):
    """Raised by a transport when no HTTP answer was obtained."""


class RequestsTransport:
    """Sends requests with the ``requests`` library.

    ``verify`` is passed on every request: ``requests`` replaces a
    session-level ``verify`` with ``REQUESTS_CA_BUNDLE`` when that variable is
    set, which would silently ignore ``ca_path``.
    """

    def __init__(self):
        self._requests = requests
        self._session = requests.Session()

    def send(self, method, url, headers, body, timeout, verify):
        try:
            answer = self._session.request(
                method, url, headers=headers, data=body, timeout=timeout,
                verify=verify, allow_redirects=False,
            )
        except self._requests.exceptions.RequestException as exc:
            raise TransportFailure(describe_transport_error(exc)) from exc
        return Response(answer.status_code, dict(answer.headers), answer.content, method, url)


def describe_transport_error(exc):
    """One line for a ``requests`` failure that got no HTTP answer."""
    name = type(exc).__name__
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or name == "SSLError":
        return "TLS verification failed (%s); trust the server's CA with ca_path" % name
    if "timed out" in text.lower() or "Timeout" in name:
        return "timed out (%s)" % name
    return "%s: %s" % (name, text[:300])


class RetryPolicy:
    """Bounded exponential backoff with jitter, honouring ``Retry-After``."""

    def __init__(self, max_attempts=5, base_delay=0.5, max_delay=10.0, deadline=120.0,
                 max_retry_after=60.0):
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.deadline = deadline
        self.max_retry_after = max_retry_after

    def backoff(self, attempt, rng):
        """Delay before retry number ``attempt`` (1-based): half fixed, half jitter."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)

    def delay(self, attempt, retry_after, rng):
        delay = self.backoff(attempt, rng)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_retry_after))
        return delay


def parse_retry_after(value, now=None):
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
    """Replaces known secrets in any text that leaves the HTTP layer."""

    def __init__(self, secrets=()):
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def add(self, secret):
        if secret and secret not in self._secrets:
            self._secrets.append(secret)
            self._secrets.sort(key=len, reverse=True)

    def __call__(self, text):
        text = "" if text is None else str(text)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def verify_setting(validate_certs, ca_path):
    """What ``requests`` gets as ``verify`` on every request: a path beats the environment's bundle."""
    return (ca_path or True) if validate_certs else False


def require_https(url, option, reason="the request carries credentials"):
    """Credentials travel in headers: refuse plain HTTP except to this machine (``reason`` says why)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "http" or not loopback:
        raise InvalidInputError(
            option, "%r must be an https:// URL (plain http is accepted only for this machine): %s" % (url, reason))


class HttpClient:
    """HTTP calls against one base URL with trust, timeouts, retries, redaction."""

    def __init__(self, base_url, validate_certs=True, ca_path=None, timeout=30,
                 retry=None, transport=None, clock=None, rng=None, secrets=(),
                 user_agent="certops.acme", url_option="api_url"):
        require_https(base_url, url_option)
        self.base_url = base_url.rstrip("/")
        self.verify = verify_setting(validate_certs, ca_path)
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.transport = transport or RequestsTransport()
        self.clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self.redact = Redactor(secrets)
        self.user_agent = user_agent

    def url(self, path):
        return self.base_url + path

    def request(self, method, path, body=None, headers=None, idempotent=None,
                is_transient=None):
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
        deadline = Deadline(self.retry.deadline, self.clock)
        attempt = 0
        while True:
            attempt += 1
            fault, retry_after, response = self._attempt(
                method, url, send_headers, body, idempotent, is_transient)
            if fault is None:
                return response
            if not fault.retryable or attempt >= self.retry.max_attempts:
                raise self._give_up(method, url, fault, attempt)
            delay = self.retry.delay(attempt, retry_after, self.rng)
            if delay > deadline.remaining():
                raise self._give_up(method, url, fault, attempt)
            self.clock.sleep(delay)

    def _attempt(self, method, url, headers, body, idempotent, is_transient):
        try:
            response = self.transport.send(method, url, headers, body, self.timeout, self.verify)
        except TransportFailure as exc:
            return _Fault(self.redact(str(exc)), idempotent, status=None), None, None
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
                return _Fault(reason, idempotent, response.status, response), None, response
        return None, None, response

    def _give_up(self, method, url, fault, attempts):
        tries = "%d attempt%s" % (attempts, "" if attempts == 1 else "s")
        where = "%s %s" % (method, self.redact(url))
        details = dict(method=method, url=self.redact(url), attempts=attempts, status=fault.status)
        if fault.response is not None:
            details["body"] = self.redact(fault.response.text()[:BODY_EXCERPT_CHARS])
        if fault.status is None:
            return NetworkError("%s failed after %s: %s" % (where, tries, fault.reason), **details)
        return TransientFaultError(
            "%s kept failing with a transient fault (%s); gave up after %s"
            % (where, fault.reason, tries), **details)


class _Fault:
    def __init__(self, reason, retryable, status=None, response=None):
        self.reason = reason
        self.retryable = retryable
        self.status = status
        self.response = response


class FakeTransport:
    """A scripted transport for unit tests of the API clients.

    ``answers`` is a list of :class:`Response`, :class:`TransportFailure` or
    callables ``(method, url, headers, body) -> Response``; each call takes the
    next one. Every call is recorded in ``sent``.
    """

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.sent = []

    def queue(self, *answers):
        self.answers.extend(answers)

    def send(self, method, url, headers, body, timeout, verify):
        self.sent.append(dict(method=method, url=url, headers=dict(headers), body=body,
                              timeout=timeout, verify=verify))
        if not self.answers:
            raise AssertionError("unexpected request %s %s" % (method, url))
        answer = self.answers.pop(0)
        if callable(answer) and not isinstance(answer, Response):
            answer = answer(method, url, headers, body)
        if isinstance(answer, Exception):
            raise answer
        answer.method, answer.url = method, url
        return answer


def json_response(status, payload, headers=None):
    """Build a JSON :class:`Response` (for fakes and emulator-free tests)."""
    import json

    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    body = b"" if payload is None else json.dumps(payload).encode("utf-8")
    return Response(status, all_headers, body)
