# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An injectable clock, so that waits have deadlines and tests never sleep."""

from __future__ import annotations

import datetime
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Protocol

    class Clock(Protocol):
        """What a clock offers: :class:`SystemClock`, :class:`FakeClock` or another of the same shape."""

        def monotonic(self) -> float:
            ...

        def sleep(self, seconds: float) -> None:
            ...

        def now(self) -> datetime.datetime:
            ...

SECONDS_PER_DAY = 86400


class SystemClock:
    """Real time: monotonic for deadlines, UTC wall clock for certificates."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def now(self) -> datetime.datetime:
        return datetime.datetime.now(datetime.timezone.utc)


def days_left(expires: datetime.datetime, now: datetime.datetime) -> int:
    """Whole days from ``now`` until ``expires`` (aware datetimes), rounded down: negative once expired."""
    return int((expires - now).total_seconds() // SECONDS_PER_DAY)


def from_unix(seconds: float) -> datetime.datetime:
    """The UTC datetime of unix ``seconds``."""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


class Deadline:
    """A point in time after which a wait gives up."""

    def __init__(self, seconds: float, clock: Clock) -> None:
        self.clock = clock
        self.started = clock.monotonic()
        self.expires = self.started + seconds

    def remaining(self) -> float:
        return max(0.0, self.expires - self.clock.monotonic())

    def expired(self) -> bool:
        return self.clock.monotonic() >= self.expires

    def elapsed(self) -> float:
        return self.clock.monotonic() - self.started
