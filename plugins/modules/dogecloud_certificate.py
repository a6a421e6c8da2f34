#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dogecloud_certificate
short_description: Upload a certificate to the DogeCloud CDN, bind it to CDN domains, prune superseded ones
version_added: 0.1.0
author: certops.acme contributors (@certops)
description:
  - Uploads a certificate and its private key to the DogeCloud CDN unless the same certificate is
    already uploaded (found by its note, confirmed by its SANs and expiry), binds it to CDN domains
    (an explicit list, or every online domain it covers with O(bind=auto)), reads the domains back
    to confirm every binding, and only then deletes the certificates this collection uploaded
    earlier that no domain uses any more.
  - The certificate and key are validated before any API call (they parse, the chain is in order,
    the key matches, the certificate has not expired) and uploaded as canonical PEM, so stray
    whitespace, CRLF line endings or a chain in the wrong order never reach the CDN.
  - A second run with nothing to do makes two read calls, no write call, and reports no change.
  - With O(state=absent), deletes the uploads of the certificate when no domain uses them.
extends_documentation_fragment:
  - certops.acme.connection
  - certops.acme.dogecloud
  - certops.acme.attributes
  - certops.acme.attributes.actiongroup_dogecloud
attributes:
  check_mode:
    description: Reads the live state and reports what would be uploaded, bound and pruned, without writing.
    support: full
  diff_mode:
    description: Shows, for each target domain, the bound certificate (id, note, expiry) before and after,
      and the certificates this collection manages before and after.
    support: full
options:
  state:
    description:
      - V(present) uploads (or reuses) the certificate and binds it.
      - V(absent) deletes the uploads of the certificate (given by O(certificate), O(certificate_path)
        or O(note)); it fails, naming the domains, while one of them is still bound.
    type: str
    choices: [present, absent]
    default: present
  certificate:
    description:
      - The certificate as PEM text, the leaf alone or the full chain, in any order.
      - Mutually exclusive with O(certificate_path). One of them is required with O(state=present).
    type: str
  certificate_path:
    description:
      - Path of a PEM file with the certificate (leaf alone or full chain).
    type: path
  chain:
    description:
      - Intermediate certificates as PEM text, when O(certificate) holds the leaf alone.
      - Mutually exclusive with O(chain_path).
    type: str
  chain_path:
    description:
      - Path of a PEM file with the intermediate certificates.
    type: path
  private_key:
    description:
      - The unencrypted private key (RSA or ECDSA) of the certificate, as PEM text.
      - Mutually exclusive with O(private_key_path). One of them is required with O(state=present).
    type: str
  private_key_path:
    description:
      - Path of a PEM file with the unencrypted private key of the certificate.
    type: path
  note:
    description:
      - The display name of the upload in DogeCloud, used as given. An upload with this exact note, the
        same SANs and the same expiry is reused instead of uploading the certificate again.
      - By default the note is composed as
        C(<note_prefix><certificate_name>;t=<upload time, unix seconds>;ari=<ARI certificate id>),
        for example C(certops-example.com;t=1764630000;ari=aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE).
        It tells that the upload was made by this collection, for which certificate, when (for
        pruning), and which certificate exactly (its RFC 9773 identifier, reported as
        C(ari_cert_id) by M(certops.acme.dogecloud_domain_info)). A certificate without an Authority
        Key Identifier has no ARI identifier; its note ends with C(;fp=) and the first 12 hex digits
        of its SHA-256 fingerprint instead. An upload of the same certificate name, SANs, expiry and
        ARI identifier (or fingerprint) is reused.
      - A note given here is not in that form, so the upload is never pruned and reports no
        C(ari_cert_id).
    type: str
  certificate_name:
    description:
      - The name of the certificate that the composed note carries (see O(note)). Uploads are pruned
        only when their note names the same certificate, so two certificates that share DNS names
        but have different names never prune each other's uploads.
      - Defaults to the first name of the certificate (its first SAN without C(*.)).
      - At most 100 characters, without blanks or C(;).
    type: str
  note_prefix:
    description:
      - Notes starting with this prefix, in the form described in O(note), mark the certificates this
        collection uploaded; only those are ever pruned. Certificates uploaded under another note are
        never touched.
      - An empty prefix disables pruning.
    type: str
    default: certops-
  domains:
    description:
      - CDN domains to bind the certificate to. Each must exist in the account and be covered by a
        SAN of the certificate (wildcards cover one label); otherwise the module fails before any write.
      - Mutually exclusive with O(bind). With neither, the certificate is only uploaded.
      - Each name is checked as a DNS name before any call (letters, digits and hyphens; a leading
        C(*.) allowed) and unicode names become A-labels.
    type: list
    elements: str
  bind:
    description:
      - V(auto) binds every online CDN domain of the account that a SAN of the certificate covers
        (wildcard-aware). Covered domains that are not online are skipped and reported in
        RV(skipped_domains).
    type: str
    choices: [auto]
  prune:
    description:
      - After every binding is confirmed, delete the uploads this one supersedes. Those are the
        uploads whose note is in the form this collection writes (see O(note)) with O(note_prefix)
        and names the same certificate (O(certificate_name)), that were bound when the run started
        or are older than O(prune_grace_period), that no domain uses and that are not the deployed
        one.
      - So an upload of this certificate left unbound by a run that was killed or failed is pruned by
        the next successful run, and a certificate that only shares DNS names with this one (another
        certificate name) is never touched, nor is any upload whose note was not written by this
        collection.
    type: bool
    default: true
  prune_grace_period:
    description:
      - Seconds during which an unbound upload of this certificate is never pruned, counted from the
        upload time in its note. A younger unbound upload may belong to a deployment running at the
        same time, between its upload and its bind. The certificate that was bound when the run
        started and that this run replaced is pruned at once.
      - V(0) prunes every unused upload of this certificate at once.
    type: int
    default: 3600
