# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decide whether a certificate is due, then create or resume its order (``acme_order``)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.acme import keys, renewal
from ansible_collections.certops.acme.plugins.module_utils.acme.client import (
    PROBLEM_PREFIX, STATUS_DEACTIVATED, STATUS_PENDING, STATUS_READY, AcmeProblem, csr_for, order_names, status_name)
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable

    from acme import messages

    from ansible_collections.certops.acme.plugins.module_utils.acme.client import Account, AcmeClient, PendingChallenge

RESUMABLE_STATUSES = (STATUS_PENDING, STATUS_READY)
NO_ACCOUNT_YET = ("the account key has no ACME account at this CA yet; certops.acme.acme_account would create it "
                  "before the order")


@dataclasses.dataclass(frozen=True)
class OrderRequest:
    names: tuple[str, ...]
    private_key_path: str
    key_type: str = "ec256"
    reuse_key: bool = False
    profile: str | None = None
    renew_before_days: int = 30
    use_ari: bool = True
    force: bool = False
    order_uri: str | None = None
    decide_only: bool = False


@dataclasses.dataclass
class OrderOutcome:
    decision: renewal.Decision
    changed: bool = False
    order_uri: str | None = None
    order_status: str | None = None
    resumed: bool = False
    account_uri: str | None = None
    replaces: str | None = None
    challenges: list[PendingChallenge] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    message: str | None = None
    directory_error: str | None = None

    def as_result(self) -> dict[str, Any]:
        result = dict(msg=self.message) if self.message else {}
        # dict(a, **b), not a | b: module_utils also run on Python 3.7 and 3.8 of managed nodes
        return dict(
            result, changed=self.changed, needs_renewal=self.decision.needs_renewal, reason=self.decision.reason,
            order_uri=self.order_uri, order_status=self.order_status, resumed=self.resumed,
            account_uri=self.account_uri, replaces=self.replaces,
            challenges=[challenge.as_result() for challenge in self.challenges],
            directory_error=self.directory_error)


def decide_renewal(client: AcmeClient, request: OrderRequest, current: renewal.CurrentCertificate | None,
                   now: datetime.datetime) -> tuple[renewal.Decision, list[str]]:
    """The renewal :class:`~renewal.Decision` and warnings; reads at most the directory and one ARI.

    Without a current certificate (or with ``force``) nothing is read.
    """
    warnings: list[str] = []
    if request.force:
        return renewal.decide(current, request.names, request.key_type, request.renew_before_days, now,
                              force=True), warnings
    static = renewal.static_decision(current, request.names, request.key_type, request.renew_before_days, now)
    if not (request.use_ari and renewal.ari_applies(current, static)):
        return static, warnings
    try:
        window = client.renewal_window(current.ari_id)
    except CertopsError as exc:
        warnings.append("renewal information (ARI) unavailable, deciding by renew_before_days: %s" % exc)
        return static, warnings
    return renewal.decide(current, request.names, request.key_type, request.renew_before_days, now, window), warnings


def replaced_certificate(client: AcmeClient, request: OrderRequest, current: renewal.CurrentCertificate | None,
                         now: datetime.datetime) -> str | None:
    """The ARI identifier to send as ``replaces``: for a renewal of the same certificate at a CA offering ARI."""
    if current is None or not request.use_ari or not client.offers_ari():
        return None
    static = renewal.static_decision(current, request.names, request.key_type, request.renew_before_days, now)
    return renewal.replaces_id(current, static)


def directory_problem(client: AcmeClient) -> str | None:
    """Why the directory cannot be used (it is read now when it was not yet), or ``None`` when it can.

    ``<url> does not answer with an ACME directory (<why>)``: the resources it
    lacks, or what the read of it ran into.
    """
    try:
        client.directory  # noqa: B018  # the property reads and checks the directory
    except CertopsError as exc:
        missing, status = exc.details.get("missing"), exc.details.get("status")
        read_failure = "could not read the ACME directory %s: " % client.directory_url
        if missing:
            why = "no %s" % ", ".join(missing)
        elif status is not None:  # an answer, but no directory: its status says enough
            why = "HTTP %s" % status
        else:
            why = exc.message.replace(read_failure, "", 1)
        return "%s does not answer with an ACME directory (%s)" % (client.directory_url, why)
    return None


def decide_only(client: AcmeClient, request: OrderRequest, current: renewal.CurrentCertificate | None,
                now: datetime.datetime) -> OrderOutcome:
    """The decision alone, and whether the directory can be used when a certificate is due.

    When a renewal is due (or the decision needs the CA: a profile to check, ARI
    to ask) the directory is read, once; a directory that cannot be used is
    reported in ``directory_error``, not raised, so that the caller can list it
    with its other findings. The decision is then made without the CA.
    """
    static = renewal.static_decision(current, request.names, request.key_type, request.renew_before_days, now)
    needs_ca = bool(request.profile) or (request.use_ari and renewal.ari_applies(current, static))
    if request.force or static.needs_renewal or needs_ca:
        problem = directory_problem(client)
        if problem is not None:
            if request.force:
                static = renewal.decide(current, request.names, request.key_type, request.renew_before_days, now,
                                        force=True)
            warnings = [] if static.needs_renewal else [
                "the directory cannot be read, deciding by renew_before_days: %s" % problem]
            return OrderOutcome(static, directory_error=problem, warnings=warnings)
    if request.profile:
        client.check_profile(request.profile)
    decision, warnings = decide_renewal(client, request, current, now)
    return OrderOutcome(decision, warnings=warnings)


