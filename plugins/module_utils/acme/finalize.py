# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answer the challenges, finalize, pick the chain and write the files (``acme_order_finalize``)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme import files, keys
from ansible_collections.certops.acme.plugins.module_utils.acme.client import (
    STATUS_INVALID, STATUS_PENDING, STATUS_READY, STATUS_VALID, authorization_identifier,
    csr_for, describe_problem, order_names, problem_text, status_name, validation_failures)
from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, TimeoutExpired
from ansible_collections.certops.acme.plugins.module_utils.polling import Poll

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from acme import messages
    from cryptography import x509

    from ansible_collections.certops.acme.plugins.module_utils.acme.client import AcmeClient
    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock

# Polling of the order: short first, growing to a cap; a Retry-After of the CA wins within the deadline.
POLL_FIRST = 1.0
POLL_GROWTH = 1.5
POLL_MAX = 5.0
RETRY_AFTER_MAX = 60.0
# While the order is pending, its authorizations that are not valid yet are
# read again at most this often, to see a failed one the order does not show.
AUTHZ_RECHECK = 5.0


class ValidationFailed(CertopsError):
    """The order cannot complete: an authorization failed, or it made no progress in time."""

    orderr: messages.OrderResource  # the order as last read


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
    progress_timeout: float = 60
    # The challenges acme_order returned (``None``: read them from the order's authorizations).
    challenges: tuple | None = None


@dataclasses.dataclass(frozen=True)
class IssuedChain:
    """The leaf and its chain, as chosen among the CA's chains."""

    leaf: x509.Certificate
    chain: list[x509.Certificate]
    preferred_found: bool | None = None
    available_issuers: tuple[str, ...] = ()

    @property
    def certificate_pem(self) -> str:
        return pem.dump_certificates([self.leaf])

    @property
    def chain_pem(self) -> str:
        return pem.dump_certificates(self.chain)

    @property
    def fullchain_pem(self) -> str:
        return self.certificate_pem + self.chain_pem


def top_issuer(certificates: Sequence[x509.Certificate]) -> str:
    """The issuer common name of the topmost certificate of a chain."""
    return pem.common_name(certificates[-1].issuer)


def parse_chain(text: str) -> list[x509.Certificate]:
    """Certificates of one PEM chain, leaf first."""
    try:
        return pem.order_chain(pem.load_certificates(text, "certificate"))
    except ValueError as exc:
        raise CertopsError("the CA returned a chain that does not link up: %s" % exc) from exc


def select_chain(default_pem: str, alternative_pems: Iterable[str] | None = (), preferred: str | None = None) -> IssuedChain:
    """The chain to use: the first whose top issuer (or top subject) is ``preferred``, else the default."""
    chains = [parse_chain(text) for text in [default_pem] + list(alternative_pems or ())]
    if not preferred:
        return IssuedChain(chains[0][0], chains[0][1:])
    issuers = tuple(top_issuer(chain) for chain in chains)
    for chain in chains:
        if preferred in (top_issuer(chain), pem.common_name(chain[-1].subject)):
            return IssuedChain(chain[0], chain[1:], True, issuers)
    return IssuedChain(chains[0][0], chains[0][1:], False, issuers)


def order_failure(orderr: messages.OrderResource) -> ValidationFailed:
    """A :class:`ValidationFailed` explaining why an order is invalid."""
    failed = [authzr for authzr in orderr.authorizations if status_name(authzr.body) == STATUS_INVALID]
    failures = validation_failures(failed)
    if failures:
        reason = "validation failed for " + _failures_text(failures)
    elif orderr.body.error is not None:
        reason = problem_text(describe_problem(orderr.body.error))
    else:
        reason = "no reason given"
    return ValidationFailed("order %s is invalid: %s; run certops.acme.acme_order again for a new order"
                            % (orderr.uri, reason), failures=failures)


def _failures_text(failures: Iterable[Mapping[str, Any]]) -> str:
    return "; ".join("%s: %s: %s" % (f["identifier"], f["type"].rsplit(":", 1)[-1] or "failed", f["detail"])
                     for f in failures)


