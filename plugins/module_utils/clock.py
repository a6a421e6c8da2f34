# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An injectable clock, so that waits have deadlines and tests never sleep."""

from __future__ import annotations

import datetime
import time

SECONDS_PER_DAY = 86400


class SystemClock:
    """Real time: monotonic for deadlines, UTC wall clock for certificates."""

    def monotonic(self):
        return time.monotonic()

    def sleep(self, seconds):
        if seconds > 0:
            time.sleep(seconds)

    def now(self):
        return datetime.datetime.now(datetime.timezone.utc)


def days_left(expires, now):
    """Whole days from ``now`` until ``expires`` (aware datetimes), rounded down: negative once expired."""
    return int((expires - now).total_seconds() // SECONDS_PER_DAY)


def from_unix(seconds):
    """The UTC datetime of unix ``seconds``."""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


class Deadline:
    """A point in time after which a wait gives up."""

    def __init__(self, seconds, clock):
        self.clock = clock
        self.started = clock.monotonic()
        self.expires = self.started + seconds

    def remaining(self):
        return max(0.0, self.expires - self.clock.monotonic())

    def expired(self):
        return self.clock.monotonic() >= self.expires

    def elapsed(self):
        return self.clock.monotonic() - self.started
