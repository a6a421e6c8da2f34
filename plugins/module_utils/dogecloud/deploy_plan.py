# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a DogeCloud deployment must write, decided from live state alone.

Pure functions over plain data (the lists DogeCloud returns and the local
certificate): no I/O, so every rule is unit-tested directly.

Rules: reuse an upload of the same certificate (same certificate name and ARI
identifier in the note, or the same given note; same SANs and expiry) instead
of uploading it again; bind only the domains whose certificate differs; prune
only uploads whose note is ours and names this certificate, that were in
service when the run started or are older than the grace period, that no
domain uses and that are not the deployed one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.clock import from_unix
from ansible_collections.certops.acme.plugins.module_utils.dogecloud import note as upload_note
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping, Sequence

    from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import CdnDomain, RemoteCertificate
    from ansible_collections.certops.acme.plugins.module_utils.dogecloud.local_certificate import LocalCertificate

ONLINE = "online"


@dataclass(frozen=True)
class BindRequest:
    """Which domains to bind: an explicit list, every covered online domain (``auto``), or none."""

    domains: tuple[str, ...] = ()
    auto: bool = False


@dataclass(frozen=True)
class Labels:
    """The note of a new upload, and how the uploads of the same certificate are recognised.

    ``name`` is the certificate name. With ``composed``, the note was composed
    (``note.py``) and an upload is one of this certificate when its note is
    ours (``prefix``) and names it. Otherwise the note was given by the user and
    only that exact note matches. Pruning always goes by ``name`` and never
    touches an upload whose note is not ours.
    """

    note: str
    prefix: str
    name: str | None = None
    composed: bool = False

    def ours(self, remote_note: str) -> upload_note.UploadNote | None:
        """The parsed note when an upload with ``remote_note`` was made by this collection, else ``None``."""
        return upload_note.parse(remote_note, self.prefix)

    def ours_for_this_name(self, remote_note: str) -> upload_note.UploadNote | None:
        """The parsed note when the upload is ours and names this certificate, else ``None``."""
        parsed = self.ours(remote_note)
        return parsed if parsed is not None and self.name is not None and parsed.name == self.name else None

    def names_this_certificate(self, remote_note: str) -> bool:
        if not self.composed:
            return remote_note == self.note
        return self.ours_for_this_name(remote_note) is not None


@dataclass(frozen=True)
class PrunePolicy:
    """Whether to prune, and the grace period that protects young uploads (seconds, at ``now`` unix seconds).

    ``in_service`` holds the ids of the certificates that were bound when the
    run started: such an upload is no other run's upload waiting for its bind,
    so it needs no grace period once it is superseded.
    """

    enabled: bool = True
    grace_period: int = 3600
    now: int = 0
    in_service: frozenset[int] = frozenset()

    def old_enough(self, cert_id: int, parsed: upload_note.UploadNote) -> bool:
        return (cert_id in self.in_service or parsed.uploaded is None
                or self.now - parsed.uploaded >= self.grace_period)


def in_service(certs: Iterable[RemoteCertificate], domains: Iterable[CdnDomain]) -> frozenset[int]:
    """Ids of the certificates bound to a domain (listed, or counted by ``domainCount``)."""
    return frozenset({domain.cert_id for domain in domains if domain.cert_id}
                     | {cert.id for cert in certs if cert.domain_count > 0})


@dataclass(frozen=True)
class DeployPlan:
    note: str
    reuse: RemoteCertificate | None  # the RemoteCertificate to reuse, or None to upload
    targets: tuple[str, ...]  # domain names that must end up bound to the certificate
    to_bind: tuple[str, ...]  # the targets whose binding changes
    skipped: tuple[str, ...]  # covered by the certificate but not online (auto only)
    prune_ids: tuple[int, ...]  # predicted; recomputed from fresh state after binding
    diff: dict[str, Any] = field(default_factory=dict)

    @property
    def upload(self) -> bool:
        return self.reuse is None

    @property
    def changed(self) -> bool:
        return bool(self.upload or self.to_bind or self.prune_ids)


@dataclass(frozen=True)
class AbsentPlan:
    delete_ids: tuple[int, ...]
    diff: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.delete_ids)


def same_names(sans_a: Iterable[str], sans_b: Iterable[str]) -> bool:
    return sorted(s.lower() for s in sans_a) == sorted(s.lower() for s in sans_b)