def challenge_failures(orderr: messages.OrderResource) -> list[messages.AuthorizationResource]:
    """Authorizations that failed or whose dns-01 challenge carries an error, even while the order is pending."""
    return [authzr for authzr in orderr.authorizations
            if status_name(authzr.body) == STATUS_INVALID
            or any(challb.error is not None for challb in authzr.body.challenges)]


def authorization_failure(orderr: messages.OrderResource, failed: Iterable[messages.AuthorizationResource]) -> ValidationFailed:
    failures = validation_failures(failed)
    error = ValidationFailed("order %s cannot be validated: validation failed for %s; check the published TXT "
                             "records, then run certops.acme.acme_order again for a new order"
                             % (orderr.uri, _failures_text(failures)), failures=failures)
    error.orderr = orderr
    return error


def describe_waiting(orderr: messages.OrderResource) -> list[dict[str, Any]]:
    """``[{identifier, authorization, status, challenge_status}]`` of the authorizations not valid yet."""
    waiting = []
    for authzr in orderr.authorizations:
        if status_name(authzr.body) == STATUS_VALID:
            continue
        dns01 = [challb for challb in authzr.body.challenges if challb.chall.typ == "dns-01"]
        waiting.append(dict(identifier=authorization_identifier(authzr), authorization=authzr.uri,
                            status=status_name(authzr.body),
                            challenge_status=status_name(dns01[0]) if dns01 else None))
    return waiting


def _waiting_text(waiting: Iterable[Mapping[str, Any]]) -> str:
    return "; ".join("authorization %s (%s) is %s, its dns-01 challenge %s with no error"
                     % (item["authorization"], item["identifier"], item["status"], item["challenge_status"] or "absent")
                     for item in waiting) or "no authorization is waiting"


def _snapshot(body: messages.Order, orderr: messages.OrderResource) -> tuple[object, ...]:
    """What counts as progress: the order's status and each authorization's and challenge's status."""
    return (status_name(body), tuple(
        (authzr.uri, status_name(authzr.body), tuple(status_name(challb) for challb in authzr.body.challenges))
        for authzr in orderr.authorizations))


def await_certificate(client: AcmeClient, orderr: messages.OrderResource, csr_pem: bytes, request: FinalizeRequest,
                      clock: Clock, fetch_alternatives: bool = False) -> messages.OrderResource:
    """Poll the order until its certificate is issued; returns the order with ``fullchain_pem``.

    The order is polled (one read per round), not each authorization. Fails
    fast with :class:`ValidationFailed` when the order or an authorization is
    invalid or a challenge carries an error, and when the order stays pending
    with nothing changing for ``request.progress_timeout`` seconds (a CA that
    leaves a failed validation pending), naming what is still waiting; fails
    with :class:`TimeoutExpired` at ``request.wait_timeout``.
    """
    poll = Poll(request.wait_timeout, POLL_FIRST, clock)
    progress_limit = min(request.progress_timeout, request.wait_timeout)
    body = orderr.body
    last_seen = _snapshot(body, orderr)
    last_progress = last_recheck = clock.monotonic()
    interval = POLL_FIRST
    finalize_sent = False
    for round_number in poll:
        if round_number > 1:
            body, retry_after = client.read_order(orderr.uri)
            interval = max(min(interval * POLL_GROWTH, POLL_MAX), min(retry_after or 0.0, RETRY_AFTER_MAX))
        status = status_name(body)
        if status == STATUS_READY and not finalize_sent:
            finalized = client.begin_finalization(orderr, csr_pem)
            if finalized is not None:  # else orderNotReady: poll on, and send it again once ready
                finalize_sent, body = True, finalized
                status = status_name(body)
        if status == STATUS_VALID and body.certificate:
            return client.download(orderr.update(body=body), fetch_alternatives)
        if status == STATUS_INVALID:
            orderr = _refreshed(client, orderr, body)
            error = order_failure(orderr)
            error.orderr = orderr
            raise error
        if status == STATUS_PENDING and clock.monotonic() - last_recheck >= AUTHZ_RECHECK:
            orderr = _refreshed(client, orderr, body)
            last_recheck = clock.monotonic()
            failed = challenge_failures(orderr)
            if failed:
                raise authorization_failure(orderr, failed)
        seen = _snapshot(body, orderr)
        if seen != last_seen:
            last_seen, last_progress = seen, clock.monotonic()
        elif status == STATUS_PENDING and clock.monotonic() - last_progress >= progress_limit:
            if clock.monotonic() <= last_recheck:
                raise _stuck(orderr, body, clock.monotonic() - last_progress)
            # Look once more before giving up.
            orderr = _refreshed(client, orderr, body)
            last_recheck = clock.monotonic()
            failed = challenge_failures(orderr)
            if failed:
                raise authorization_failure(orderr, failed)
            if _snapshot(body, orderr) == last_seen:
                raise _stuck(orderr, body, clock.monotonic() - last_progress)
            last_seen, last_progress = _snapshot(body, orderr), clock.monotonic()  # it moved after all
        poll.interval = interval
        if status == STATUS_PENDING:  # wake up for the next authorization check and the progress limit
            now = clock.monotonic()
            poll.interval = min(interval, max(0.0, last_recheck + AUTHZ_RECHECK - now),
                                max(0.0, last_progress + progress_limit - now))
    orderr = _refreshed(client, orderr, body)
    error = TimeoutExpired(  # type: ignore[assignment]  # it carries the order too
        "order %s is still %s after wait_timeout (%g s): %s" % (
            orderr.uri, status_name(body), request.wait_timeout, _waiting_text(describe_waiting(orderr))),
        waiting=describe_waiting(orderr), order_status=status_name(body))
    error.orderr = orderr
    raise error


