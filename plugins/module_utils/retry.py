# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one retry primitive: bounded exponential backoff with jitter.

A :class:`RetryPolicy` says how hard to try (attempts, delays, an overall
deadline); a :class:`Retry` is one operation's budget under that policy. The
caller keeps its own loop and its own idea of what failed, and asks the budget
after each failed attempt whether to try again::

    retry = Retry(policy, clock, rng)
    while True:
        try:
            return send()
        except SomeTransientError as exc:
            if not retry.again(retry_after=seconds_asked_by_the_server(exc)):
                raise

:meth:`Retry.again` sleeps the backoff on the injected clock and returns
``True``, or returns ``False`` without sleeping once the attempts are spent or
the delay would pass the deadline. The clock (``clock.SystemClock`` or a fake)
and the random source of the jitter are injectable, so tests never sleep and
get the same delays every run. No Ansible import here.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from ansible_collections.certops.acme.plugins.module_utils.clock import Deadline, SystemClock

if TYPE_CHECKING:
    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock


class RetryPolicy:
    """How hard to retry: at most ``max_attempts`` attempts within ``deadline`` seconds.

    The delay before retry number ``n`` (1-based) is drawn between half and
    all of ``min(max_delay, base_delay * 2 ** (n - 1))``; a server's
    ``Retry-After`` (capped at ``max_retry_after``) lengthens it.
    """

    def __init__(self, max_attempts: int = 5, base_delay: float = 0.5, max_delay: float = 10.0, deadline: float = 120.0,
                 max_retry_after: float = 60.0) -> None:
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.deadline = deadline
        self.max_retry_after = max_retry_after

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Delay before retry number ``attempt`` (1-based): half fixed, half jitter."""
        ceiling: float = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """:meth:`backoff`, or the server's ``retry_after`` seconds (capped) when that is longer."""
        delay = self.backoff(attempt, rng)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_retry_after))
        return delay


class Retry:
    """The retry budget of one operation under ``policy``.

    The deadline starts when the budget is made, so make one per operation,
    just before its first attempt. ``failures`` counts the failed attempts
    reported to :meth:`again`.
    """

    def __init__(self, policy: RetryPolicy | None = None, clock: Clock | None = None,
                 rng: random.Random | None = None) -> None:
        self.policy = policy or RetryPolicy()
        self.clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self.deadline = Deadline(self.policy.deadline, self.clock)
        self.failures = 0

    def again(self, retry_after: float | None = None, max_attempts: float | None = None, retryable: bool = True) -> bool:
        """Report a failed attempt; sleep and return ``True`` when another attempt may follow.

        ``False`` (and no sleep) when the failure is not ``retryable``, when
        ``min(policy.max_attempts, max_attempts)`` attempts have failed (a
        caller lowers the limit for a failure that retrying rarely cures), or
        when the delay (the backoff, or ``retry_after`` seconds asked by the
        server when longer) would pass the deadline. The random source is
        drawn from only when a delay is needed.
        """
        self.failures += 1
        limit = self.policy.max_attempts if max_attempts is None else min(self.policy.max_attempts, max_attempts)
        if not retryable or self.failures >= limit:
            return False
        delay = self.policy.delay(self.failures, retry_after, self.rng)
        if delay > self.deadline.remaining():
            return False
        self.clock.sleep(delay)
        return True
