# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the DNS-01 challenges of certificate names would be written: read only.

For each name, the ``_acme-challenge`` record, the deepest Gandi zone the
credential can see that holds it, and the record name relative to that zone.
Each zone found is read once (its name servers), which proves the credential
may read it. Nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.gandi import txt_plan

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ansible_collections.certops.acme.plugins.module_utils.gandi.client import GandiClient


def challenge_record(name: object, option: str = "names") -> str:
    """The ``_acme-challenge`` record of a certificate name (``*.`` dropped), lower case."""
    if not isinstance(name, str) or not name.strip().rstrip("."):
        raise InvalidInputError(option, "every entry must be a non-empty DNS name, got %r" % (name,))
    base = name.strip().rstrip(".").lower()
    if base.startswith("*."):
        base = base[2:]
    labels = base.split(".")
    if "*" in base or any(not label or " " in label for label in labels):
        raise InvalidInputError(option, "%r is not a DNS name (a wildcard is only allowed as the first label)" % name)
    return "%s.%s" % (txt_plan.ACME_LABEL, base)


def zone_info(client: GandiClient, names: Iterable[str]) -> dict[str, Any]:
    """``{"names": [...], "zones": [...], "unresolved": [...]}`` for the certificate ``names``.

    ``names`` entries: ``name``, ``fqdn`` (the challenge record), ``zone`` and
    ``record`` (relative to the zone), both ``None`` when no visible zone holds
    the record. ``zones``: each zone found with its name servers.
    """
    records = [(name.strip().rstrip(".").lower(), challenge_record(name)) for name in names]
    if not records:
        raise InvalidInputError("names", "give at least one name")
    visible = client.zones()
    entries = []
    for name, fqdn in records:
        zone = txt_plan.deepest_zone(fqdn, visible)
        entries.append(dict(name=name, fqdn=fqdn, zone=zone,
                            record=txt_plan.relative_name(fqdn, zone) if zone else None))
    zones = [dict(zone=zone, nameservers=client.nameservers(zone))
             for zone in sorted({entry["zone"] for entry in entries if entry["zone"]})]
    return dict(names=entries, zones=zones, visible_zones=list(visible),
                unresolved=[entry["name"] for entry in entries if entry["zone"] is None])
