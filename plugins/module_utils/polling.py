# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one polling primitive: look again every ``interval`` seconds until a deadline.

A :class:`Poll` is iterated once per round; the body looks, and returns (or
raises) when it is done. Between two rounds the poll sleeps ``interval``
seconds on the injected clock, never past the deadline; when a round ends with
the deadline passed, the iteration stops and the code after the loop reports
the timeout with what the last round saw::

    poll = Poll(timeout, interval, clock)
    for _round in poll:
        state = look(timeout=poll.deadline.remaining())
        if state.done:
            return state
    raise TimeoutExpired("still %s after %d attempts in %.1f s" % (state, poll.attempts, poll.elapsed()))

The first round runs at once, and at least one round runs even with a zero
timeout. ``interval`` may be changed between rounds (a growing interval, a
server's ``Retry-After``). No Ansible import here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.certops.acme.plugins.module_utils.clock import Deadline, SystemClock

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock


class Poll:
    """Rounds spaced by ``interval`` seconds until ``timeout`` seconds have passed (see the module doc)."""

    def __init__(self, timeout: float, interval: float, clock: Clock | None = None) -> None:
        self.clock = clock or SystemClock()
        self.deadline = Deadline(timeout, self.clock)
        self.interval = interval
        self.attempts = 0

    def __iter__(self) -> Iterator[int]:
        while True:
            self.attempts += 1
            yield self.attempts
            if self.deadline.expired():
                return
            self.clock.sleep(min(self.interval, self.deadline.remaining()))

    def elapsed(self) -> float:
        """Seconds since the poll began."""
        return self.deadline.elapsed()

    def remaining(self) -> float:
        """Seconds left before the deadline (0 once it has passed)."""
        return self.deadline.remaining()