def matches_local(remote: RemoteCertificate, labels: Labels, local: LocalCertificate) -> bool:
    """An uploaded certificate is this one: found by its note, confirmed by SANs and expiry.

    With a composed note, the certificate itself must match too: by the ARI
    identifier (issuer key and serial) it records, or, for a certificate
    without an Authority Key Identifier and for notes of earlier versions, by
    the fingerprint prefix the note carries.
    """
    if not (labels.names_this_certificate(remote.note) and same_names(remote.sans, local.sans)
            and remote.expire == local.expire):
        return False
    if not labels.composed:
        return True
    parsed = labels.ours_for_this_name(remote.note)
    if parsed is None:  # not reached: names_this_certificate found it
        raise AssertionError("parsed is None")
    if parsed.uploaded is None:  # a note of an earlier version: <prefix><name>-<fingerprint[:12]>
        return remote.note.endswith("-" + local.fingerprint[:upload_note.LEGACY_FINGERPRINT_CHARS])
    if parsed.ari_cert_id or local.ari_cert_id:
        return parsed.ari_cert_id == local.ari_cert_id
    return parsed.fingerprint == local.fingerprint[:upload_note.FINGERPRINT_CHARS]


def find_reusable(certs: Iterable[RemoteCertificate], labels: Labels, local: LocalCertificate) -> RemoteCertificate | None:
    """The upload of ``local`` to reuse: the most used one, then the oldest."""
    candidates = [cert for cert in certs if matches_local(cert, labels, local)]
    if not candidates:
        return None
    return sorted(candidates, key=lambda cert: (-cert.domain_count, cert.id))[0]


