# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply a DogeCloud deployment: upload -> bind -> confirm -> prune.

The order keeps what is serving: pruning happens only after every binding has
been read back, so a failure at any step leaves the previous certificate bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.dogecloud import deploy_plan
from ansible_collections.certops.acme.plugins.module_utils.dogecloud import note as upload_note
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import DogeCloudApiError
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, FailedAfterChange, InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.http_client import NetworkError, TransientFaultError

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable

    from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import CdnDomain, DogeCloudClient, RemoteCertificate
    from ansible_collections.certops.acme.plugins.module_utils.dogecloud.local_certificate import LocalCertificate


DEFAULT_PRUNE_GRACE_PERIOD = 3600
# What DogeCloud answers to a bind of a certificate id it does not know (the code is not documented).
CERT_NOT_FOUND_CODE = 404
CERT_NOT_FOUND_TEXTS = ("证书不存在", "not found")
BIND_ERRORS = (DogeCloudApiError, TransientFaultError, NetworkError)


@dataclass(frozen=True)
class DeployRequest:
    local: LocalCertificate
    labels: deploy_plan.Labels
    bind: deploy_plan.BindRequest
    prune: bool
    prune_grace_period: int = DEFAULT_PRUNE_GRACE_PERIOD

    @property
    def note_prefix(self) -> str:
        return self.labels.prefix

    def prune_policy(self, now: datetime.datetime, certs: Iterable[RemoteCertificate],
                     domains: Iterable[CdnDomain]) -> deploy_plan.PrunePolicy:
        return deploy_plan.PrunePolicy(enabled=self.prune, grace_period=self.prune_grace_period,
                                       now=int(now.timestamp()), in_service=deploy_plan.in_service(certs, domains))


def labels_for(local: LocalCertificate | None, prefix: str, note: str | None = None, name: str | None = None,
               now: datetime.datetime | None = None) -> deploy_plan.Labels:
    """The :class:`~deploy_plan.Labels` of a run: a given ``note`` as is, else one composed at ``now``."""
    if name is not None and not upload_note.valid_name(name):
        raise InvalidInputError("certificate_name", "%r cannot go into a note: use at most %d characters, none of "
                                "them a blank or ';'" % (name, upload_note.MAX_NAME_CHARS))
    if note is not None and not note.strip():
        # An empty note would match every upload made without one, which this collection never made.
        raise InvalidInputError("note", "is blank; give the note of the uploads to set or remove, or leave note out")
    name = name or (local.first_name if local is not None else None)
    if note or local is None:
        return deploy_plan.Labels(note=note, prefix=prefix, name=name)  # type: ignore[arg-type]  # the module requires a note or a certificate
    if now is None:  # not reached: a composed note carries the upload time
        raise AssertionError("now is None")
    return deploy_plan.Labels(note=local.default_note(prefix, int(now.timestamp()), name), prefix=prefix, name=name,
                              composed=True)


@dataclass
class _Progress:
    """What a deployment has written so far (reported when it fails after a write)."""

    cert_id: int | None
    uploaded: bool = False
    rebound: list[str] = field(default_factory=list)
    pruned: list[int] = field(default_factory=list)

    @property
    def wrote(self) -> bool:
        return bool(self.uploaded or self.rebound or self.pruned)


def deploy(client: DogeCloudClient, request: DeployRequest, check_mode: bool = False,
           now: datetime.datetime | None = None) -> dict[str, Any]:
    """Make the certificate deployed and bound; return the module result."""
    if now is None:  # not reached: the prune policy and the facts need the time
        raise AssertionError("now is None")
    certs, domains = client.list_certificates(), client.list_domains()
    policy = request.prune_policy(now, certs, domains)
    plan = deploy_plan.plan_present(request.local, request.labels, certs, domains, request.bind, policy)
    result: dict[str, Any]
    result = dict(changed=plan.changed, uploaded=plan.upload, note=plan.note, diff=plan.diff,
                  certificate_id=plan.reuse.id if plan.reuse else None,
                  bound_domains=list(plan.targets), rebound_domains=list(plan.to_bind),
                  skipped_domains=list(plan.skipped), pruned_ids=list(plan.prune_ids),
                  certificate=request.local.facts(now), warnings=[])
    if check_mode:
        return result
    progress = _Progress(cert_id=plan.reuse.id if plan.reuse else None)
    try:
        _apply(client, request, plan, policy, certs, domains, progress, result["warnings"])
    except CertopsError as exc:
        if not progress.wrote:
            raise
        result.update(changed=True, uploaded=progress.uploaded, certificate_id=progress.cert_id,
                      rebound_domains=progress.rebound, pruned_ids=progress.pruned)
        result.pop("diff")
        raise FailedAfterChange(exc, result) from exc
    result.update(certificate_id=progress.cert_id, pruned_ids=progress.pruned,
                  changed=progress.wrote,
                  diff=deploy_plan.present_diff(plan, request.local, certs, domains, request.labels,
                                                cert_id=progress.cert_id, pruned_ids=progress.pruned))
    return result


