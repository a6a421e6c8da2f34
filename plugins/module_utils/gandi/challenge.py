# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Publish or withdraw DNS-01 TXT values: plan, then apply each rrset safely.

Per rrset: one read; when something must change, one write under the
controller lock, then a read-back. If a writer elsewhere replaced the rrset in
between, the change is planned again from what is there now and re-applied, a
bounded number of times.

Without the immediate read-back (``read_back=False``) an rrset costs one read
and at most one write; :meth:`ChallengeRecords.verify` does the read-back
later, and :func:`wait_verifying` calls it for the rrsets whose values the name
servers have not answered within a grace period (the propagation check stands
in for the read-back of the others).

With a :class:`~.ledger.Ledger`, values are written with their markers and
values of ours left behind by earlier runs are withdrawn in the same write
(see ``ledger.py``); an rrset with nothing to change still costs one read.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING, Any, cast

from ansible_collections.certops.acme.plugins.module_utils.acme import names
from ansible_collections.certops.acme.plugins.module_utils.clock import Deadline, SystemClock
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.gandi import propagation, txt_plan
from ansible_collections.certops.acme.plugins.module_utils.gandi.client import GandiApiError, RRsetConflict
from ansible_collections.certops.acme.plugins.module_utils.locks import resource_lock

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
    from contextlib import AbstractContextManager

    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock
    from ansible_collections.certops.acme.plugins.module_utils.gandi.client import GandiClient, RRset
    from ansible_collections.certops.acme.plugins.module_utils.gandi.ledger import Ledger
    from ansible_collections.certops.acme.plugins.module_utils.locks import FileLock

MAX_WRITE_ATTEMPTS = 5
# Seconds after the writes from which an rrset whose values some name server still lacks is read back
# through the API (only for rrsets written without an immediate read-back).
READ_BACK_AFTER = 5.0


@dataclasses.dataclass
class RRsetOutcome:
    key: txt_plan.RRsetKey
    values_before: tuple[str, ...]
    values_after: tuple[str, ...]
    changed: bool
    # False for an rrset written without reading it back yet.
    verified: bool = True

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
                 max_attempts: int = MAX_WRITE_ATTEMPTS, ledger: Ledger | None = None, read_back: bool = True) -> None:
        self.client = client
        self.state = state
        self.ttl = ttl
        self.ledger = ledger
        self.lock = lock or (lambda key: contextlib.nullcontext())
        self.max_attempts = max_attempts
        self.read_back = read_back

    def preview(self, key: txt_plan.RRsetKey, ours: Collection[str]) -> RRsetOutcome:
        """Read the rrset once and report the planned change without writing (check mode)."""
        plan = txt_plan.plan_rrset(key, _values(self.client.get_rrset(key)), ours, self.state, self.ledger)
        return RRsetOutcome(key, plan.before, plan.after, plan.changed)

    def apply(self, key: txt_plan.RRsetKey, ours: Collection[str]) -> RRsetOutcome:
        """Read, plan and, when needed, write under the lock; return the outcome.

        Without ``read_back`` the outcome of a write is not verified yet
        (``values_after`` is what was written): see :meth:`verify`.
        """
        with self.lock(key):
            current = self.client.get_rrset(key)
            plan = txt_plan.plan_rrset(key, _values(current), ours, self.state, self.ledger)
            if not plan.changed:
                return RRsetOutcome(key, plan.before, plan.after, False)
            if self.read_back:
                after = self._write_until_settled(plan, current, ours)
            elif self._write(plan, current):
                return RRsetOutcome(key, plan.before, plan.after, True, verified=False)
            else:
                # Someone created the rrset between the read and the create: start again from what is there.
                after = self._settle(key, ours)
            return RRsetOutcome(key, plan.before, after, True)

    def verify(self, outcome: RRsetOutcome, ours: Collection[str]) -> RRsetOutcome:
        """Read back an rrset written without read-back; re-apply the change if a writer elsewhere replaced it."""
        with self.lock(outcome.key):
            after = self._settle(outcome.key, ours)
        return dataclasses.replace(outcome, values_after=after, verified=True)

    def _settle(self, key: txt_plan.RRsetKey, ours: Collection[str]) -> tuple[str, ...]:
        """Read the rrset and write until it holds the change; the values it holds in the end."""
        current = self.client.get_rrset(key)
        plan = txt_plan.plan_rrset(key, _values(current), ours, self.state, self.ledger)
        if not plan.changed:
            return _values(current) or ()
        return self._write_until_settled(plan, current, ours)

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

    def _write(self, plan: txt_plan.RRsetPlan, current: RRset | None) -> bool:
        """One write; ``False`` when a create found the rrset already there (left to a re-read)."""
        if plan.action == txt_plan.DELETE:
            self.client.delete_rrset(plan.key)
        elif plan.action == txt_plan.CREATE:
            try:
                self.client.create_rrset(plan.key, plan.after, self.ttl)
            except RRsetConflict:
                return False
        else:
            # An existing rrset keeps its own TTL; ``ttl`` only applies to new ones.
            ttl = current.ttl if current is not None and current.ttl else self.ttl
            self.client.replace_rrset(plan.key, plan.after, ttl)
        return True


