#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: acme_order
short_description: Decide whether a certificate is due and create or resume its ACME order
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - Decides from the current certificate whether a new one is needed. The current certificate
    is given as a PEM (O(current_certificate_path), O(current_certificate)) or as facts
    (O(current_sans), O(current_not_after), O(current_key_type)), for example from
    M(certops.acme.dogecloud_domain_info), so that the decision needs no local state.
  - A new certificate is needed when there is none, when its names differ from O(names), when
    its key type differs from O(key_type), when it has expired, or when it is due for renewal.
    It is due when the CA's suggested renewal window (ACME Renewal Information, RFC 9773) has
    started, when the CA offers it and O(use_ari=true) and the current certificate's ARI identifier
    is known (from its PEM, or O(current_ari_cert_id) with facts); otherwise when fewer than
    O(renew_before_days) days are left.
  - The order that renews the same certificate (same names and key type, not expired) at a CA
    offering ARI carries C(replaces) with the current certificate's ARI identifier (RFC 9773
    section 5), so that the CA can tell a renewal from a new certificate. When the CA answers that
    the certificate was already replaced, one order without C(replaces) is made, with a warning.
  - When nothing is due, returns RV(needs_renewal=false) with the reason, creates nothing and makes
    no ACME call beyond reading the directory and at most one renewal information read.
  - Otherwise creates an order for O(names) (or resumes the still pending order O(order_uri)),
    writes a fresh private key for the certificate to O(private_key_path), and returns the
    DNS-01 challenges of the authorizations that are still pending, ready for
    M(certops.acme.gandi_dns_challenge). Then M(certops.acme.acme_order_finalize) completes the order.
  - An order refused with a rate limit fails at once with the CA's detail and its C(Retry-After);
    new orders are never retried.
extends_documentation_fragment:
  - certops.acme.acme
  - certops.acme.connection
  - certops.acme.attributes
  - certops.acme.attributes.actiongroup_acme
attributes:
  check_mode:
    description:
      - Decides, and reports whether an order would be created, without creating one or writing a key.
      - When the account key has no ACME account at the CA yet (a first run), a due renewal is reported as an
        order that would be created, since M(certops.acme.acme_account) would create the account first.
        Outside check mode, a key without an account fails.
    support: full
  diff_mode:
    description: Does not return a diff; RV(needs_renewal) and RV(reason) tell what would happen.
    support: none