def ensure_order(client: AcmeClient, request: OrderRequest, current: renewal.CurrentCertificate | None, now: datetime.datetime,
                 check_mode: bool = False) -> OrderOutcome:
    """Decide, then create or resume the order; returns an :class:`OrderOutcome`."""
    if request.decide_only:
        return decide_only(client, request, current, now)
    if request.profile:
        client.check_profile(request.profile)
    decision, warnings = decide_renewal(client, request, current, now)
    outcome = OrderOutcome(decision, warnings=warnings)
    if not decision.needs_renewal:
        return outcome
    replaces = replaced_certificate(client, request, current, now)
    account = _order_account(client, check_mode)
    # Orders belong to an account: without one there is nothing to resume.
    orderr = _resumable_order(client, request, outcome) if account else None
    if orderr is not None:
        outcome.resumed = True
        # The key written with the order is kept; only a lost one is replaced.
        key_outcome = keys.certificate_key(request.private_key_path, request.key_type, True, check_mode)
    else:
        key_outcome = keys.certificate_key(request.private_key_path, request.key_type, request.reuse_key, check_mode)
        if check_mode:
            outcome.replaces = replaces
            return _would_order(outcome, request, account)
        orderr = _new_order(client, csr_for(key_outcome.key, request.names), request.profile, replaces, outcome)
    if account is None:  # not reached: a resumed or new order has one
        raise AssertionError("account is None")
    outcome.account_uri = account.uri
    outcome.changed = outcome.changed or key_outcome.changed or not outcome.resumed
    outcome.order_uri = orderr.uri
    outcome.order_status = status_name(orderr.body)
    outcome.challenges = client.pending_challenges(orderr)
    return outcome


def _new_order(client: AcmeClient, csr: bytes, profile: str | None, replaces: str | None,
               outcome: OrderOutcome) -> messages.OrderResource:
    """A new order, with ``replaces`` when given; a CA that refuses it as already replaced gets a plain one."""
    try:
        orderr = client.new_order(csr, profile=profile, replaces=replaces)
    except AcmeProblem as problem:
        if not replaces or problem.details.get("type") != PROBLEM_PREFIX + "alreadyReplaced":
            raise
        # RFC 9773 5: the certificate was already replaced by another order;
        # the refusal created nothing, so one plain order is safe.
        outcome.warnings.append("the CA says certificate %s was already replaced (%s); ordered without replaces"
                                % (replaces, problem.details.get("detail", "")))
        replaces = None
        orderr = client.new_order(csr, profile=profile)
    outcome.replaces = replaces
    return orderr


def _order_account(client: AcmeClient, check_mode: bool) -> Account | None:
    """The account that signs the order; fail clearly when there is none.

    In check mode a key without an account yet (a first run) gives ``None``:
    the play would create the account with ``acme_account`` before ordering.
    """
    if check_mode:
        account = client.find_account()
        if account is None:
            return None
        if account.status != STATUS_DEACTIVATED:
            return account
    # Also for a deactivated account in check mode: require_account explains it.
    return client.require_account()


def _would_order(outcome: OrderOutcome, request: OrderRequest, account: Account | None) -> OrderOutcome:
    """The check-mode outcome of an order that would be created."""
    outcome.changed = True
    outcome.account_uri = account.uri if account else None
    outcome.message = "would create an order for %s" % ", ".join(request.names)
    if account is None:
        outcome.message += "; " + NO_ACCOUNT_YET
    return outcome


def _resumable_order(client: AcmeClient, request: OrderRequest, outcome: OrderOutcome) -> messages.OrderResource | None:
    """The order at ``request.order_uri`` when it can still be completed, else ``None``."""
    if not request.order_uri:
        return None
    try:
        orderr = client.load_order(request.order_uri)
    except CertopsError as exc:
        outcome.warnings.append("order %s cannot be read, creating a new one: %s" % (request.order_uri, exc))
        return None
    status = status_name(orderr.body)
    if status not in RESUMABLE_STATUSES:
        outcome.warnings.append("order %s is %s, creating a new one" % (request.order_uri, status))
        return None
    if sorted(order_names(orderr)) != sorted(request.names):
        outcome.warnings.append("order %s is for other names (%s), creating a new one"
                                % (request.order_uri, ", ".join(order_names(orderr))))
        return None
    return orderr


def current_certificate(pem_text: str | None = None, sans: Iterable[str] | None = None, not_after: object = None,
                        key_type: str | None = None, ari_id: str | None = None) -> renewal.CurrentCertificate | None:
    """The :class:`~renewal.CurrentCertificate` from a PEM or from facts, or ``None``.

    ``ari_id`` (``current_ari_cert_id``) goes with the facts: a PEM gives its own.
    """
    if key_type:  # checked even when a PEM makes it unused
        renewal.check_key_type(key_type, "current_key_type")
    if ari_id:
        renewal.check_ari_cert_id(ari_id, "current_ari_cert_id")
    if pem_text:
        if ari_id:
            raise InvalidInputError("current_ari_cert_id", "the current certificate's PEM gives its identifier; "
                                    "remove current_ari_cert_id")
        return renewal.current_from_pem(pem_text, "current_certificate")
    if sans or not_after:
        if not (sans and not_after):
            raise InvalidInputError("current_sans", "give both current_sans and current_not_after")
        return renewal.current_from_facts(sans, not_after, key_type, ari_id=ari_id)
    if ari_id:
        raise InvalidInputError("current_ari_cert_id", "describes the current certificate: give it together with "
                                "current_sans and current_not_after")
    return None
