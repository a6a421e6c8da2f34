#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dogecloud_certificate_info
short_description: List the certificates uploaded to the DogeCloud CDN
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - Lists the certificates of a DogeCloud account with their note, SANs, expiry, days left, key type
    and the CDN domains they are bound to.
  - Read-only; C(changed) is always V(false).
extends_documentation_fragment:
  - certops.acme.connection
  - certops.acme.dogecloud
  - certops.acme.attributes
  - certops.acme.attributes.actiongroup_dogecloud
  - certops.acme.attributes.info_module
options:
  note_prefix:
    description:
      - Only certificates whose note starts with this prefix, for example V(certops-) for the ones
        this collection uploaded.
    type: str
  ids:
    description:
      - Only the certificates with these ids.
    type: list
    elements: int
  domains:
    description:
      - Only the certificates bound to one of these CDN domains.
      - Names are checked as DNS names before any call; unicode names become A-labels.
    type: list
    elements: str
seealso:
  - module: certops.acme.dogecloud_certificate
  - module: certops.acme.dogecloud_domain_info
"""

EXAMPLES = r"""
- name: List the certificates this collection uploaded
  certops.acme.dogecloud_certificate_info:
    access_key: "{{ dogecloud_access_key }}"
    secret_key: "{{ dogecloud_secret_key }}"
    note_prefix: certops-
  register: uploads

- name: Show the ones that expire within 30 days
  ansible.builtin.debug:
    msg: "{{ uploads.certificates | selectattr('days_left', 'lt', 30) | map(attribute='note') }}"
"""

RETURN = r"""
certificates:
  description: The certificates, sorted by id.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Certificate id.
      type: int
      sample: 1042
    note:
      description: The display name of the certificate.
      type: str
      sample: certops-example.com;t=1764630000;ari=aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE
    sans:
      description: DNS names of the certificate.
      type: list
      elements: str
      sample: ["*.example.com", example.com]
    expire:
      description: Expiry (ISO 8601, UTC).
      type: str
      sample: "2026-06-01T00:00:00Z"
    expire_timestamp:
      description: Expiry in seconds since the epoch, as DogeCloud lists it.
      type: int
    days_left:
      description: Whole days until RV(certificates[].expire); negative once expired.
      type: int
    expired:
      description: Whether the certificate has expired.
      type: bool
    key_type:
      description:
        - Key type as DogeCloud reports it, in no documented spelling, for example V(ECC) or
          V(RSA-2048); V(null) when not listed.
      type: str
    key_family:
      description:
        - The key family read from RV(certificates[].key_type) by its prefix (C(EC), C(ECC),
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
      description: Number of domains using the certificate, as DogeCloud counts them.
      type: int
    domains:
      description: Names of the CDN domains bound to the certificate.
      type: list
      elements: str
      sample: [cdn.example.com]
"""

from ansible_collections.certops.acme.plugins.module_utils.acme import names
from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.facts import certificate_info
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.options import DOGECLOUD, open_client
from ansible_collections.certops.acme.plugins.module_utils.http_client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.certops.acme.plugins.module_utils.module import Library, run_module

SPEC = DOGECLOUD + ArgumentSpec(dict(
    note_prefix=dict(type="str"),
    ids=dict(type="list", elements="int"),
    domains=dict(type="list", elements="str"),
))


def run(params, context):
    bound_to = names.host_names(params["domains"], "domains")
    return certificate_info(open_client(params), SystemClock().now(), note_prefix=params["note_prefix"],
                            ids=params["ids"], bound_to=bound_to)


LIBRARIES = (Library("requests", HAS_REQUESTS, REQUESTS_IMPORT_ERROR),)


def main():
    run_module(SPEC, run, LIBRARIES)


if __name__ == "__main__":
    main()
