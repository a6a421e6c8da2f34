# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure planning of DNS-01 TXT changes: which rrsets, and what to write in each.

Nothing here does I/O. The rules: values of one name are merged into one rrset,
values of other writers are kept verbatim, TXT values are compared after
stripping one pair of surrounding quotes, and an rrset is only deleted when
nothing else is left in it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.acme import names
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.gandi import ledger as ledger_

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping, Sequence

TXT = "TXT"
APEX = "@"
ACME_LABEL = "_acme-challenge"

NOOP = "none"
CREATE = "create"
REPLACE = "replace"
DELETE = "delete"


def unquote(value: str) -> str:
    """A TXT value without one pair of surrounding double quotes."""
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    return value


def quote(value: str) -> str:
    """The quoted form Gandi returns, for values this module writes."""
    return '"%s"' % unquote(value)


def normalize_fqdn(name: str) -> str:
    """Lower case, no trailing dot, and no wildcard label after ``_acme-challenge``.

    The record for ``*.example.com`` is ``_acme-challenge.example.com``, the
    same as for ``example.com``; accept the wildcard spelling too.
    """
    name = name.strip().rstrip(".").lower()
    prefix = ACME_LABEL + ".*."
    if name.startswith(prefix):
        name = ACME_LABEL + "." + name[len(prefix):]
    return name


def parse_challenges(challenges: Sequence[Any], option: str = "challenges", allow_sweep: bool = False) -> dict[str, list[str]]:
    """``{fqdn: [value, ...]}`` (unquoted, order kept, no duplicates) from the option.

    Entries are dicts with at least ``fqdn`` and ``value``; extra keys (such as
    the ``identifier`` that ``acme_order`` returns) are ignored. With
    ``allow_sweep`` (withdrawal) an entry may leave out ``value``: its record
    is then only swept of values of ours that earlier runs left behind.
    """
    if not challenges:
        raise InvalidInputError(option, "give at least one {fqdn, value} entry")
    wanted: dict[str, list[str]] = {}
    for index, entry in enumerate(challenges):
        fqdn, value = _challenge_entry(entry, "%s[%d]" % (option, index), allow_sweep)
        values = wanted.setdefault(fqdn, [])
        if value is not None and value not in values:
            values.append(value)
    return wanted


def _challenge_entry(entry: object, where: str, allow_sweep: bool = False) -> tuple[str, str | None]:
    if not isinstance(entry, dict):
        raise InvalidInputError(where, "must be a dict with the keys fqdn and value, got %s" % type(entry).__name__)
    fqdn, value = entry.get("fqdn"), entry.get("value")
    if not isinstance(fqdn, str) or not normalize_fqdn(fqdn):
        raise InvalidInputError(where, "fqdn must be the record name, like _acme-challenge.www.example.com")
    name = names.record_name(normalize_fqdn(fqdn), where)
    if value is None and allow_sweep:
        return name, None
    if not isinstance(value, str) or not unquote(value.strip()):
        raise InvalidInputError(where, "value must be the non-empty TXT value (the key authorization digest)")
    return name, unquote(value.strip())


def is_within(name: str, zone: str) -> bool:
    return name == zone or name.endswith("." + zone)


def deepest_zone(name: str, zones: Iterable[str]) -> str | None:
    """The longest zone among ``zones`` that contains ``name``, or ``None``."""
    matches = [zone for zone in zones if is_within(name, zone)]
    return max(matches, key=len) if matches else None


def relative_name(name: str, zone: str) -> str:
    """The rrset name Gandi expects: relative to the zone, ``@`` for the apex."""
    if name == zone:
        return APEX
    return name[:-len(zone) - 1]


@dataclasses.dataclass(frozen=True)
class RRsetKey:
    zone: str
    name: str
    type: str = TXT

    @property
    def fqdn(self) -> str:
        return self.zone if self.name == APEX else "%s.%s" % (self.name, self.zone)


def group_by_rrset(wanted: Mapping[str, Sequence[str]], zones: Collection[str], zone: str | None = None,
                   option: str = "zone") -> dict[RRsetKey, list[str]]:
    """``{RRsetKey: [values]}`` for the wanted ``{fqdn: values}``.

    ``zone`` forces the zone; otherwise the deepest of ``zones`` (the ones the
    credential can see) is used. Names outside every zone fail, listing them.
    """
    grouped: dict[RRsetKey, list[str]] = {}
    for fqdn, values in wanted.items():
        owner = _zone_of(fqdn, zones, zone, option)
        key = RRsetKey(owner, relative_name(fqdn, owner))
        merged = grouped.setdefault(key, [])
        merged.extend(value for value in values if value not in merged)
    return grouped


