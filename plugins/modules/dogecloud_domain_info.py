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
  certificates:
    description:
      - Answer for many certificates with one read of the account (two API calls, whatever their number);
        for each, the CDN domains that would serve it (RV(certificates[].targets)) and the certificate
        those domains serve now (RV(certificates[].current)).
      - A certificate whose input is wrong (a bad name, a CDN domain the account does not have) gets
        RV(certificates[].error) and does not fail the module nor the other certificates.
      - Mutually exclusive with O(domains) and O(covered_by). With it, RV(domains) lists every CDN
        domain of the account.
    type: list
    elements: dict
    suboptions:
      id:
        description: A key of the caller's choice, returned as RV(certificates[].id).
        type: str
        required: true
      domains:
        description:
          - The CDN domains of the certificate, by name; all of them are targets, offline or not.
        type: list
        elements: str
      covered_by:
        description:
          - The names of the certificate; the online CDN domains they cover are the targets, as
            M(certops.acme.dogecloud_certificate) with O(certops.acme.dogecloud_certificate#module:bind=auto)
            chooses them. Mutually exclusive with O(certificates[].domains).
        type: list
        elements: str
      names:
        description:
          - With O(certificates[].domains), the names of the certificate; RV(certificates[].uncovered)
            then lists the CDN domains that none of them covers (C(*.example.com) covers one label),
            where the CDN could not serve the certificate.
          - Checked as certificate names, like O(certificates[].covered_by). Mutually exclusive with
            O(certificates[].covered_by), which only picks covered domains.
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

- name: Targets and current certificate of two certificates, with one read
  certops.acme.dogecloud_domain_info:
    certificates:
      - id: site
        covered_by: [example.com, "*.example.com"]
      - id: shop
        domains: [shop.example.net]
        # uncovered: the domains these names do not cover
        names: [shop.example.net, www.example.net]
  register: cdn_views

- name: Renew the certificates that no CDN domain serves yet
  ansible.builtin.debug:
    msg: "{{ cdn_views.certificates | selectattr('current', 'none') | map(attribute='id') | list }}"
"""

RETURN = r"""
certificates:
  description: With O(certificates), one entry per certificate, in the order given.
  returned: when O(certificates) is given
  type: list
  elements: dict
  contains:
    id:
      description: The O(certificates[].id) given.
      type: str
    targets:
      description:
        - The CDN domains that would serve the certificate, sorted, that is those named in
          O(certificates[].domains), or the online ones O(certificates[].covered_by) covers.
      type: list
      elements: str
    domains:
      description:
        - The candidate CDN domains, each as in RV(domains), that is the named ones, or every one the names
          cover, offline ones included.
      type: list
      elements: dict
    current:
      description:
        - The certificate bound on every one of RV(certificates[].targets), as in
          RV(domains[].certificate).
        - V(null) when there is no target, when a target has no certificate, or when the targets
          serve different certificates.
      type: dict
    uncovered:
      description:
        - The RV(certificates[].targets) that no name in O(certificates[].names) covers, sorted;
          empty when the names cover them all.
      type: list
      elements: str
      returned: when O(certificates[].names) is given and the input of the certificate is right
    error:
      description:
        - V(null), or why the input of this certificate is wrong, starting with the option it
          concerns (V(domains) or V(names), the latter for O(certificates[].covered_by) and
          O(certificates[].names)).
      type: str
domains:
  description:
    - The CDN domains, in the order DogeCloud lists them.
    - With O(certificates), every CDN domain of the account.
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

from ansible_collections.certops.acme.plugins.module_utils.acme import names
from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.facts import (
    certificate_views, domain_infos, unknown_key_type_warning,
)
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.options import DOGECLOUD, open_client
from ansible_collections.certops.acme.plugins.module_utils.http_client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.certops.acme.plugins.module_utils.module import Library, run_module

SPEC = DOGECLOUD + ArgumentSpec(
    dict(
        domains=dict(type="list", elements="str"),
        covered_by=dict(type="list", elements="str"),
        certificates=dict(type="list", elements="dict", options=dict(
            id=dict(type="str", required=True),
            domains=dict(type="list", elements="str"),
            covered_by=dict(type="list", elements="str"),
            names=dict(type="list", elements="str"),
        ), mutually_exclusive=[("domains", "covered_by"), ("names", "covered_by")]),
    ),
    mutually_exclusive=[("certificates", "domains"), ("certificates", "covered_by")],
)


def run(params, context):
    requests = params["certificates"]
    if requests is None:
        wanted = names.host_names(params["domains"], "domains")
        covered_by = names.certificate_names(params["covered_by"], "covered_by")
    client = open_client(params)
    listed, certs, now = client.list_domains(), client.list_certificates(), SystemClock().now()
    if requests is None:
        result = dict(domains=domain_infos(listed, certs, now, names=wanted, covered_by=covered_by))
        considered = result["domains"]
    else:
        views = certificate_views(listed, certs, now, requests)
        result = dict(domains=domain_infos(listed, certs, now), certificates=views)
        considered = [domain for view in views for domain in view["domains"]]
    warning = unknown_key_type_warning([domain["certificate"] for domain in considered])
    result.update(changed=False, warnings=[warning] if warning else [])
    return result


LIBRARIES = (Library("requests", HAS_REQUESTS, REQUESTS_IMPORT_ERROR),)


def main():
    run_module(SPEC, run, LIBRARIES)


if __name__ == "__main__":
    main()
