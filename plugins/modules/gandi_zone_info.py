#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gandi_zone_info
short_description: Find the Gandi LiveDNS zone of the DNS-01 challenge of each certificate name
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - For each certificate name, returns the C(_acme-challenge) record that a DNS-01 challenge for it
    uses, the Gandi LiveDNS zone that holds that record (the deepest zone the credential can see,
    as M(certops.acme.gandi_dns_challenge) chooses it) and the record name relative to the zone.
  - Reads the name servers of every zone found, which proves that the credential authenticates and
    may read the zone. A credential Gandi refuses (HTTP 401 or 403) fails the module with the
    reason (wrong value, wrong kind, outside its scope).
  - A name that no visible zone holds does not fail the module; its RV(names[].zone) is V(null)
    and it is listed in RV(unresolved).
  - Use it before ordering a certificate, so that a credential or zone problem shows before the CA
    is asked for anything. Read-only; C(changed) is always V(false).
extends_documentation_fragment:
  - certops.acme.gandi
  - certops.acme.connection
  - certops.acme.attributes
  - certops.acme.attributes.actiongroup_gandi
  - certops.acme.attributes.info_module
options:
  names:
    description:
      - The certificate names, like V(example.com), V(www.example.com) or V(*.example.com).
      - A wildcard uses the record of the name without C(*.).
    type: list
    elements: str
    required: true
seealso:
  - module: certops.acme.gandi_dns_challenge
  - name: Gandi LiveDNS API
    description: The API this module calls.
    link: https://api.gandi.net/docs/livedns/
"""

EXAMPLES = r"""
- name: Check that Gandi can take the DNS-01 challenges of a certificate
  certops.acme.gandi_zone_info:
    names: [example.com, "*.example.com"]
  register: gandi

- name: Fail early when a name has no zone
  ansible.builtin.assert:
    that: gandi.unresolved | length == 0
    fail_msg: "No Gandi zone holds {{ gandi.unresolved | join(', ') }}; the credential sees {{ gandi.visible_zones | join(', ') }}"
"""

RETURN = r"""
names:
  description: One entry per name, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The name, lower case, without a trailing dot.
      type: str
      sample: "*.example.com"
    fqdn:
      description: The TXT record of its DNS-01 challenge.
      type: str
      sample: _acme-challenge.example.com
    zone:
      description: The zone that holds the record; V(null) when no zone the credential can see does.
      type: str
      sample: example.com
    record:
      description: The record name relative to RV(names[].zone) (V(@) for the apex); V(null) without a zone.
      type: str
      sample: _acme-challenge
zones:
  description:
    - Each zone found, with its authoritative name servers as Gandi lists them.
    - Give it to O(certops.acme.gandi_dns_challenge#module:zones) so that the module neither lists
      the zones nor reads their name servers again.
  returned: always
  type: list
  elements: dict
  contains:
    zone:
      description: The zone.
      type: str
      sample: example.com
    nameservers:
      description: Host names of the zone's name servers.
      type: list
      elements: str
      sample: [ns-1.gandi.net, ns-2.gandi.net]
visible_zones:
  description: Every zone the credential can see.
  returned: always
  type: list
  elements: str
  sample: [example.com, example.net]
unresolved:
  description: The names whose challenge record no visible zone holds.
  returned: always
  type: list
  elements: str
  sample: []
credential_kind:
  description: The kind of credential detected from its shape.
  returned: always
  type: str
  sample: personal access token
"""

from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.gandi.options import GANDI, open_client
from ansible_collections.certops.acme.plugins.module_utils.gandi.zone_info import zone_info
from ansible_collections.certops.acme.plugins.module_utils.http_client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.certops.acme.plugins.module_utils.module import Library, run_module

SPEC = GANDI + ArgumentSpec(dict(
    names=dict(type="list", elements="str", required=True),
))


def run(params, context):
    client, warnings = open_client(params)
    result = zone_info(client, params["names"])
    result.update(changed=False, credential_kind=client.credential.kind, warnings=warnings)
    return result


LIBRARIES = (Library("requests", HAS_REQUESTS, REQUESTS_IMPORT_ERROR),)


def main():
    run_module(SPEC, run, LIBRARIES)


if __name__ == "__main__":
    main()
