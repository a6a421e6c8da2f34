#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: tls_endpoint_info
short_description: Read the certificate a TLS endpoint serves for a name (SNI)
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - Connects to a TLS endpoint, sends O(server_name) as SNI, and returns the
    facts of the certificate it serves.
  - With O(expected_fingerprint), polls until the endpoint serves that
    certificate or O(wait_timeout) passes, for example to confirm that a CDN
    edge serves a freshly bound certificate.
  - Read-only; C(changed) is always V(false).
extends_documentation_fragment:
  - certops.acme.connection
  - certops.acme.attributes
  - certops.acme.attributes.info_module
options:
  server_name:
    description:
      - The host name sent as SNI and, when O(validate_certs=true), checked
        against the certificate.
    type: str
    required: true
  address:
    description:
      - Where to connect, as V(host), V(host:port) or V([IPv6]:port), instead
        of resolving O(server_name).
      - Lets a test point a CDN name at a lab edge without touching DNS.
    type: str
  port:
    description:
      - The port to connect to when O(address) has none.
    type: int
    default: 443
  expected_fingerprint:
    description:
      - SHA-256 fingerprint of the certificate the endpoint should serve
        (hex, colons allowed).
      - When set, the module polls until the endpoint serves it and fails
        when O(wait_timeout) passes first.
    type: str
  wait_timeout:
    description:
      - Seconds to keep trying until a handshake succeeds (and serves
        O(expected_fingerprint) when set). V(0) makes a single attempt.
    type: float
    default: 0
  interval:
    description:
      - Seconds between two attempts while waiting.
    type: float
    default: 1
requirements:
  - cryptography
notes:
  - O(ca_path) is the CA bundle that the endpoint's certificate must chain
    to, for example the root of the CA that issued it.
  - O(timeout) bounds each connection attempt.
seealso:
  - module: certops.acme.dogecloud_certificate
"""

EXAMPLES = r"""
- name: Wait until the CDN edge serves the new certificate
  certops.acme.tls_endpoint_info:
    server_name: cdn.example.com
    expected_fingerprint: "{{ issued.fingerprint_sha256 }}"
    wait_timeout: 120

- name: Read what a lab edge serves for a name, trusting the issuing CA's root
  certops.acme.tls_endpoint_info:
    server_name: cdn.example.test
    address: 127.0.0.1:8443
    ca_path: /tmp/pebble-root.pem
  register: edge
"""

RETURN = r"""
certificate:
  description: Facts of the leaf certificate the endpoint served.
  returned: success
  type: dict
  contains:
    sans:
      description: DNS names of the subject alternative name extension.
      type: list
      elements: str
      sample: [example.com, "*.example.com"]
    subject:
      description: Common name of the subject (or the whole subject).
      type: str
    issuer:
      description: Common name of the issuer (or the whole issuer).
      type: str
    serial:
      description: Serial number in lower-case hex.
      type: str
    not_before:
      description: Start of validity (ISO 8601, UTC).
      type: str
    not_after:
      description: End of validity (ISO 8601, UTC).
      type: str
      sample: "2026-04-01T12:00:00Z"
    days_left:
      description: Whole days until RV(certificate.not_after).
      type: int
    fingerprint_sha256:
      description: SHA-256 fingerprint of the certificate, lower-case hex.
      type: str
    key_type:
      description: Kind and size of the public key, for example V(ec256) or V(rsa2048).
      type: str
verified:
  description: Whether the chain and the host name were verified during the handshake.
  returned: success
  type: bool
matches_expected:
  description:
    - Whether the served certificate has O(expected_fingerprint); V(null)
      when no fingerprint was given.
  returned: success
  type: bool
attempts:
  description: Handshakes made.
  returned: success
  type: int
elapsed_seconds:
  description: Seconds spent waiting.
  returned: success
  type: float
address:
  description: The V(host:port) the module connected to.
  returned: success
  type: str
  sample: 127.0.0.1:8443
server_name:
  description: The name sent as SNI.
  returned: success
  type: str
"""

from ansible_collections.certops.acme.plugins.module_utils.argspec import CONNECTION, ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.module import Library, run_module
from ansible_collections.certops.acme.plugins.module_utils.pem import CRYPTOGRAPHY_IMPORT_ERROR, HAS_CRYPTOGRAPHY
from ansible_collections.certops.acme.plugins.module_utils.tls_probe import (
    TlsProbe, client_context, normalise_fingerprint, parse_address,
)

SPEC = CONNECTION + ArgumentSpec(dict(
    server_name=dict(type="str", required=True),
    address=dict(type="str"),
    port=dict(type="int", default=443),
    expected_fingerprint=dict(type="str"),
    wait_timeout=dict(type="float", default=0),
    interval=dict(type="float", default=1),
))


def run(params, context):
    host, port = parse_address(params["address"] or params["server_name"], params["port"])
    expected = normalise_fingerprint(params["expected_fingerprint"]) if params["expected_fingerprint"] else None
    tls_context = client_context(params["validate_certs"], params["ca_path"])
    probe = TlsProbe(params["server_name"], host, port, tls_context, params["timeout"])
    result = probe.wait(expected, max(params["wait_timeout"], 0.0), max(params["interval"], 0.1))
    return dict(result, changed=False, verified=params["validate_certs"], address=probe.address,
                server_name=params["server_name"])


LIBRARIES = (Library("cryptography", HAS_CRYPTOGRAPHY, CRYPTOGRAPHY_IMPORT_ERROR),)


def main():
    run_module(SPEC, run, LIBRARIES)


if __name__ == "__main__":
    main()