options:
  names:
    description:
      - The DNS names of the certificate. A wildcard is allowed as the whole leftmost label
        (C(*.example.com)); it needs DNS-01, which this module returns.
      - Names are checked before any call and normalised to lower-case A-labels (IDNA).
        A trailing dot, a wildcard elsewhere than the leftmost label, an IP address or a
        name listed twice fails, naming the culprit.
      - Labels are letters, digits and hyphens (C(_) and C(@) are refused). A name can have at
        most 237 characters without its C(*.), so that its DNS-01 record
        C(_acme-challenge.<name>) fits in the 253 characters of a DNS name.
    type: list
    elements: str
    required: true
  key_type:
    description:
      - The type of the certificate's private key.
    type: str
    choices: [ec256, ec384, rsa2048, rsa3072, rsa4096]
    default: ec256
  private_key_path:
    description:
      - Where the private key of the new certificate is written (mode C(0600), atomic rename)
        when an order is created. M(certops.acme.acme_order_finalize) reads it from there.
      - A fresh key is generated for every new order unless O(reuse_key=true). When an order is
        resumed, the key already there is kept.
      - Do not point it at the key a server uses for the current certificate.
    type: path
    required: true
  reuse_key:
    description:
      - Keep the key in O(private_key_path) when it exists (it must be of O(key_type)).
    type: bool
    default: false
  profile:
    description:
      - The ACME profile to request (for example C(classic) or C(shortlived) at Let's Encrypt).
      - Fails before ordering when the CA's directory does not offer it, listing the profiles it
        offers, or when the CA does not advertise profiles at all.
    type: str
  current_certificate_path:
    description:
      - Path of the PEM of the current certificate (leaf first; a chain after it is ignored).
      - A missing file counts as no current certificate.
      - Mutually exclusive with O(current_certificate) and O(current_sans).
    type: path
  current_certificate:
    description:
      - The PEM of the current certificate (leaf first).
      - Mutually exclusive with O(current_certificate_path) and O(current_sans).
    type: str
  current_sans:
    description:
      - The DNS names of the current certificate, when only its facts are known (for example from
        M(certops.acme.dogecloud_domain_info)). Needs O(current_not_after).
      - Renewal information (ARI) needs the certificate's ARI identifier; with facts give it as
        O(current_ari_cert_id), otherwise the decision uses O(renew_before_days).
    type: list
    elements: str
  current_ari_cert_id:
    description:
      - The ARI certificate identifier of the current certificate (RFC 9773 section 4.1),
        C(base64url(authority key identifier).base64url(serial number)) without padding, when the
        current certificate is described by facts (O(current_sans), O(current_not_after)), for
        example the C(certificate.ari_cert_id) that M(certops.acme.dogecloud_domain_info) reports.
      - With it the CA's renewal window is asked on every run when the directory offers
        C(renewalInfo), and a renewal order carries C(replaces).
      - Needs O(current_sans) and O(current_not_after); a PEM given as the current certificate
        gives its own identifier, so it cannot be combined with O(current_certificate) or
        O(current_certificate_path). A malformed value fails before any call.
    type: str
  current_not_after:
    description:
      - The expiry of the current certificate, as ISO 8601 (C(2026-03-01T12:00:00Z)) or Unix seconds.
    type: str
  current_key_type:
    description:
      - The key type of the current certificate, when known from facts (with O(current_sans)).
      - Either an exact type as in O(key_type) (V(ec256), V(ec384), V(rsa2048), V(rsa3072),
        V(rsa4096)), or only the key family V(ec), V(ecc), V(ecdsa) or V(rsa), case-insensitive,
        as M(certops.acme.dogecloud_domain_info) reports it (V(ECC), V(RSA)) in C(certificate.key_type).
      - With a family only the families are compared, so V(ECC) matches O(key_type=ec256) and
        O(key_type=ec384), and V(RSA) differs from O(key_type=ec256), which needs a renewal.
        A change of size within a family cannot be seen then.
      - Any other value fails, naming this option. When not set, the key type is not compared.
    type: str
  renew_before_days:
    description:
      - Renew when fewer days than this are left, unless the CA's renewal window decides (see O(use_ari)).
    type: int
    default: 30
  use_ari:
    description:
      - Ask the CA for its suggested renewal window (ACME Renewal Information) when its directory
        offers C(renewalInfo) and the current certificate's ARI identifier is known (its PEM, or
        O(current_ari_cert_id)); that window then decides instead of O(renew_before_days).
      - When the read fails, the module warns and decides with O(renew_before_days).
      - With V(false), no renewal information is read and no C(replaces) is sent.
    type: bool
    default: true
  force:
    description:
      - Order a new certificate whatever the current one.
    type: bool
    default: false
  order_uri:
    description:
      - The URL of an order created earlier (RV(order_uri) of a previous run). When it is still
        pending or ready and for the same names, it is resumed instead of creating a new one;
        otherwise a new order is created, with a warning.
    type: str
  account_uri:
    description:
      - The URL of the ACME account of the account key, as RV(certops.acme.acme_account#module:account_uri) of
        M(certops.acme.acme_account) returned it. When given, the account is not looked up (one request fewer);
        a wrong URL makes the CA refuse the order.
    type: str
  decide_only:
    description:
      - Only decide whether a new certificate is needed. No account lookup, no order, no key written, and
        RV(ignore:changed) is V(false).
      - The CA is asked only what the decision needs, the directory and the renewal information of the
        current certificate when ARI applies (see O(use_ari)), and the directory when O(profile) is set
        or when a new certificate is due, so that RV(directory_document) can go to the next ACME step.
        Nothing else is requested; with nothing due and no ARI to ask, no request at all.
      - A directory that cannot be read or is no ACME directory does not fail the module then; it is
        reported in RV(directory_error) and the decision is made without the CA.
      - RV(replaces) is then V(null), and RV(account_uri) too.
    type: bool
    default: false
seealso:
  - module: certops.acme.acme_account
  - module: certops.acme.acme_order_finalize
  - module: certops.acme.gandi_dns_challenge
  - name: RFC 9773 (ACME Renewal Information)
    description: How a CA suggests when to renew.
    link: https://www.rfc-editor.org/rfc/rfc9773
"""

EXAMPLES = r"""
- name: Order a certificate for a wildcard and its apex when the current one is due
  certops.acme.acme_order:
    directory: https://acme-v02.api.letsencrypt.org/directory
    account_key_path: /etc/certops/acme-account.key
    names:
      - example.com
      - "*.example.com"
    private_key_path: /etc/certops/example.com/next.key
    current_certificate_path: /etc/certops/example.com/fullchain.pem
  delegate_to: localhost
  register: certificate_order

- name: Publish the challenges when an order was created
  certops.acme.gandi_dns_challenge:
    challenges: "{{ certificate_order.challenges }}"
  when: certificate_order.needs_renewal

- name: Read the certificate bound on the CDN domain
  certops.acme.dogecloud_domain_info:
    domains: [cdn.example.com]
  register: cdn

# DogeCloud reports the key family only (ECC or RSA): the families are compared.
- name: Decide from what the CDN serves, without local files
  certops.acme.acme_order:
    directory: https://acme-v02.api.letsencrypt.org/directory
    account_key_content: "{{ vault_acme_account_key }}"
    names: "{{ cdn_names }}"
    private_key_path: "{{ work_dir }}/next.key"
    current_sans: "{{ bound.sans if bound else omit }}"
    current_not_after: "{{ bound.expire if bound else omit }}"
    current_key_type: "{{ bound.key_type if bound else omit }}"
    current_ari_cert_id: "{{ bound.ari_cert_id | default(omit, true) if bound else omit }}"
    key_type: ec384
  vars:
    bound: "{{ cdn.domains[0].certificate }}"
"""

RETURN = r"""
needs_renewal:
  description: Whether a new certificate is needed.
  returned: always
  type: bool
  sample: true
reason:
  description: Why, as a short sentence.
  returned: always
  type: str
  sample: "expires in 12 days (renew_before_days 30)"
names:
  description: The normalised names (lower-case A-labels).
  returned: always
  type: list
  elements: str
  sample: ["example.com", "*.example.com"]
order_uri:
  description: The URL of the order created or resumed; V(null) when none was needed, and in check mode.
  returned: always
  type: str
  sample: https://acme-v02.api.letsencrypt.org/acme/order/123456789/987654321
order_status:
  description: The status of the order (V(pending), V(ready)); V(null) without an order.
  returned: always
  type: str
  sample: pending
resumed:
  description: Whether O(order_uri) was resumed instead of creating a new order.
  returned: always
  type: bool
  sample: false
replaces:
  description:
    - The ARI identifier of the certificate that the new order replaces, as sent in its
      C(replaces) field (in check mode, as it would be sent); V(null) when none was sent.
  returned: always
  type: str
  sample: aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE
account_uri:
  description: The URL of the ACME account; V(null) when no order was needed.
  returned: always
  type: str
  sample: https://acme-v02.api.letsencrypt.org/acme/acct/123456789
challenges:
  description:
    - One DNS-01 challenge per authorization still pending; authorizations that are already
      valid are not listed. Empty when no order was needed.
    - Pass the list to M(certops.acme.gandi_dns_challenge) as its O(certops.acme.gandi_dns_challenge#module:challenges).
  returned: always
  type: list
  elements: dict
  contains:
    identifier:
      description: The name of the authorization, with C(*.) for a wildcard.
      type: str
      sample: "*.example.com"
    fqdn:
      description: The TXT record name, C(_acme-challenge.) and the name without C(*.).
      type: str
      sample: _acme-challenge.example.com
    value:
      description: The TXT value, the base64url SHA-256 digest of the key authorization.
      type: str
      sample: LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0
    type:
      description: The challenge type, always V(dns-01).
      type: str
      sample: dns-01
    status:
      description: The status of the challenge.
      type: str
      sample: pending
    authorization:
      description: The URL of the authorization.
      type: str
      sample: https://acme-v02.api.letsencrypt.org/acme/authz/123456789/1
    url:
      description: The URL of the challenge.
      type: str
      sample: https://acme-v02.api.letsencrypt.org/acme/chall/123456789/1/abc
private_key_path:
  description: Where the certificate's private key is (O(private_key_path)).
  returned: always
  type: str
  sample: /etc/certops/example.com/next.key
directory_document:
  description:
    - The ACME directory the module read or was given, for the O(directory_document) of the next ACME module;
      V(null) when the module made no request.
  returned: always
  type: dict
  sample: {"newNonce": "https://acme-v02.api.letsencrypt.org/acme/new-nonce"}
directory_error:
  description:
    - With O(decide_only=true), why the directory could not be used, as C(<directory> does not answer with an
      ACME directory (<why>)); RV(directory_document) is then V(null). V(null) when it could, or was not read.
    - Without O(decide_only), a directory that cannot be used fails the module.
  returned: always
  type: str
  sample: "https://acme.example/directory does not answer with an ACME directory (HTTP 404)"
nonce:
  description: An unused nonce from the CA's last answer, for the O(nonce) of the next ACME module; V(null) when none.
  returned: always
  type: str
  sample: oFvnlFP1wIhRlYS2jTaXbA
"""

from ansible_collections.certops.acme.plugins.module_utils.acme import common, files, keys, names, order
from ansible_collections.certops.acme.plugins.module_utils.acme.client import ACME_IMPORT_ERROR, HAS_ACME
from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.module import Library, run_module

CURRENT_OPTIONS = ("current_certificate_path", "current_certificate", "current_sans")

SPEC = common.ACME + common.ACCOUNT_URI + ArgumentSpec(
    dict(
        names=dict(type="list", elements="str", required=True),
        key_type=dict(type="str", choices=list(keys.KEY_TYPES), default="ec256"),
        private_key_path=dict(type="path", required=True, no_log=False),
        reuse_key=dict(type="bool", default=False, no_log=False),
        profile=dict(type="str"),
        current_certificate_path=dict(type="path"),
        current_certificate=dict(type="str"),
        current_sans=dict(type="list", elements="str"),
        current_not_after=dict(type="str"),
        current_key_type=dict(type="str"),
        current_ari_cert_id=dict(type="str"),
        renew_before_days=dict(type="int", default=30),
        use_ari=dict(type="bool", default=True),
        force=dict(type="bool", default=False),
        order_uri=dict(type="str"),
        decide_only=dict(type="bool", default=False),
    ),
    mutually_exclusive=[CURRENT_OPTIONS],
    required_together=[("current_sans", "current_not_after")],
)


def build_request(params):
    """The :class:`order.OrderRequest`; every input error fails here, before any call."""
    if params["renew_before_days"] < 0:
        raise InvalidInputError("renew_before_days", "must be 0 or more days")
    return order.OrderRequest(
        names=tuple(names.normalize_names(params["names"])), private_key_path=params["private_key_path"],
        key_type=params["key_type"], reuse_key=params["reuse_key"], profile=params["profile"],
        renew_before_days=params["renew_before_days"], use_ari=params["use_ari"], force=params["force"],
        order_uri=params["order_uri"], decide_only=params["decide_only"])


def current_certificate(params):
    text = params["current_certificate"]
    if params["current_certificate_path"]:
        text = files.read_text(params["current_certificate_path"])
    current_sans = [names.host_name(name, "current_sans") for name in params["current_sans"] or ()]
    return order.current_certificate(text, current_sans, params["current_not_after"], params["current_key_type"],
                                     params["current_ari_cert_id"])


def run(params, context):
    request = build_request(params)
    current = current_certificate(params)
    client, key = common.open_client(params, context.check_mode)
    outcome = order.ensure_order(client, request, current, SystemClock().now(), context.check_mode)
    result = outcome.as_result()
    result.update(common.carried(client))
    if outcome.directory_error:
        result.update(directory_document=None)
    result.update(changed=result["changed"] or key.changed, names=list(request.names),
                  private_key_path=request.private_key_path, warnings=outcome.warnings)
    return result


LIBRARIES = (Library("acme", HAS_ACME, ACME_IMPORT_ERROR),)


def main():
    run_module(SPEC, run, LIBRARIES)


if __name__ == "__main__":
    main()
