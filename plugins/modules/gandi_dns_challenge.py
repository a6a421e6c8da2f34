#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gandi_dns_challenge
short_description: Publish or withdraw ACME DNS-01 TXT values in Gandi LiveDNS
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - Publishes (O(state=present)) or withdraws (O(state=absent)) the TXT values of ACME DNS-01
    challenges in Gandi LiveDNS, then waits until every authoritative name server of the zone
    answers them.
  - Never loses other people's data. Values for the same record name are merged into one rrset
    (a wildcard and its apex share C(_acme-challenge)), values already there are kept, and
    O(state=absent) removes only the given values; the rrset is deleted only when nothing else is
    left in it. TXT values are compared after stripping one pair of surrounding quotes.
  - One read per rrset when nothing changes, so a call whose values are all there already writes
    nothing and reports RV(ignore:changed=false). Otherwise one write per rrset, and a read-back of
    it (see O(read_back)); removing values left behind costs no extra call when the rrset is
    written anyway, and one write when it is the only change.
  - Finding the zone reads every page of C(GET /domains) (one call per page) once per call, unless
    O(zone) or O(zones) is set.
  - Values left behind are recovered without local state. Each value the module publishes goes
    into the rrset together with a ledger value C(certops-acme-ledger;v1;t=<time>;h=<hash>) in the
    same write, so a value of this collection is always provably its own. Whenever the module
    publishes or withdraws values in an rrset, it also removes values of this collection whose
    ledger value is older than O(stale_after) (left by a run that was killed, or by a withdrawal that kept failing),
    with their ledger values, and ledger values whose value is gone. Values without a ledger
    value are never removed unless O(state=absent) names them.
  - Concurrent writers to one rrset on one controller (forks of a play, parallel plays) are
    serialised with a lock per rrset, so they never lose each other's values. A writer elsewhere
    (another controller) that replaced the rrset meanwhile is found by reading it back after the
    write (O(read_back)), and the change is re-applied a bounded number of times.
  - Transient API faults (HTTP 429 honouring C(Retry-After), 5xx, connection resets, timeouts)
    are retried with bounded exponential backoff and jitter.
extends_documentation_fragment:
  - certops.acme.gandi
  - certops.acme.connection
  - certops.acme.attributes
  - certops.acme.attributes.actiongroup_gandi
attributes:
  check_mode:
    description: Reads the rrsets and reports the change it would make, without writing.
    support: full
  diff_mode:
    description: Returns the values of each rrset before and after.
    support: full
