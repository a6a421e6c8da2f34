#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: acme_order_finalize
short_description: Answer an ACME order's DNS-01 challenges, finalize it and fetch the certificate
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - Completes an order created by M(certops.acme.acme_order) once its DNS-01 TXT records are
    published (for example with M(certops.acme.gandi_dns_challenge)).
  - Answers every pending dns-01 challenge, then polls the order (one read per round, intervals
    from 1 s growing to 5 s, or the CA's C(Retry-After)) until its certificate is issued.
  - Fails fast, without waiting for O(wait_timeout), when the order or an authorization turns
    invalid or a challenge carries an error (with the CA's problem detail per identifier, for
    example a wrong TXT value or NXDOMAIN), and when the order stays pending with no change in
    its authorizations for O(progress_timeout) seconds (a CA that leaves a failed validation
    pending without an error), naming each authorization still waiting and what was seen.
    While the order is pending, its authorizations are read again every 5 s to see such errors.
  - When validation fails or times out, deactivates the order's pending authorizations
    (RFC 8555 section 7.5.2), best effort, so that they are not reused; the failure's
    C(details.deactivated) and C(details.not_deactivated) list them.
  - Finalizes the order with a CSR made from O(private_key_path) for the order's names, and
    downloads the certificate and, with O(preferred_chain), the alternate chains.
  - Writes the certificate, the chain and the full chain to the paths given, by atomic rename,
    with mode C(0644). A file that already has the content is left untouched.
  - Returns the PEMs (never the private key) and the facts of the certificate.
  - Run on an order that is already valid, downloads its certificate again and only writes
    files that differ; RV(ignore:changed) is then V(false) when nothing was written.
extends_documentation_fragment:
  - certops.acme.acme
  - certops.acme.connection
  - certops.acme.attributes
  - certops.acme.attributes.actiongroup_acme
attributes:
  check_mode:
    description:
      - Reads the order and reports that it would answer and finalize it; for an order that is
        already valid, downloads the certificate and reports which files would change.
    support: full
  diff_mode:
    description: Does not return a diff; RV(files) tells which files changed.
    support: none
options:
  order_uri:
    description:
      - The URL of the order (RV(certops.acme.acme_order#module:order_uri) of M(certops.acme.acme_order)).
      - The account key must be the one that created the order.
    type: str
    required: true
  private_key_path:
    description:
      - The private key of the certificate, written by M(certops.acme.acme_order). The CSR is
        made from it; it is never returned.
    type: path
    required: true
  certificate_path:
    description:
      - Where to write the certificate alone (PEM, mode C(0644)).
    type: path
  chain_path:
    description:
      - Where to write the intermediate certificates (PEM, mode C(0644)).
    type: path
  fullchain_path:
    description:
      - Where to write the certificate followed by the intermediates (PEM, mode C(0644)).
    type: path
  backup:
    description:
      - Before replacing a file with different content, copy it next to itself as
        C(<path>.<UTC timestamp>~).
    type: bool
    default: false
  preferred_chain:
    description:
      - The common name of the issuer at the top of the chain to prefer, when the CA offers
        alternate chains (for example C(ISRG Root X1)). The top certificate's subject also
        matches, for chains that include their root.
      - When no chain matches, the default chain is used with a warning listing the issuers offered.
    type: str
  wait_timeout:
    description:
      - Seconds to wait for validation and issuance together before failing.
    type: float
    default: 120
  progress_timeout:
    description:
      - Seconds the order may stay pending with no change in its authorizations and challenges
        before the module gives up on it as stuck (capped by O(wait_timeout)).
      - Validation of a published TXT record normally takes seconds; raise it for a CA that is
        known to queue validations.
    type: float
    default: 60
  challenges:
    description:
      - The challenges of the order as RV(certops.acme.acme_order#module:challenges) of M(certops.acme.acme_order)
        returned them (each with its C(url) and C(identifier)). The pending ones are answered at once, without
        reading the order's authorizations first; an empty list answers none (the CA reused the authorizations).
      - When not given, the order is read and, while it is pending, each of its authorizations once to find the
        dns-01 challenges to answer.
    type: list
    elements: dict
  account_uri:
    description:
      - The URL of the ACME account of the account key, as RV(certops.acme.acme_account#module:account_uri) of
        M(certops.acme.acme_account) returned it. When given, the account is not looked up (one request fewer).
    type: str
seealso:
  - module: certops.acme.acme_order
  - module: certops.acme.gandi_dns_challenge
  - module: certops.acme.dogecloud_certificate
"""

EXAMPLES = r"""
- name: Finalize the order and write the files
  certops.acme.acme_order_finalize:
    directory: https://acme-v02.api.letsencrypt.org/directory
    account_key_path: /etc/certops/acme-account.key
    order_uri: "{{ certificate_order.order_uri }}"
    private_key_path: /etc/certops/example.com/next.key
    fullchain_path: /etc/certops/example.com/fullchain.pem
    chain_path: /etc/certops/example.com/chain.pem
    certificate_path: /etc/certops/example.com/cert.pem
    preferred_chain: ISRG Root X1
  delegate_to: localhost
  when: certificate_order.needs_renewal
  register: issued

- name: Show when the new certificate expires
  ansible.builtin.debug:
    msg: "{{ issued.sans | join(', ') }} valid until {{ issued.not_after }}"
  when: issued is not skipped
"""

RETURN = r"""
issued:
  description: Whether this run finalized the order (V(false) when it was already valid).
  returned: always
  type: bool
  sample: true
order_uri:
  description: The URL of the order.
  returned: always
  type: str
  sample: https://acme-v02.api.letsencrypt.org/acme/order/123456789/987654321
order_status:
  description: The status of the order at the end of the run.
  returned: always
  type: str
  sample: valid
answered:
  description: The identifiers whose dns-01 challenge this run answered.
  returned: always
  type: list
  elements: str
  sample: ["example.com", "*.example.com"]
certificate:
  description: The certificate (PEM).
  returned: success and not check_mode
  type: str
chain:
  description: The intermediate certificates of the chosen chain (PEM).
  returned: success and not check_mode
  type: str
fullchain:
  description: The certificate followed by the chain (PEM).
  returned: success and not check_mode
  type: str
files:
  description: For each path written (or in check mode that would be), whether it changed and the backup made.
  returned: success and not check_mode
  type: dict
  sample: {"/etc/certops/example.com/fullchain.pem": {"changed": true, "backup": null}}
sans:
  description: The DNS names of the certificate.
  returned: success and not check_mode
  type: list
  elements: str
  sample: ["example.com", "*.example.com"]
subject:
  description: The common name of the certificate's subject.
  returned: success and not check_mode
  type: str
  sample: example.com
issuer:
  description: The common name of the certificate's issuer.
  returned: success and not check_mode
  type: str
  sample: R11
serial:
  description: The serial number, in lower-case hexadecimal.
  returned: success and not check_mode
  type: str
  sample: 4a3b2c1d0e
not_before:
  description: Start of validity (UTC, ISO 8601).
  returned: success and not check_mode
  type: str
  sample: "2026-03-01T12:00:00Z"
not_after:
  description: End of validity (UTC, ISO 8601).
  returned: success and not check_mode
  type: str
  sample: "2026-05-30T12:00:00Z"
fingerprint_sha256:
  description: The SHA-256 fingerprint of the certificate (lower-case hexadecimal).
  returned: success and not check_mode
  type: str
  sample: 5f1c0e0d4b3a29181716151413121110f0e0d0c0b0a090807060504030201000
key_type:
  description: The type of the certificate's key.
  returned: success and not check_mode
  type: str
  sample: ec256
days_left:
  description: Whole days until RV(not_after).
  returned: success and not check_mode
  type: int
  sample: 89
directory_document:
  description: The ACME directory the module read or was given.
  returned: always
  type: dict
  sample: {"newNonce": "https://acme-v02.api.letsencrypt.org/acme/new-nonce"}
nonce:
  description: An unused nonce from the CA's last answer, for the O(nonce) of a next ACME module; V(null) when none.
  returned: always
  type: str
  sample: oFvnlFP1wIhRlYS2jTaXbA
"""

from ansible_collections.certops.acme.plugins.module_utils.acme import common, finalize
from ansible_collections.certops.acme.plugins.module_utils.acme.client import ACME_IMPORT_ERROR, HAS_ACME
from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.module import Library, run_module

SPEC = common.ACME + common.ACCOUNT_URI + ArgumentSpec(dict(
    order_uri=dict(type="str", required=True),
    private_key_path=dict(type="path", required=True, no_log=False),
    certificate_path=dict(type="path"),
    chain_path=dict(type="path"),
    fullchain_path=dict(type="path"),
    backup=dict(type="bool", default=False),
    preferred_chain=dict(type="str"),
    wait_timeout=dict(type="float", default=120.0),
    progress_timeout=dict(type="float", default=60.0),
    challenges=dict(type="list", elements="dict"),
))


def build_request(params):
    if params["wait_timeout"] <= 0:
        raise InvalidInputError("wait_timeout", "must be a positive number of seconds")
    if params["progress_timeout"] <= 0:
        raise InvalidInputError("progress_timeout", "must be a positive number of seconds")
    if not params["order_uri"].startswith(("https://", "http://")):
        raise InvalidInputError("order_uri", "must be the URL of an order (order_uri returned by certops.acme.acme_order)")
    return finalize.FinalizeRequest(
        order_uri=params["order_uri"], private_key_path=params["private_key_path"],
        certificate_path=params["certificate_path"], chain_path=params["chain_path"],
        fullchain_path=params["fullchain_path"], backup=params["backup"],
        preferred_chain=params["preferred_chain"], wait_timeout=params["wait_timeout"],
        progress_timeout=params["progress_timeout"], challenges=challenges(params["challenges"]))


def challenges(items):
    """The ``challenges`` option as ``acme_order`` returns it: each needs ``url`` and ``identifier``."""
    if items is None:
        return None
    for index, item in enumerate(items):
        for field in ("url", "identifier"):
            if not isinstance(item.get(field), str) or not item[field]:
                raise InvalidInputError("challenges", "item %d has no %s; pass the challenges that "
                                        "certops.acme.acme_order returned" % (index, field))
        if not item["url"].startswith(("https://", "http://")):
            raise InvalidInputError("challenges", "item %d: url %r is not the URL of a challenge" % (index, item["url"]))
    return tuple(dict(item) for item in items)


def run(params, context):
    request = build_request(params)
    client, key = common.open_client(params, context.check_mode)
    result = finalize.finalize_order(client, request, context.check_mode, SystemClock())
    result["changed"] = result["changed"] or key.changed
    result.update(common.carried(client))
    return result


LIBRARIES = (Library("acme", HAS_ACME, ACME_IMPORT_ERROR),)


def main():
    run_module(SPEC, run, LIBRARIES)


if __name__ == "__main__":
    main()