requirements:
  - cryptography
notes:
  - Bindings are changed only for domains whose certificate differs; the domains are then read back
    and the module fails, pruning nothing, when one binding did not take. A failure at any step
    leaves the previously bound certificate in place.
  - DogeCloud may answer a bind with an error although the binding took effect. After a bind error
    the module reads the domain list once; when the binding took, the run goes on and warns, quoting
    the error. A bind answered "certificate not found" for the upload this run made uploads the
    certificate again, once.
  - A run that fails after it wrote something (for example an upload followed by a failed bind)
    reports C(changed=true) with the new RV(certificate_id), RV(uploaded), RV(rebound_domains) and
    RV(pruned_ids) so far.
  - An upload that got no answer (a 5xx or a timeout) may have been stored, so before sending it again
    the module looks for it by the certificate name in its note, SANs and expiry; it never uploads one
    certificate twice.
seealso:
  - module: certops.acme.dogecloud_certificate_info
  - module: certops.acme.dogecloud_domain_info
"""

EXAMPLES = r"""
- name: Deploy a renewed certificate to every CDN domain it covers
  certops.acme.dogecloud_certificate:
    access_key: "{{ dogecloud_access_key }}"
    secret_key: "{{ dogecloud_secret_key }}"
    certificate_path: /etc/certops/example.com/fullchain.pem
    private_key_path: /etc/certops/example.com/privkey.pem
    bind: auto
  register: deployed

- name: Bind to two named domains; credentials come from module_defaults
  module_defaults:
    group/certops.acme.dogecloud:
      access_key: "{{ dogecloud_access_key }}"
      secret_key: "{{ dogecloud_secret_key }}"
  certops.acme.dogecloud_certificate:
    certificate: "{{ issued.certificate }}"
    chain: "{{ issued.chain }}"
    private_key_path: /etc/certops/example.com/privkey.pem
    domains:
      - cdn.example.com
      - static.example.com

- name: Remove an upload that no domain uses any more (DOGECLOUD_* environment variables hold the keys)
  certops.acme.dogecloud_certificate:
    note: certops-example.com-3f2a9c0d1b7e
    state: absent
"""

RETURN = r"""
certificate_id:
  description:
    - Id of the uploaded (or reused) certificate in DogeCloud.
    - V(null) in check mode when the certificate would be uploaded.
  returned: state is present
  type: int
  sample: 1042
uploaded:
  description: Whether the certificate was (or, in check mode, would be) uploaded by this run.
  returned: state is present
  type: bool
note:
  description: The note the certificate is uploaded (or is looked up) under.
  returned: always
  type: str
  sample: certops-example.com;t=1764630000;ari=aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE
bound_domains:
  description: The domains bound to the certificate once the run is done.
  returned: state is present
  type: list
  elements: str
  sample: [cdn.example.com, static.example.com]
rebound_domains:
  description: The domains whose binding this run changed (or would change).
  returned: state is present
  type: list
  elements: str
skipped_domains:
  description: With O(bind=auto), domains that the certificate covers but that are not online.
  returned: state is present
  type: list
  elements: str
  sample: [old.example.com]
pruned_ids:
  description: Ids of the superseded certificates deleted (or, in check mode, that would be deleted).
  returned: state is present
  type: list
  elements: int
