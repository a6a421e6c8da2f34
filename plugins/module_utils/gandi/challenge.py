# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Publish or withdraw DNS-01 TXT values: plan, then apply each rrset safely.

Per rrset: one read; when something must change, one write under the
controller lock, then a re-read. If a writer elsewhere replaced the rrset in
between, the change is planned again from what is there now and re-applied, a
bounded number of times.

With a :class:`~.ledger.Ledger`, values are written with their markers and
values of ours left behind by earlier runs are withdrawn in the same write
(see ``ledger.py``); an rrset with nothing to change still costs one read.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.gandi import txt_plan
from ansible_collections.certops.acme.plugins.module_utils.gandi.client import GandiApiError, RRsetConflict
from ansible_collections.certops.acme.plugins.module_utils.locks import resource_lock

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable
    from contextlib import AbstractContextManager

    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock
    from ansible_collections.certops.acme.plugins.module_utils.gandi.client import GandiClient, RRset
    from ansible_collections.certops.acme.plugins.module_utils.gandi.ledger import Ledger
    from ansible_collections.certops.acme.plugins.module_utils.locks import FileLock

MAX_WRITE_ATTEMPTS = 5


@dataclasses.dataclass
class RRsetOutcome:
    key: txt_plan.RRsetKey
    values_before: tuple[str, ...]
    values_after: tuple[str, ...]
    changed: bool

    def as_dict(self) -> dict[str, Any]:
        return dict(zone=self.key.zone, name=self.key.name, fqdn=self.key.fqdn, type=self.key.type,
                    values_before=list(self.values_before), values_after=list(self.values_after),
                    changed=self.changed)


def outcomes_diff(outcomes: Iterable[RRsetOutcome]) -> dict[str, dict[str, list[str]]]:
    return txt_plan.diff([(outcome.key, outcome.values_before, outcome.values_after) for outcome in outcomes])


def rrset_lock(api_url: str, key: txt_plan.RRsetKey, directory: str | None = None, clock: Clock | None = None) -> FileLock:
    """The controller lock of one rrset (per API endpoint, zone, name and type)."""
    parts = (api_url.rstrip("/"), key.zone, key.name, key.type)
    return resource_lock(parts, "the %s rrset %s" % (key.type, key.fqdn), directory=directory, clock=clock)


def _values(rrset: RRset | None) -> tuple[str, ...] | None:
    return rrset.values if rrset is not None else None


class ChallengeRecords:
    """Applies the planner's decisions through a :class:`GandiClient`."""

    def __init__(self, client: GandiClient, state: str, ttl: int | None,
                 lock: Callable[[txt_plan.RRsetKey], AbstractContextManager[object]] | None = None,
                 max_attempts: int = MAX_WRITE_ATTEMPTS, ledger: Ledger | None = None) -> None:
        self.client = client
        self.state = state
        self.ttl = ttl
        self.ledger = ledger
        self.lock = lock or (lambda key: contextlib.nullcontext())
        self.max_attempts = max_attempts

    def preview(self, key: txt_plan.RRsetKey, ours: Collection[str]) -> RRsetOutcome:
        """Read the rrset once and report the planned change without writing (check mode)."""
        plan = txt_plan.plan_rrset(key, _values(self.client.get_rrset(key)), ours, self.state, self.ledger)
        return RRsetOutcome(key, plan.before, plan.after, plan.changed)

    def apply(self, key: txt_plan.RRsetKey, ours: Collection[str]) -> RRsetOutcome:
        """Read, plan and, when needed, write under the lock; return the outcome."""
        with self.lock(key):
            current = self.client.get_rrset(key)
            plan = txt_plan.plan_rrset(key, _values(current), ours, self.state, self.ledger)
            if not plan.changed:
                return RRsetOutcome(key, plan.before, plan.after, False)
            after = self._write_until_settled(plan, current, ours)
            return RRsetOutcome(key, plan.before, after, True)

    def _write_until_settled(self, plan: txt_plan.RRsetPlan, current: RRset | None, ours: Collection[str]) -> tuple[str, ...]:
        for _attempt in range(self.max_attempts):
            self._write(plan, current)
            current = self.client.get_rrset(plan.key)
            plan = txt_plan.plan_rrset(plan.key, _values(current), ours, self.state, self.ledger)
            if not plan.changed:
                return _values(current) or ()
        raise GandiApiError(
            "the %s rrset %s kept being changed by another writer: after %d writes, %s"
            % (plan.key.type, plan.key.fqdn, self.max_attempts,
               "some of this run's values are still missing" if self.state == "present"
               else "some of this run's values are still there"),
            zone=plan.key.zone, name=plan.key.name, attempts=self.max_attempts,
            values=list(_values(current) or ()))

    def _write(self, plan: txt_plan.RRsetPlan, current: RRset | None) -> None:
        """One write; a create that finds the rrset already there is left to the re-read."""
        if plan.action == txt_plan.DELETE:
            self.client.delete_rrset(plan.key)
        elif plan.action == txt_plan.CREATE:
            try:
                self.client.create_rrset(plan.key, plan.after, self.ttl)
            except RRsetConflict:
                pass
        else:
            # An existing rrset keeps its own TTL; ``ttl`` only applies to new ones.
            ttl = current.ttl if current is not None and current.ttl else self.ttl
            self.client.replace_rrset(plan.key, plan.after, ttl)