def _apply(client: DogeCloudClient, request: DeployRequest, plan: deploy_plan.DeployPlan, policy: deploy_plan.PrunePolicy,
           certs: list[RemoteCertificate], domains: list[CdnDomain], progress: _Progress, warnings: list[str]) -> None:
    """Upload (unless reused) -> bind -> confirm -> prune, recording each write in ``progress``."""
    if plan.upload:
        progress.cert_id = upload_once(client, request)
        progress.uploaded = True
    if progress.cert_id is None:  # not reached: reused or just uploaded
        raise AssertionError("progress.cert_id is None")
    fresh_certs, fresh_domains = certs, domains
    if plan.to_bind:
        bind_all(client, request, plan, progress, warnings)
        fresh_domains = confirm_bindings(client, progress.cert_id, plan.targets)
        fresh_certs = client.list_certificates() if policy.enabled and request.note_prefix else certs
    prune(client, request, policy, fresh_certs, fresh_domains, progress)


def bind_all(client: DogeCloudClient, request: DeployRequest, plan: deploy_plan.DeployPlan, progress: _Progress,
             warnings: list[str]) -> None:
    """Bind every domain of ``plan.to_bind``, tolerating what DogeCloud is known to answer.

    DogeCloud may answer an error although the binding took effect: after a
    bind error the domain list is read once, and a binding that took is a
    success with a warning. A bind answered "certificate not found" for the
    upload this run made re-uploads once and binds again from the start.
    """
    if progress.cert_id is None:  # not reached: reused or just uploaded
        raise AssertionError("progress.cert_id is None")
    pending = list(plan.to_bind)
    reuploaded = False
    while pending:
        name = pending[0]
        try:
            client.bind(progress.cert_id, name)
        except BIND_ERRORS as exc:
            bound = {domain.name: domain.cert_id for domain in client.list_domains()}
            if bound.get(name) == progress.cert_id:
                warnings.append("DogeCloud answered the binding of certificate %d to %s with an error, but the "
                                "domain list shows it bound, so it took effect: %s" % (progress.cert_id, name, exc))
            elif progress.uploaded and not reuploaded and _certificate_not_found(exc):
                reuploaded = True
                lost = progress.cert_id
                progress.cert_id = upload_once(client, request)
                warnings.append("DogeCloud did not find certificate %d, uploaded by this run, when binding %s (%s); "
                                "uploaded it again as certificate %d" % (lost, name, exc, progress.cert_id))
                progress.rebound = []
                pending = list(plan.to_bind)
                continue
            else:
                raise
        progress.rebound.append(name)
        pending.pop(0)


def _certificate_not_found(exc: Exception) -> bool:
    details = getattr(exc, "details", {}) or {}
    msg = str(details.get("msg") or "")
    return details.get("code") == CERT_NOT_FOUND_CODE or any(text in msg for text in CERT_NOT_FOUND_TEXTS)


def upload_once(client: DogeCloudClient, request: DeployRequest) -> int:
    """Upload the certificate without ever storing it twice.

    An upload that got a 5xx or no answer may have been stored anyway, so it is
    not blindly repeated: the certificate list is read, and an entry with this
    note, SANs and expiry is taken as the upload; only when there is none is the
    upload sent again (a 429 is retried below this, as it is never processed).
    """
    local = request.local
    if local.key_pem is None:  # not reached: a deployment is given the private key
        raise AssertionError("local.key_pem is None")
    retry = client.new_retry()
    while True:
        try:
            return client.upload_certificate(request.labels.note, local.chain_pem, local.key_pem)
        except (TransientFaultError, NetworkError):
            stored = deploy_plan.find_reusable(client.list_certificates(), request.labels, local)
            if stored is not None:
                return stored.id
            if not retry.again():
                raise


def confirm_bindings(client: DogeCloudClient, cert_id: int, targets: Iterable[str]) -> list[CdnDomain]:
    """Read the domains back; fail (before any pruning) when a binding did not take."""
    domains = client.list_domains()
    actual = {domain.name: domain.cert_id for domain in domains}
    missing = {name: actual.get(name) for name in targets if actual.get(name) != cert_id}
    if missing:
        raise DogeCloudApiError(
            "DogeCloud accepted the binding of certificate %d but the domain list shows %s; nothing was pruned, "
            "the previous certificates stay uploaded; run again to retry"
            % (cert_id, ", ".join("%s still on certificate %s" % item for item in sorted(missing.items()))),
            certificate_id=cert_id, unconfirmed_domains=sorted(missing))
    return domains


def prune(client: DogeCloudClient, request: DeployRequest, policy: deploy_plan.PrunePolicy, certs: Iterable[RemoteCertificate],
          domains: Iterable[CdnDomain], progress: _Progress) -> None:
    """Delete the uploads of this certificate that nothing uses any more (see ``prune_candidates``)."""
    bindings = {domain.name: domain.cert_id for domain in domains}
    doomed = deploy_plan.prune_candidates(certs, domains, bindings, progress.cert_id, request.labels, policy)
    for doomed_id in doomed:
        client.delete_certificate(doomed_id)
        progress.pruned.append(doomed_id)


def remove(client: DogeCloudClient, labels: deploy_plan.Labels, local: LocalCertificate | None = None,
           check_mode: bool = False) -> dict[str, Any]:
    """``state: absent``: delete the uploads of the certificate when nothing uses them."""
    certs, domains = client.list_certificates(), client.list_domains()
    plan = deploy_plan.plan_absent(certs, domains, labels, local)
    if not check_mode:
        for cert_id in plan.delete_ids:
            client.delete_certificate(cert_id)
    return dict(changed=plan.changed, note=labels.note, deleted_ids=list(plan.delete_ids), diff=plan.diff)
