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

        def monotonic(self) -> float: ...

        def sleep(self, seconds: float) -> None: ...

        def now(self) -> datetime.datetime: ...


class SystemClock:
    """Real time: monotonic for deadlines, UTC wall clock for certificates."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def now(self) -> datetime.datetime:
        return datetime.datetime.now(datetime.timezone.utc)


class FakeClock:
    """A clock that advances only when something sleeps on it (for tests)."""

    def __init__(self, start: datetime.datetime | None = None) -> None:
        self._monotonic = 1000.0
        self._now = start or datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self._monotonic

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self._monotonic += seconds
        self._now += datetime.timedelta(seconds=seconds)

    def now(self) -> datetime.datetime:
        return self._now


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