deleted_ids:
  description: Ids of the certificates deleted by O(state=absent).
  returned: state is absent
  type: list
  elements: int
certificate:
  description: Facts of the certificate given to the module.
  returned: when a certificate was given
  type: dict
  contains:
    sans:
      description: DNS names of the certificate.
      type: list
      elements: str
      sample: ["*.example.com", example.com]
    subject:
      description: Common name of the subject.
      type: str
    issuer:
      description: Common name of the issuer.
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
      description: SHA-256 fingerprint of the leaf certificate, lower-case hex.
      type: str
    key_type:
      description: Kind and size of the public key, for example V(ec256) or V(rsa2048).
      type: str
    chain_length:
      description: Number of certificates uploaded (leaf and intermediates).
      type: int
diff:
  description: The bound certificate of each target domain and the managed certificates, before and after.
  returned: in diff mode
  type: dict
  sample:
    before:
      domains:
        cdn.example.com: {id: 1041, note: certops-example.com-0a1b2c3d4e5f, expire: "2026-03-01T00:00:00Z"}
      certificates:
        - {id: 1041, note: certops-example.com-0a1b2c3d4e5f, expire: "2026-03-01T00:00:00Z"}
    after:
      domains:
        cdn.example.com: {id: 1042, note: certops-example.com-3f2a9c0d1b7e, expire: "2026-06-01T00:00:00Z"}
      certificates:
        - {id: 1042, note: certops-example.com-3f2a9c0d1b7e, expire: "2026-06-01T00:00:00Z"}
"""

from ansible_collections.certops.acme.plugins.module_utils.acme import names
from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.dogecloud import deploy
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.deploy_plan import BindRequest
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.local_certificate import local_certificate_from_options
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.options import DOGECLOUD, open_client
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.http_client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.certops.acme.plugins.module_utils.module import Library, run_module
from ansible_collections.certops.acme.plugins.module_utils.pem import CRYPTOGRAPHY_IMPORT_ERROR, HAS_CRYPTOGRAPHY

SPEC = DOGECLOUD + ArgumentSpec(
    dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        certificate=dict(type="str"),
        certificate_path=dict(type="path"),
        chain=dict(type="str"),
        chain_path=dict(type="path"),
        private_key=dict(type="str", no_log=True),
        private_key_path=dict(type="path", no_log=False),
        note=dict(type="str"),
        certificate_name=dict(type="str"),
        note_prefix=dict(type="str", default="certops-"),
        domains=dict(type="list", elements="str"),
        bind=dict(type="str", choices=["auto"]),
        prune=dict(type="bool", default=True),
        prune_grace_period=dict(type="int", default=deploy.DEFAULT_PRUNE_GRACE_PERIOD),
    ),
    mutually_exclusive=[
        ("certificate", "certificate_path"), ("chain", "chain_path"),
        ("private_key", "private_key_path"), ("domains", "bind"),
    ],
    required_if=[
        ("state", "present", ("certificate", "certificate_path"), True),
        ("state", "present", ("private_key", "private_key_path"), True),
        ("state", "absent", ("certificate", "certificate_path", "note"), True),
    ],
)


def run(params, context):
    now = SystemClock().now()
    domains = names.host_names(params["domains"], "domains")
    local = local_certificate_from_options(params, now)
    labels = deploy.labels_for(local, params["note_prefix"], note=params["note"], name=params["certificate_name"],
                               now=now)
    client = open_client(params, secrets=[local.key_pem] if local and local.key_pem else ())
    if params["state"] == "absent":
        result = deploy.remove(client, labels, local, check_mode=context.check_mode)
        if local:
            result["certificate"] = local.facts(now)
        return result
    if params["prune_grace_period"] < 0:
        raise InvalidInputError("prune_grace_period", "%d is negative; give the seconds an upload is kept after it "
                                "was made (0 prunes at once)" % params["prune_grace_period"])
    request = deploy.DeployRequest(
        local=local, labels=labels, prune=params["prune"], prune_grace_period=params["prune_grace_period"],
        bind=BindRequest(domains=tuple(domains or ()), auto=params["bind"] == "auto"))
    return deploy.deploy(client, request, check_mode=context.check_mode, now=now)


LIBRARIES = (Library("cryptography", HAS_CRYPTOGRAPHY, CRYPTOGRAPHY_IMPORT_ERROR),
             Library("requests", HAS_REQUESTS, REQUESTS_IMPORT_ERROR))


def main():
    run_module(SPEC, run, LIBRARIES)


if __name__ == "__main__":
    main()
