# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fakes for unit tests: a clock that never sleeps, a scripted HTTP transport, JSON answers.

They stand in for ``clock.SystemClock`` and ``http_client.RequestsTransport``
through the same injection points; nothing here ships in ``plugins/``.
"""

from __future__ import annotations

import datetime
import json

from ansible_collections.certops.acme.plugins.module_utils.http_client import Response


class FakeClock:
    """A clock that advances only when something sleeps on it (for tests)."""

    def __init__(self, start=None):
        self._monotonic = 1000.0
        self._now = start or datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
        self.sleeps = []

    def monotonic(self):
        return self._monotonic

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.advance(seconds)

    def advance(self, seconds):
        self._monotonic += seconds
        self._now += datetime.timedelta(seconds=seconds)

    def now(self):
        return self._now


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
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    body = b"" if payload is None else json.dumps(payload).encode("utf-8")
    return Response(status, all_headers, body)