def _refreshed(client: AcmeClient, orderr: messages.OrderResource, body: messages.Order) -> messages.OrderResource:
    """The order with ``body`` and its authorizations, those not known to be valid read again (one read each)."""
    known = {authzr.uri: authzr for authzr in orderr.authorizations}
    authorizations = [known[url] if url in known and status_name(known[url].body) == STATUS_VALID
                      else client.load_authorization(url) for url in body.authorizations]
    return orderr.update(body=body, authorizations=authorizations)


def _stuck(orderr: messages.OrderResource, body: messages.Order, idle: float) -> ValidationFailed:
    """The failure of an order that stayed pending for ``idle`` seconds with nothing changing."""
    waiting = describe_waiting(orderr)
    error = ValidationFailed(
        "order %s made no progress for %d s (progress_timeout): %s; the CA reported no error. Check that the TXT "
        "records are published where the CA looks (gandi_dns_challenge with wait), then run certops.acme.acme_order "
        "again for a new order" % (orderr.uri, idle, _waiting_text(waiting)),
        waiting=waiting, order_status=status_name(body))
    error.orderr = orderr
    return error


def deactivate_pending(client: AcmeClient, orderr: messages.OrderResource) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Deactivate the order's pending authorizations (RFC 8555 7.5.2), best effort.

    Returns ``(deactivated, not_deactivated)``: lists of ``{identifier,
    authorization}``, the latter with the ``error``.
    """
    deactivated: list[dict[str, Any]]
    kept: list[dict[str, Any]]
    deactivated, kept = [], []
    for authzr in orderr.authorizations:
        if status_name(authzr.body) != STATUS_PENDING:
            continue
        item = dict(identifier=authorization_identifier(authzr), authorization=authzr.uri)
        try:
            client.deactivate_authorization(authzr)
        except CertopsError as exc:
            kept.append(dict(item, error=exc.message))
        else:
            deactivated.append(item)
    return deactivated, kept


def _with_cleanup(client: AcmeClient, orderr: messages.OrderResource, failure: CertopsError) -> CertopsError:
    """``failure`` after deactivating the order's pending authorizations (as last read); the result says which."""
    deactivated, kept = deactivate_pending(client, getattr(failure, "orderr", None) or orderr)
    failure.details.update(deactivated=deactivated, not_deactivated=kept)
    if deactivated:
        failure.message += "; deactivated the pending authorization%s of %s" % (
            "" if len(deactivated) == 1 else "s", ", ".join(item["identifier"] for item in deactivated))
    if kept:
        failure.message += "; could not deactivate %s" % ", ".join(item["identifier"] for item in kept)
    failure.args = (failure.message,)
    return failure


