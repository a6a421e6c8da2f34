# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ledger that proves which TXT values of an rrset this collection published.

Every value the collection publishes is written together with a marker value
in the same rrset, by the same write::

    "certops-acme-ledger;v1;t=<unix seconds>;h=<first 32 hex digits of sha256(value)>"

Because the value and its marker land in one PUT (or POST), a value of ours is
never in the zone without its marker, whatever kills the run. Any later call
that writes the rrset anyway can therefore remove values of ours that are
older than a grace period (left behind by a killed run or a withdrawal that
kept failing) without any local state, and never touches a value without a
marker: such a value is not provably ours.

Nothing here does I/O.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

PREFIX = "certops-acme-ledger"
VERSION = "v1"
HASH_CHARS = 32
DEFAULT_STALE_AFTER = 3600

_MARKER = re.compile(r"%s;%s;t=(\d{1,12});h=([0-9a-f]{%d})" % (PREFIX, VERSION, HASH_CHARS))


def _unquote(value: str) -> str:
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    return value


def value_hash(value: str) -> str:
    """The hash that names an (unquoted) TXT value in a marker."""
    return hashlib.sha256(_unquote(value).encode("utf-8")).hexdigest()[:HASH_CHARS]


def marker(value: str, now: float) -> str:
    """The marker (unquoted) that records ``value`` as published at ``now``."""
    return "%s;%s;t=%d;h=%s" % (PREFIX, VERSION, int(now), value_hash(value))


def parse_marker(value: str) -> tuple[int, str] | None:
    """``(published_at, hash)`` of a marker value (quoted or not), ``None`` for any other value."""
    match = _MARKER.fullmatch(_unquote(value))
    if not match:
        return None
    return int(match.group(1)), match.group(2)


def is_marker(value: str) -> bool:
    return parse_marker(value) is not None


@dataclasses.dataclass(frozen=True)
class Ledger:
    """The time of this call and the grace period after which a value of ours counts as left behind.

    ``stale_after`` is in seconds. A value of ours is stale when its newest
    marker is older than ``now - stale_after``; ``0`` makes every value of
    ours that this call does not publish stale.
    """

    now: int
    stale_after: int = DEFAULT_STALE_AFTER

    def is_stale(self, published_at: int) -> bool:
        return published_at + self.stale_after < int(self.now)

    def marker(self, value: str) -> str:
        return marker(value, self.now)

    def newest(self, values: Iterable[str]) -> dict[str, int]:
        """``{hash: newest published_at}`` of the markers among ``values``."""
        newest: dict[str, int] = {}
        for value in values:
            parsed = parse_marker(value)
            if parsed:
                published_at, digest = parsed
                newest[digest] = max(published_at, newest.get(digest, published_at))
        return newest

    def stale_hashes(self, values: Iterable[str]) -> set[str]:
        """Hashes of the values of ours (among ``values``' markers) that were left behind."""
        return {digest for digest, published_at in self.newest(values).items() if self.is_stale(published_at)}