def select_targets(sans: Sequence[str], domains: Iterable[CdnDomain],
                   request: BindRequest) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(targets, skipped)``: the domain names to bind, and covered domains left out because offline."""
    if request.auto:
        covered = [domain for domain in domains if pem.names_covered(sans, domain.name)]
        return (tuple(domain.name for domain in covered if domain.status == ONLINE),
                tuple(domain.name for domain in covered if domain.status != ONLINE))
    return _checked_explicit_targets(sans, domains, request.domains), ()


def _checked_explicit_targets(sans: Sequence[str], domains: Iterable[CdnDomain], names: Iterable[str]) -> tuple[str, ...]:
    known = {domain.name for domain in domains}
    wanted = _unique_lower(names)
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise InvalidInputError(
            "domains", "no CDN domain named %s in this DogeCloud account (it has: %s); fix the name or add the "
            "domain in the DogeCloud console first" % (", ".join(unknown), ", ".join(sorted(known)) or "none"))
    uncovered = [name for name in wanted if not pem.names_covered(sans, name)]
    if uncovered:
        raise InvalidInputError(
            "domains", "the certificate (SANs: %s) does not cover %s; remove the domain or issue a certificate "
            "that names it" % (", ".join(sans), ", ".join(uncovered)))
    return tuple(wanted)


def _unique_lower(names: Iterable[str]) -> list[str]:
    unique = []
    for name in names:
        name = name.lower().rstrip(".")
        if name not in unique:
            unique.append(name)
    return unique


def bindings_after(domains: Iterable[CdnDomain], targets: Collection[str], cert_id: int | None) -> dict[str, int | None]:
    """Domain name -> certificate id once the targets are bound to ``cert_id``."""
    return {domain.name: (cert_id if domain.name in targets else domain.cert_id) for domain in domains}


def prune_candidates(certs: Iterable[RemoteCertificate], domains: Iterable[CdnDomain], bindings: Mapping[str, int | None],
                     keep_id: int | None, labels: Labels, policy: PrunePolicy) -> tuple[int, ...]:
    """Ids of uploads of this certificate that this collection made and nothing uses.

    An upload is pruned only when all of these hold: its note is ours (the
    prefix and the exact form of ``note.py``) and names this certificate;
    it was in service when the run started, or it is older than the grace
    period (a younger unbound one may belong to a run in progress, between its
    upload and its bind; a note of an earlier version has no time and counts
    as old); it is not the deployed one; no domain in
    ``bindings`` uses it; and its ``domainCount`` counts no binding that the
    domain list does not show. So uploads left unbound by a killed or failed
    run are pruned by the next successful one, and a certificate that merely
    shares DNS names with this one (another name in its note) is never touched.
    """
    if not policy.enabled or not labels.prefix or labels.name is None:
        return ()
    listed_users: dict[int, int] = {}
    for domain in domains:
        listed_users[domain.cert_id] = listed_users.get(domain.cert_id, 0) + 1
    used_after = set(bindings.values())
    doomed = []
    for cert in certs:
        parsed = labels.ours_for_this_name(cert.note)
        if (parsed is not None
                and policy.old_enough(cert.id, parsed)
                and cert.id != keep_id
                and cert.id not in used_after
                and cert.domain_count <= listed_users.get(cert.id, 0)):
            doomed.append(cert.id)
    return tuple(doomed)


def plan_present(local: LocalCertificate, labels: Labels, certs: Sequence[RemoteCertificate], domains: Sequence[CdnDomain],
                 request: BindRequest, prune: PrunePolicy) -> DeployPlan:
    """Decide the upload, the bindings and the (predicted) pruning (``prune``: a :class:`PrunePolicy`)."""
    reuse = find_reusable(certs, labels, local)
    targets, skipped = select_targets(local.sans, domains, request)
    cert_id = reuse.id if reuse else None
    current = {domain.name: domain.cert_id for domain in domains}
    to_bind = tuple(name for name in targets if cert_id is None or current[name] != cert_id)
    bindings = bindings_after(domains, targets, cert_id)
    prune_ids = prune_candidates(certs, domains, bindings, cert_id, labels, prune)
    plan = DeployPlan(note=reuse.note if reuse else labels.note, reuse=reuse, targets=targets, to_bind=to_bind,
                      skipped=skipped, prune_ids=prune_ids)
    return replace(plan, diff=present_diff(plan, local, certs, domains, labels))


def plan_absent(certs: Iterable[RemoteCertificate], domains: Sequence[CdnDomain], labels: Labels,
                local: LocalCertificate | None = None) -> AbsentPlan:
    """Delete the uploads of this certificate (or of this note); refuse while one is bound."""
    matching = [cert for cert in certs
                if (matches_local(cert, labels, local) if local is not None else cert.note == labels.note)]
    for cert in matching:
        users = sorted(domain.name for domain in domains if domain.cert_id == cert.id)
        if users or cert.domain_count:
            raise CertopsError(
                "certificate %d (%s) is still bound to %s; bind another certificate to %s first, then remove this one"
                % (cert.id, cert.note, ", ".join(users) or "%d domain(s)" % cert.domain_count,
                   "these domains" if len(users) != 1 else "it"),
                certificate_id=cert.id, bound_domains=users)
    diff = dict(before=dict(certificates=[certificate_view(cert) for cert in matching]),
                after=dict(certificates=[]))
    return AbsentPlan(delete_ids=tuple(cert.id for cert in matching), diff=diff)


# -- diff and views -------------------------------------------------------------
def iso_from_unix(seconds: float) -> str:
    return pem.iso(from_unix(seconds))


def certificate_view(cert: RemoteCertificate) -> dict[str, Any]:
    return dict(id=cert.id, note=cert.note, expire=iso_from_unix(cert.expire))


def present_diff(plan: DeployPlan, local: LocalCertificate, certs: Iterable[RemoteCertificate], domains: Iterable[CdnDomain],
                 labels: Labels, cert_id: int | None = None, pruned_ids: Collection[int] | None = None) -> dict[str, Any]:
    """Each target domain's certificate, and this certificate's uploads by the collection, before and after.

    Planned, ``cert_id`` (unknown before an upload) and ``pruned_ids`` come from
    the plan; once applied, the caller passes what actually happened.
    """
    by_id = {cert.id: cert for cert in certs}
    if cert_id is None and plan.reuse:
        cert_id = plan.reuse.id
    pruned_ids = plan.prune_ids if pruned_ids is None else pruned_ids
    new_view = dict(id=cert_id, note=plan.note, expire=pem.iso(local.not_after))

    def bound_view(cert_id: int | None) -> dict[str, Any] | None:
        if not cert_id:
            return None
        cert = by_id.get(cert_id)
        return certificate_view(cert) if cert else dict(id=cert_id, note=None, expire=None)

    names = set(plan.targets)
    shown = [domain for domain in domains if domain.name in names]
    managed = [cert for cert in certs
               if labels.ours_for_this_name(cert.note) or (plan.reuse and cert.id == plan.reuse.id)]
    before_certs = [certificate_view(cert) for cert in managed]
    after_certs = [view for view in before_certs if view["id"] not in pruned_ids]
    if plan.upload:
        after_certs.append(new_view)
    return dict(
        before=dict(domains={domain.name: bound_view(domain.cert_id) for domain in shown}, certificates=before_certs),
        after=dict(domains={domain.name: new_view for domain in shown}, certificates=after_certs),
    )
