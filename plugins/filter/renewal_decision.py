# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: renewal_decision
short_description: Decide from the deployed certificate's facts whether a new certificate is due
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - The renewal rules of M(certops.acme.acme_order), on the controller, without a module or a call;
    a new certificate is due when there is no current one, when its names or its key family
    differ, when it has expired, or when fewer than O(renew_before_days) days are left.
  - The input is a certificate as M(certops.acme.dogecloud_domain_info) reports it
    (RV(certops.acme.dogecloud_domain_info#module:certificates[].current)), or V(null) for none.
  - Only the CA can answer for a certificate that has an ARI identifier (RFC 9773) and is not due
    for another reason; RV(_value.ask_ca) says so, and M(certops.acme.acme_order) then decides.
  - Input errors (a bad name, an unusable date) do not fail the template; RV(_value.error) says
    what is wrong, starting with the option it concerns.
options:
  _input:
    description: The current certificate (C(sans), C(expire), optional C(key_type) and C(ari_cert_id)), or V(null).
    type: dict
    required: true
  names:
    description: The names of the certificate that is wanted.
    type: list
    elements: str
    required: true
  key_type:
    description: The key type that is wanted, for example V(ec256) or V(rsa2048).
    type: str
    required: true
  renew_before_days:
    description: Renew when fewer days than this are left.
    type: int
    default: 30
  force:
    description: A new certificate is due whatever the current one.
    type: bool
    default: false
seealso:
  - module: certops.acme.acme_order
  - module: certops.acme.dogecloud_domain_info
"""

EXAMPLES = r"""
- name: Decide for www.example.com
  ansible.builtin.set_fact:
    decision: "{{ cdn.certificates[0].current | certops.acme.renewal_decision(['www.example.com'], 'ec256', 30) }}"
"""

RETURN = r"""
_value:
  description: The decision.
  type: dict
  contains:
    needs_renewal:
      description: Whether a new certificate is due, as far as the rules without the CA tell.
      type: bool
    reason:
      description: Why, in a short sentence.
      type: str
    kind:
      description: V(forced), V(mismatch), V(expired), V(due) or V(valid); V(null) with RV(_value.error).
      type: str
    ask_ca:
      description: Whether the CA's renewal information (ARI) may change the decision, so M(certops.acme.acme_order) must decide.
      type: bool
    error:
      description: V(null), or what is wrong with the input.
      type: str
"""

import datetime

from ansible.errors import AnsibleFilterError

from ansible_collections.certops.acme.plugins.module_utils.acme import names as dns_names
from ansible_collections.certops.acme.plugins.module_utils.acme import renewal
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError


def renewal_decision(current, names, key_type, renew_before_days=30, force=False, now=None):
    """The decision as a dict (see RETURN); ``now`` is for tests."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    try:
        wanted = dns_names.normalize_names(list(names or ()), "names")
        facts = current_from_facts(current)
        decision = renewal.decide(facts, wanted, key_type, int(renew_before_days), now, force=bool(force))
    except InvalidInputError as exc:
        return dict(needs_renewal=False, reason="", kind=None, ask_ca=False, error=exc.message)
    ask_ca = not force and renewal.ari_applies(facts, decision)
    return dict(needs_renewal=decision.needs_renewal, reason=decision.reason, kind=decision.kind, ask_ca=ask_ca,
                error=None)


def current_from_facts(current):
    """A :class:`renewal.CurrentCertificate` from the facts of a deployed certificate, or ``None``."""
    if not current:
        return None
    if not isinstance(current, dict) or not current.get("sans") or not current.get("expire"):
        raise AnsibleFilterError("renewal_decision: the input must be a certificate with sans and expire, "
                                 "or null; got %r" % (current,))
    sans = [dns_names.host_name(name, "current_sans") for name in current["sans"]]
    return renewal.current_from_facts(sans, current["expire"], current.get("key_type") or None,
                                      ari_id=current.get("ari_cert_id") or None)


class FilterModule:
    def filters(self):
        return {"renewal_decision": renewal_decision}