def _answer_given(client: AcmeClient, challenges: Iterable[Mapping[str, Any]], clock: Clock) -> list[str]:
    """Answer the pending challenges of ``challenges`` (as ``acme_order`` listed them); the identifiers answered.

    When any was answered, the first read of the order waits ``POLL_FIRST``:
    the CA validates meanwhile, and the read finds the order ready.
    """
    answered: list[str] = []
    for challenge in challenges:
        if challenge.get("status", STATUS_PENDING) == STATUS_PENDING:
            client.answer_challenge_at(challenge["url"], challenge["identifier"])
            answered.append(challenge["identifier"])
    if answered:
        clock.sleep(POLL_FIRST)
    return answered


def finalize_order(client: AcmeClient, request: FinalizeRequest, check_mode: bool = False,
                   clock: Clock | None = None) -> dict[str, Any]:
    """Complete the order and write the files; returns the module result (without ``msg``).

    With ``request.challenges`` (from ``acme_order``) the challenges are
    answered first and the order read after them; otherwise the order is read
    and, while it is pending, its authorizations once to find the challenges.
    Then only the order is polled.
    """
    client.require_account()
    clock = clock or SystemClock()
    private_key = keys.existing_certificate_key(request.private_key_path)
    answered = []
    if request.challenges is not None and not check_mode:
        answered = _answer_given(client, request.challenges, clock)
    orderr = client.load_order(request.order_uri, authorizations=False)
    status = status_name(orderr.body)
    if status == STATUS_PENDING and request.challenges is None:
        orderr = _refreshed(client, orderr, orderr.body)
    if status == STATUS_INVALID:
        orderr = _refreshed(client, orderr, orderr.body)  # to name the failing authorization
        raise order_failure(orderr) if check_mode else _with_cleanup(client, orderr, order_failure(orderr))
    fetch_alternatives = bool(request.preferred_chain)
    issued = status != STATUS_VALID
    if issued and check_mode:
        return dict(changed=True, issued=False, order_uri=orderr.uri, order_status=status, answered=[],
                    msg="check mode: would answer the pending challenges and finalize the order")
    if issued:
        if request.challenges is None:
            answered = client.answer_pending(orderr)
        csr = csr_for(private_key, order_names(orderr))
        try:
            orderr = await_certificate(client, orderr, csr, request, clock, fetch_alternatives)
        except (ValidationFailed, TimeoutExpired) as failure:
            raise _with_cleanup(client, orderr, failure) from None
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
    result.update(pem.certificate_facts(issued_chain.leaf, clock.now()))
    if issued_chain.preferred_found is False:
        result["warnings"] = ["no chain with top issuer %r; kept the default chain (issuers offered: %s)"
                              % (request.preferred_chain, ", ".join(issued_chain.available_issuers))]
    return result


def write_outputs(request: FinalizeRequest, issued_chain: IssuedChain, check_mode: bool = False,
                  clock: Clock | None = None) -> dict[str, dict[str, Any]]:
    """Write the requested files; ``{path: {changed, backup}}`` per file."""
    outputs = [(request.certificate_path, issued_chain.certificate_pem),
               (request.chain_path, issued_chain.chain_pem),
               (request.fullchain_path, issued_chain.fullchain_pem)]
    written: dict[str, dict[str, Any]] = {}
    for path, content in outputs:
        if not path:
            continue
        if check_mode:
            written[path] = dict(changed=files.needs_write(path, content, files.PUBLIC_MODE), backup=None)
            continue
        changed, backup_path = files.write_atomic(path, content, files.PUBLIC_MODE, request.backup, clock)
        written[path] = dict(changed=changed, backup=backup_path)
    return written
