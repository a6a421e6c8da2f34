#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dogecloud_domain_info
short_description: List DogeCloud CDN domains with the certificate bound to each
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - Lists the CDN domains of a DogeCloud account with their status and the certificate bound to
    each (its SANs, expiry, days left and key type).
  - This is the deployed state a renewal is decided from, without any local file, for example in
    a throw-away AWX container.
  - Read-only; C(changed) is always V(false).
extends_documentation_fragment:
  - certops.acme.connection
  - certops.acme.dogecloud
  - certops.acme.attributes
  - certops.acme.attributes.actiongroup_dogecloud
  - certops.acme.attributes.info_module
options:
  domains:
    description:
      - Only these CDN domains. A name that is not a CDN domain of the account fails the module.
      - Names are checked as DNS names before any call; unicode names become A-labels.
    type: list
    elements: str
  covered_by:
    description:
      - Only the CDN domains that one of these certificate names covers (C(*.example.com) covers
        C(cdn.example.com) but not C(example.com) nor C(a.b.example.com)).
      - The domains that M(certops.acme.dogecloud_certificate) with O(certops.acme.dogecloud_certificate#module:bind=auto)
        would bind a certificate for these names to, offline ones included (see RV(domains[].online)).
      - Checked as certificate names before any call, like O(certops.acme.acme_order#module:names).
    type: list
    elements: str
seealso:
  - module: certops.acme.dogecloud_certificate
  - module: certops.acme.dogecloud_certificate_info
"""

EXAMPLES = r"""
- name: Read what cdn.example.com serves
  certops.acme.dogecloud_domain_info:
    access_key: "{{ dogecloud_access_key }}"
    secret_key: "{{ dogecloud_secret_key }}"
    domains: [cdn.example.com]
  register: cdn

- name: Renew when the bound certificate expires within 30 days or is missing
  ansible.builtin.set_fact:
    renewal_due: >-
      {{ cdn.domains[0].certificate is none or cdn.domains[0].certificate.days_left < 30 }}

- name: The online CDN domains a certificate for example.com and *.example.com would serve
  certops.acme.dogecloud_domain_info:
    covered_by: [example.com, "*.example.com"]
  register: covered

- name: Show them
  ansible.builtin.debug:
    msg: "{{ covered.domains | selectattr('online') | map(attribute='name') | list }}"
"""

RETURN = r"""
domains:
  description: The CDN domains, in the order DogeCloud lists them.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Domain id.
      type: int
      sample: 3001
    name:
      description: Domain name.
      type: str
      sample: cdn.example.com
    status:
      description: Domain status as DogeCloud reports it, for example V(online) or V(offline).
      type: str
    online:
      description: Whether RV(domains[].status) is V(online).
      type: bool
    cert_id:
      description: Id of the bound certificate; V(0) when none is bound.
      type: int
    certificate:
      description: The bound certificate; V(null) when none is bound.
      type: dict
      contains:
        id:
          description: Certificate id.
          type: int
        note:
          description: The display name of the certificate.
          type: str
        sans:
          description: DNS names of the certificate.
          type: list
          elements: str
        expire:
          description: Expiry (ISO 8601, UTC).
          type: str
        expire_timestamp:
          description: Expiry in seconds since the epoch.
          type: int
        days_left:
          description: Whole days until the expiry; negative once expired.
          type: int
        expired:
          description: Whether the certificate has expired.
          type: bool
        key_type:
          description:
            - Key type as DogeCloud reports it, in no documented spelling, for example V(ECC),
              V(RSA-2048) or V(ecc).
          type: str
        key_family:
          description:
            - The key family read from RV(domains[].certificate.key_type) by its prefix (C(EC), C(ECC),
              C(ECDSA) or C(RSA), any case, any suffix such as a curve or a size), V(ec) or V(rsa).
            - V(null) when the reported type names no family (empty, missing or unknown); the
              module then warns, once for all such certificates.
          type: str
          sample: ec
        ari_cert_id:
          description:
            - The RFC 9773 (ARI) certificate identifier of the certificate, base64url of its Authority Key
              Identifier, a dot and base64url of its serial number, as the note written by
              M(certops.acme.dogecloud_certificate) records it.
            - V(null) when the note carries none (an upload made otherwise, or a certificate without an
              Authority Key Identifier).
          type: str
          sample: aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE
        domain_count:
          description: Number of domains using the certificate.
          type: int
        domains:
          description: Names of all CDN domains bound to the certificate.
          type: list
          elements: str
"""

from ansible.module_utils.basic import AnsibleModule, env_fallback

from ansible_collections.certops.acme.plugins.module_utils.acme import names
from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.http_client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.facts import domain_infos, unknown_key_type_warning
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.options import build_client, credential_argument_spec
from ansible_collections.certops.acme.plugins.module_utils.module import (
    connection_argument_spec, failing_on_errors, http_client_options, require_library,
)


def argument_spec():
    spec = credential_argument_spec(env_fallback)
    spec.update(connection_argument_spec())
    spec.update(domains=dict(type="list", elements="str"), covered_by=dict(type="list", elements="str"))
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    require_library(module, HAS_REQUESTS, "requests", REQUESTS_IMPORT_ERROR)
    params = module.params
    with failing_on_errors(module, changed=False):
        wanted = names.host_names(params["domains"], "domains")
        covered_by = names.certificate_names(params["covered_by"], "covered_by")
        client = build_client(params, http_client_options(params))
        domains = domain_infos(client.list_domains(), client.list_certificates(), SystemClock().now(),
                               names=wanted, covered_by=covered_by)
    warning = unknown_key_type_warning([domain["certificate"] for domain in domains])
    if warning:
        module.warn(warning)
    module.exit_json(changed=False, domains=domains)


if __name__ == "__main__":
    main()
