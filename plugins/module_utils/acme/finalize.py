# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answer the challenges, finalize, pick the chain and write the files (``acme_order_finalize``)."""

from __future__ import annotations

import dataclasses

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme import files, keys
from ansible_collections.certops.acme.plugins.module_utils.acme.client import (
    STATUS_VALID, csr_for, describe_problem, order_names, problem_text, status_name, validation_failures)
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError

STATUS_INVALID = "invalid"
STATUS_PROCESSING = "processing"


@dataclasses.dataclass(frozen=True)
class FinalizeRequest:
    order_uri: str
    private_key_path: str
    certificate_path: str | None = None
    chain_path: str | None = None
    fullchain_path: str | None = None
    backup: bool = False
    preferred_chain: str | None = None
    wait_timeout: float = 120


@dataclasses.dataclass(frozen=True)
class IssuedChain:
    """The leaf and its chain, as chosen among the CA's chains."""

    leaf: object
    chain: list
    preferred_found: bool | None = None
    available_issuers: tuple = ()

    @property
    def certificate_pem(self):
        return pem.dump_certificates([self.leaf])

    @property
    def chain_pem(self):
        return pem.dump_certificates(self.chain)

    @property
    def fullchain_pem(self):
        return self.certificate_pem + self.chain_pem


def top_issuer(certificates):
    """The issuer common name of the topmost certificate of a chain."""
    return pem.common_name(certificates[-1].issuer)


def parse_chain(text):
    """Certificates of one PEM chain, leaf first."""
    try:
        return pem.order_chain(pem.load_certificates(text, "certificate"))
    except ValueError as exc:
        raise CertopsError("the CA returned a chain that does not link up: %s" % exc) from exc


def select_chain(default_pem, alternative_pems=(), preferred=None):
    """The chain to use: the first whose top issuer (or top subject) is ``preferred``, else the default."""
    chains = [parse_chain(text) for text in [default_pem] + list(alternative_pems or ())]
    if not preferred:
        return IssuedChain(chains[0][0], chains[0][1:])
    issuers = tuple(top_issuer(chain) for chain in chains)
    for chain in chains:
        if preferred in (top_issuer(chain), pem.common_name(chain[-1].subject)):
            return IssuedChain(chain[0], chain[1:], True, issuers)
    return IssuedChain(chains[0][0], chains[0][1:], False, issuers)


def order_failure(orderr):
    """A :class:`CertopsError` explaining why an order is invalid."""
    failed = [authzr for authzr in orderr.authorizations if status_name(authzr.body) == STATUS_INVALID]
    failures = validation_failures(failed)
    parts = ["%s: %s" % (f["identifier"], f["detail"]) for f in failures]
    if not parts and orderr.body.error is not None:
        parts.append(problem_text(describe_problem(orderr.body.error)))
    reason = "; ".join(parts) or "no reason given"
    return CertopsError("order %s is invalid (%s); run certops.acme.acme_order again for a new order"
                        % (orderr.uri, reason), failures=failures)


def finalize_order(client, request, check_mode=False, clock=None):
    """Complete the order and write the files; returns the module result (without ``msg``)."""
    client.require_account()
    orderr = client.load_order(request.order_uri)
    status = status_name(orderr.body)
    if status == STATUS_INVALID:
        raise order_failure(orderr)
    private_key = keys.existing_certificate_key(request.private_key_path)
    fetch_alternatives = bool(request.preferred_chain)
    issued = status != STATUS_VALID
    answered = []
    if issued and check_mode:
        return dict(changed=True, issued=False, order_uri=orderr.uri, order_status=status, answered=[],
                    msg="check mode: would answer the pending challenges and finalize the order")
    if issued:
        answered = client.answer_pending(orderr)
        csr = csr_for(private_key, order_names(orderr))
        if status == STATUS_PROCESSING:
            orderr = client.wait_for_certificate(orderr.update(csr_pem=csr), request.wait_timeout, fetch_alternatives)
        else:
            orderr = client.wait_and_finalize(orderr, csr, request.wait_timeout, fetch_alternatives)
    else:
        orderr = client.download(orderr, fetch_alternatives)
    issued_chain = select_chain(orderr.fullchain_pem, orderr.alternative_fullchains_pem, request.preferred_chain)
    if not pem.key_matches_certificate(private_key, issued_chain.leaf):
        raise CertopsError("the certificate of order %s does not match the key in %s; run certops.acme.acme_order "
                           "again for a new order" % (orderr.uri, request.private_key_path))
    written = write_outputs(request, issued_chain, check_mode, clock)
    result = dict(
        changed=issued or any(item["changed"] for item in written.values()),
        issued=issued, order_uri=orderr.uri, order_status=status_name(orderr.body), answered=answered,
        certificate=issued_chain.certificate_pem, chain=issued_chain.chain_pem, fullchain=issued_chain.fullchain_pem,
        files=written)
    result.update(pem.certificate_facts(issued_chain.leaf, clock.now() if clock else None))
    if issued_chain.preferred_found is False:
        result["warnings"] = ["no chain with top issuer %r; kept the default chain (issuers offered: %s)"
                              % (request.preferred_chain, ", ".join(issued_chain.available_issuers))]
    return result


def write_outputs(request, issued_chain, check_mode=False, clock=None):
    """Write the requested files; ``{path: {changed, backup}}`` per file."""
    outputs = [(request.certificate_path, issued_chain.certificate_pem),
               (request.chain_path, issued_chain.chain_pem),
               (request.fullchain_path, issued_chain.fullchain_pem)]
    written = {}
    for path, content in outputs:
        if not path:
            continue
        if check_mode:
            written[path] = dict(changed=files.needs_write(path, content, files.PUBLIC_MODE), backup=None)
            continue
        changed, backup_path = files.write_atomic(path, content, files.PUBLIC_MODE, request.backup, clock)
        written[path] = dict(changed=changed, backup=backup_path)
    return written