def _zone_of(fqdn: str, zones: Collection[str], zone: str | None, option: str) -> str:
    if zone:
        zone = normalize_fqdn(zone)
        if not is_within(fqdn, zone):
            raise InvalidInputError(option, "the record %s is not inside the zone %s; fix zone or leave it unset to "
                                            "find the zone automatically" % (fqdn, zone))
        return zone
    found = deepest_zone(fqdn, zones)
    if found is None and option == "zones":
        raise InvalidInputError(
            option, "none of the zones given contains %s (given: %s). Give the zones that gandi_zone_info returns "
                    "for the same names, or leave zones unset to find the zone among every zone the credential "
                    "can see." % (fqdn, ", ".join(sorted(zones))))
    if found is None:
        raise InvalidInputError(
            option, "no zone that this Gandi credential can manage contains %s. Zones it can see: %s. Use a "
                    "credential with rights on the domain (a personal access token is limited to the "
                    "organisation and domains chosen when it was created), or set zone."
                    % (fqdn, ", ".join(sorted(zones)) or "none"))
    return found


@dataclasses.dataclass(frozen=True)
class RRsetPlan:
    """What to do with one rrset; an empty ``after`` means the rrset is deleted."""

    key: RRsetKey
    before: tuple[str, ...]
    after: tuple[str, ...]
    action: str

    @property
    def changed(self) -> bool:
        return self.action != NOOP


def plan_rrset(key: RRsetKey, existing: Sequence[str] | None, ours: Collection[str], state: str,
               ledger: ledger_.Ledger | None = None) -> RRsetPlan:
    """Plan one rrset from its current values (``None``: it does not exist).

    ``present`` adds our values that are missing (quoted, as Gandi returns
    them) after the existing ones; ``absent`` removes ours and keeps the rest.
    Existing values are kept verbatim.

    With a :class:`~.ledger.Ledger`, each value of ours goes in with its
    marker (a missing or stale marker of a value being published is renewed),
    values of ours whose marker is stale are removed with their markers, and
    markers whose value is gone are removed. Values without a marker are
    never removed unless they are among ``ours`` with ``absent``.
    """
    before = tuple(existing) if existing is not None else ()
    if ledger is None:
        present = {unquote(value) for value in before}
        mine = {unquote(value) for value in ours}
        if state == "present":
            after = before + tuple(quote(value) for value in _unique(ours) if unquote(value) not in present)
        else:
            after = tuple(value for value in before if unquote(value) not in mine)
    else:
        after = _plan_with_ledger(before, ours, state, ledger)
    return RRsetPlan(key, before, after, _action(existing is not None, before, after))


def _plan_with_ledger(before: tuple[str, ...], ours: Collection[str], state: str, ledger: ledger_.Ledger) -> tuple[str, ...]:
    mine = _unique(ours)
    mine_hashes = {ledger_.value_hash(value): value for value in mine}
    newest = ledger.newest(before)
    stale = ledger.stale_hashes(before)

    def left_behind(value: str) -> bool:
        digest = ledger_.value_hash(value)
        return digest in stale and digest not in mine_hashes

    plain = [value for value in before if not ledger_.is_marker(value)]
    if state == "present":
        kept = [value for value in plain if not left_behind(value)]
    else:
        kept = [value for value in plain if not left_behind(value) and unquote(value) not in mine]
    present = {unquote(value) for value in kept}
    added = [value for value in mine if state == "present" and value not in present]
    kept_hashes = {ledger_.value_hash(value) for value in kept}
    # Values of ours kept by a publication whose marker is missing or stale get a fresh one.
    renewed = {digest for digest, value in mine_hashes.items()
               if state == "present" and value in present
               and (digest not in newest or ledger.is_stale(newest[digest]))}
    after = []
    for value in before:
        parsed = ledger_.parse_marker(value)
        if parsed is None:
            if value in kept:
                after.append(value)
        elif parsed[1] in kept_hashes and parsed[1] not in renewed:
            after.append(value)
    after.extend(quote(ledger.marker(mine_hashes[digest])) for digest in sorted(renewed))
    for value in added:
        after.extend((quote(value), quote(ledger.marker(value))))
    return tuple(after)


def _unique(values: Iterable[str]) -> list[str]:
    seen = []
    for value in values:
        if unquote(value) not in seen:
            seen.append(unquote(value))
    return seen


def _action(exists: bool, before: tuple[str, ...], after: tuple[str, ...]) -> str:
    if after == before:
        return NOOP
    if not after:
        return DELETE
    return REPLACE if exists else CREATE


def diff(changes: Collection[tuple[RRsetKey, Sequence[str], Sequence[str]]]) -> dict[str, dict[str, list[str]]]:
    """Diff mode: ``{before, after}`` values per rrset from ``(key, before, after)`` triples."""
    return {
        "before": {_diff_key(key): list(before) for key, before, _after in changes},
        "after": {_diff_key(key): list(after) for key, _before, after in changes},
    }


def _diff_key(key: RRsetKey) -> str:
    return "%s %s" % (key.fqdn, key.type)