options:
  challenges:
    description:
      - The TXT records to publish or withdraw, one dict per challenge with the keys C(fqdn) and C(value).
      - C(fqdn) is the record name, like C(_acme-challenge.www.example.com), with or without a
        trailing dot; C(_acme-challenge.*.example.com) is read as C(_acme-challenge.example.com).
      - C(value) is the TXT value (for DNS-01, the base64url digest of the key authorization),
        quoted or not.
      - Each C(fqdn) is checked before any call. Labels are letters, digits and hyphens, and may
        start with C(_) (as C(_acme-challenge) does); C(@) is refused, since C(@.example.com) would
        write to the zone apex (give the apex by its full name). Unicode names become A-labels.
      - The C(challenges) list returned by M(certops.acme.acme_order) is accepted as is; other keys
        of an entry are ignored.
      - With O(state=absent), an entry may leave out C(value). Nothing of this run is withdrawn from
        that record then, but values of ours that earlier runs left behind (older than
        O(stale_after)) are, as with every write. A composed play passes every challenge record of
        the certificate this way, so a run whose authorizations the CA reused still clears what a
        killed run left. Such an entry costs one read, and one write only when there is something to clear.
    type: list
    elements: dict
    required: true
  zone:
    description:
      - The Gandi LiveDNS zone that holds the records, like C(example.com). It is checked as a DNS
        name before any call (a unicode name becomes its A-labels).
      - When not set, the deepest zone that the credential can see and that contains the record
        name is used (C(GET /domains) with every page of it, once per module call). When none
        matches, the module fails listing the zones the credential can see.
    type: str
  zones:
    description:
      - The zones to choose from instead of listing every zone the credential can see, so that
        C(GET /domains) is not called. The deepest zone that contains a record name is used.
      - Each entry is a zone name or a dict with the key C(zone) and optionally C(nameservers),
        the host names of the zone's name servers. The RV(certops.acme.gandi_zone_info#module:zones)
        list that M(certops.acme.gandi_zone_info) returns for the same names is accepted as is; other
        keys of an entry are ignored.
      - With C(nameservers), the propagation check uses them (resolved with the system resolver)
        instead of reading them from the Gandi API. O(nameservers) wins over them.
      - A record name outside every zone given fails the module before any call.
      - Mutually exclusive with O(zone).
    type: list
    elements: raw
  ttl:
    description:
      - TTL in seconds of an rrset the module creates. An existing rrset keeps its TTL.
      - Gandi's minimum is 300, its maximum 2592000.
    type: int
    default: 300
  state:
    description:
      - V(present) adds the values to their rrsets, V(absent) removes them (and only them).
    type: str
    choices: [present, absent]
    default: present
  read_back:
    description:
      - When an rrset is read again through the API after the module wrote it, to find a writer
        elsewhere (another controller; Gandi has no conditional writes) that replaced the rrset in
        between. When one did, the change is planned again from what is there and re-applied, up to
        5 writes.
      - V(always) reads each written rrset right after the write, one more read per write.
      - V(when_unseen) spares that read where something else verifies the write. With
        O(state=present) and O(wait=true), the propagation check verifies it, and an rrset whose
        values some authoritative name server still lacks 5 seconds after the wait began is read
        back (and re-applied when needed) once; the others are not read back at all. A publication without
        waiting is read back at once, as with V(always). With O(state=absent), nothing is read
        back; values of ours that a writer elsewhere put back are removed by a later write of the
        rrset once they are older than O(stale_after).
      - Writers on one controller are serialised by the lock whatever the choice.
    type: str
    choices: [always, when_unseen]
    default: always
  stale_after:
    description:
      - Seconds after which a value that this collection published (proved by its ledger value)
        and that this call does not publish counts as left behind by an earlier run; it is removed
        (in the same write when the rrset changes anyway) by any call that handles its rrset.
      - Keep it longer than any run may need from publication to withdrawal, since values of runs
        still in progress elsewhere (other controllers) are only protected for that long.
      - V(0) removes every value of this collection that this call does not publish; use it only
        when no other run for the same names can be in progress.
    type: int
    default: 3600
  wait:
    description:
      - With O(state=present), wait until every authoritative name server of each zone answers
        every published value. Ignored with O(state=absent) and in check mode.
    type: bool
    default: true
  propagation_timeout:
    description:
      - Seconds to wait for propagation before failing with the list of servers that lack values.
    type: float
    default: 300
  propagation_interval:
    description:
      - Seconds between two rounds of DNS queries while waiting for propagation.
    type: float
    default: 1
  nameservers:
    description:
      - Name servers to query for propagation instead of the zone's own, as V(IP) or V(IP:port)
        (V([IPv6]:port) for IPv6 with a port).
      - By default the zone's authoritative servers come from O(zones) or, when it does not list
        them, from the Gandi API, and are resolved to addresses with the system resolver.
    type: list
    elements: str
notes:
  - Writes in the quoted form Gandi returns. Values of other writers are never rewritten.
  - The controller lock lives in E(CERTOPS_ACME_LOCK_DIR) when set, else in
    E(XDG_RUNTIME_DIR)C(/certops-acme-locks), else in a per-user directory under the temporary directory.
  - Lost updates between different controllers cannot be ruled out completely, since the Gandi API
    has no conditional writes; the read-back (O(read_back)) detects them and re-applies this run's change.
seealso:
  - module: certops.acme.acme_order
  - module: certops.acme.acme_order_finalize
  - name: Gandi LiveDNS API
    description: The API this module calls.
    link: https://api.gandi.net/docs/livedns/