# --- zones and name servers given by the caller (gandi_zone_info's result) ------------------------

def given_zones(entries: Iterable[object], option: str = "zones") -> dict[str, list[str] | None]:
    """``{zone: [name server host names] or None}`` from the ``zones`` option.

    An entry is a zone name or a dict with ``zone`` and optionally ``nameservers``
    (the host names Gandi lists), as ``gandi_zone_info`` returns them in ``zones``.
    """
    zones: dict[str, list[str] | None] = {}
    for index, entry in enumerate(entries):
        where = "%s[%d]" % (option, index)
        hosts: Any = None
        if isinstance(entry, dict):
            zone, hosts = entry.get("zone"), entry.get("nameservers")
            if hosts is not None and (not isinstance(hosts, list)
                                      or not all(isinstance(host, str) and host.strip() for host in hosts)):
                raise InvalidInputError(where, "nameservers must be a list of name server host names")
        else:
            zone = entry
        if not isinstance(zone, str) or not zone.strip().rstrip("."):
            raise InvalidInputError(where, "must be a zone name or a dict with the key zone (as gandi_zone_info "
                                           "returns them in zones), got %r" % (entry,))
        zone = names.host_name(zone.strip().rstrip("."), where, wildcard=False)
        known = zones.get(zone)
        zones[zone] = [host.strip().rstrip(".") for host in hosts] if hosts is not None else known
    if not zones:
        raise InvalidInputError(option, "give at least one zone, or leave zones unset to list them from Gandi")
    return zones


def zone_servers(client: GandiClient, zone: str, given: list[propagation.Server] | None = None,
                 hosts: Sequence[str] | None = None) -> list[propagation.Server]:
    """The servers to check for one zone: ``given`` addresses, else its name servers (``hosts`` or read), resolved."""
    if given:
        return given
    if hosts is None:
        hosts = client.nameservers(zone)
    servers = [propagation.resolve_nameserver(host) for host in hosts]
    unresolved = [host for host, server in zip(hosts, servers) if server is None]
    if unresolved or not servers:
        raise InvalidInputError(
            "nameservers", "the name servers of %s (%s) could not be resolved to addresses (%s); set nameservers "
            "to their IP addresses" % (zone, ", ".join(hosts) or "none listed", ", ".join(unresolved) or "none"))
    return cast("list[propagation.Server]", servers)


# --- waiting for the name servers, reading back what they do not show -----------------------------

def wait_verifying(records: ChallengeRecords, outcomes: Iterable[RRsetOutcome],
                   grouped: Mapping[txt_plan.RRsetKey, Collection[str]],
                   servers_by_zone: Mapping[str, Iterable[propagation.Server]], timeout: float, interval: float,
                   read_back_after: float = READ_BACK_AFTER,
                   clock: Clock | None = None) -> tuple[float, list[RRsetOutcome]]:
    """Wait until every server answers every value; return ``(seconds, outcomes)``.

    ``grouped`` is ``{RRsetKey: values}``. An rrset written without a read-back
    whose values some server still lacks ``read_back_after`` seconds after the
    start is read back through the API (and the change re-applied when a writer
    elsewhere replaced it) once, while the wait goes on. The name servers
    answering the values stand in for the read-back of the others.
    """
    clock = clock or SystemClock()
    started = Deadline(timeout, clock)
    outcomes = list(outcomes)
    unverified = {outcome.key.fqdn: index for index, outcome in enumerate(outcomes) if not outcome.verified}

    def query(server: propagation.Server, fqdn: str, query_timeout: float) -> set[str]:
        # Only a check that is still missing values is queried again.
        if fqdn in unverified and started.elapsed() >= read_back_after:
            index = unverified.pop(fqdn)
            outcomes[index] = records.verify(outcomes[index], grouped[outcomes[index].key])
        return propagation.query_txt(server, fqdn, query_timeout)

    checks: list[propagation.Check] = []
    for zone, servers in sorted(servers_by_zone.items()):
        wanted = {key.fqdn: values for key, values in grouped.items() if key.zone == zone}
        checks.extend(propagation.build_checks(servers, wanted))
    seconds = propagation.wait_for_propagation(checks, timeout, interval, clock=clock, query=query)
    return seconds, outcomes