"""

EXAMPLES = r"""
- name: Publish the DNS-01 challenges of an order and wait for the name servers
  certops.acme.gandi_dns_challenge:
    personal_access_token: "{{ gandi_pat }}"
    challenges: "{{ certificate_order.challenges }}"
  delegate_to: localhost

- name: Publish one value in a given zone, without waiting
  certops.acme.gandi_dns_challenge:
    zone: example.com
    challenges:
      - fqdn: _acme-challenge.www.example.com
        value: 8Jk4xTQfy1S0vF6uQ2KZrcT7BfHqJmB5lAq6dUyx3Wc
    wait: false

- name: Find the zones once, before ordering
  certops.acme.gandi_zone_info:
    names: [example.com, "*.example.com", www.example.com]
  register: gandi_zones

- name: Publish in those zones without listing them again, verified by the propagation check
  certops.acme.gandi_dns_challenge:
    challenges: "{{ certificate_order.challenges }}"
    zones: "{{ gandi_zones.zones }}"
    read_back: when_unseen
  delegate_to: localhost

- name: Withdraw this run's values, leaving everyone else's
  certops.acme.gandi_dns_challenge:
    challenges: "{{ certificate_order.challenges }}"
    state: absent
  delegate_to: localhost

- name: Set the credential once for every Gandi module (token from GANDI_PERSONAL_ACCESS_TOKEN otherwise)
  module_defaults:
    group/certops.acme.gandi:
      personal_access_token: "{{ vault_gandi_pat }}"
  block:
    - name: Publish
      certops.acme.gandi_dns_challenge:
        challenges: "{{ certificate_order.challenges }}"
"""

RETURN = r"""
rrsets:
  description:
    - One entry per rrset of the call. On failure, the rrsets handled before the failure.
  returned: always
  type: list
  elements: dict
  contains:
    zone:
      description: The zone that holds the rrset.
      type: str
      sample: example.com
    name:
      description: The rrset name relative to the zone (V(@) for the apex).
      type: str
      sample: _acme-challenge.www
    fqdn:
      description: The full record name.
      type: str
      sample: _acme-challenge.www.example.com
    type:
      description: The record type.
      type: str
      sample: TXT
    values_before:
      description:
        - The values before the call, as Gandi returned them (empty when the rrset did not exist).
        - Includes the C(certops-acme-ledger) values that prove which values this collection published.
      type: list
      elements: str
      sample: ['"v=spf1 -all"']
    values_after:
      description:
        - The values after the call, as read back from Gandi (empty when the rrset was deleted).
        - For an rrset written and not read back (O(read_back=when_unseen)), the values written.
        - In check mode, the values the call would leave.
        - Includes the C(certops-acme-ledger) values that prove which values this collection published.
      type: list
      elements: str
      sample:
        - '"v=spf1 -all"'
        - '"8Jk4xTQfy1S0vF6uQ2KZrcT7BfHqJmB5lAq6dUyx3Wc"'
        - '"certops-acme-ledger;v1;t=1798761600;h=da6dccd23b77d14dc2a7d1582c711dfe"'
    changed:
      description: Whether the rrset was (or in check mode would be) written.
      type: bool
      sample: true
propagation_seconds:
  description:
    - Seconds spent waiting until every authoritative name server answered every published value.
    - V(0) when nothing was waited for (O(state=absent), O(wait=false), check mode).
  returned: always
  type: float
  sample: 2.315
"""

import time

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.certops.acme.plugins.module_utils.acme import names
from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, FailedAfterChange, InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.gandi import propagation, txt_plan
from ansible_collections.certops.acme.plugins.module_utils.gandi.challenge import (
    ChallengeRecords,
    given_zones,
    outcomes_diff,
    rrset_lock,
    wait_verifying,
    zone_servers,
)
from ansible_collections.certops.acme.plugins.module_utils.gandi.ledger import DEFAULT_STALE_AFTER, Ledger
from ansible_collections.certops.acme.plugins.module_utils.gandi.options import GANDI, open_client
from ansible_collections.certops.acme.plugins.module_utils.http_client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.certops.acme.plugins.module_utils.module import Library, run_module

MIN_TTL = 300
MAX_TTL = 2592000

SPEC = GANDI + ArgumentSpec(dict(
    challenges=dict(type="list", elements="dict", required=True),
    zone=dict(type="str"),
    zones=dict(type="list", elements="raw"),
    ttl=dict(type="int", default=300),
    stale_after=dict(type="int", default=DEFAULT_STALE_AFTER),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    read_back=dict(type="str", choices=["always", "when_unseen"], default="always"),
    wait=dict(type="bool", default=True),
    propagation_timeout=dict(type="float", default=300.0),
    propagation_interval=dict(type="float", default=1.0),
    nameservers=dict(type="list", elements="str"),
), mutually_exclusive=[("zone", "zones")])


def check_options(params):
    """Everything that can be wrong in the input fails here, before any call."""
    if not MIN_TTL <= params["ttl"] <= MAX_TTL:
        raise InvalidInputError("ttl", "must be between %d and %d seconds (Gandi's limits), got %d"
                                % (MIN_TTL, MAX_TTL, params["ttl"]))
    if params["stale_after"] < 0:
        raise InvalidInputError("stale_after", "must be 0 or a positive number of seconds, got %d"
                                % params["stale_after"])
    for option in ("propagation_timeout", "propagation_interval"):
        if params[option] <= 0:
            raise InvalidInputError(option, "must be a positive number of seconds")
    zone = names.host_name(params["zone"].strip().rstrip("."), "zone", wildcard=False) if params["zone"] else None
    zones = given_zones(params["zones"]) if params["zones"] is not None else None
    servers = [propagation.parse_nameserver(text) for text in params["nameservers"] or ()]
    wanted = txt_plan.parse_challenges(params["challenges"], allow_sweep=params["state"] == "absent")
    return wanted, zone, zones, servers


def run(params, context, now=time.time):
    wanted, zone, zones, servers = check_options(params)
    waiting = params["state"] == "present" and params["wait"] and not context.check_mode
    if waiting and not propagation.HAS_DNSPYTHON:
        raise CertopsError(missing_required_lib("dnspython"))
    client, warnings = open_client(params)
    # Zones given (or the one zone) spare the listing of every zone the credential can see.
    visible = sorted(zones) if zones is not None else [] if zone else client.zones()
    grouped = txt_plan.group_by_rrset(wanted, visible, zone, option="zones" if zones is not None else "zone")
    # Servers are found before any write, so that an unusable one fails with nothing changed.
    servers_by_zone = {name: zone_servers(client, name, servers, (zones or {}).get(name))
                       for name in sorted({key.zone for key in grouped})} if waiting else {}
    # A publication that is not waited for is read back at once: nothing else would verify it.
    read_back = params["read_back"] == "always" or (params["state"] == "present" and not waiting)
    records = ChallengeRecords(client, params["state"], params["ttl"],
                               lock=lambda key: rrset_lock(params["api_url"], key),
                               ledger=Ledger(int(now()), params["stale_after"]), read_back=read_back)
    outcomes = []
    result = dict(changed=False, rrsets=[], propagation_seconds=0.0, warnings=warnings)
    try:
        for key, values in grouped.items():
            outcomes.append(records.preview(key, values) if context.check_mode else records.apply(key, values))
            result.update(changed=any(outcome.changed for outcome in outcomes),
                          rrsets=[outcome.as_dict() for outcome in outcomes])
        if waiting:
            result["propagation_seconds"], outcomes = wait_verifying(
                records, outcomes, grouped, servers_by_zone, params["propagation_timeout"],
                params["propagation_interval"])
            result["rrsets"] = [outcome.as_dict() for outcome in outcomes]
    except CertopsError as exc:
        if result["changed"]:
            raise FailedAfterChange(exc, dict(rrsets=result["rrsets"])) from exc
        exc.details.setdefault("rrsets", result["rrsets"])
        raise
    result["diff"] = outcomes_diff(outcomes)
    return result


LIBRARIES = (Library("requests", HAS_REQUESTS, REQUESTS_IMPORT_ERROR),)


def main():
    run_module(SPEC, run, LIBRARIES)


if __name__ == "__main__":
    main()
