# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read-only views of a DogeCloud account for the ``_info`` modules.

They carry what a renewal decision needs without any local state: for each
domain, the bound certificate's SANs, expiry, days left and key type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme import names as dns_names
from ansible_collections.certops.acme.plugins.module_utils.acme.renewal import key_family
from ansible_collections.certops.acme.plugins.module_utils.clock import days_left, from_unix
from ansible_collections.certops.acme.plugins.module_utils.dogecloud import note as upload_note
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.deploy_plan import iso_from_unix
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence

    from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import CdnDomain, DogeCloudClient, RemoteCertificate


def certificate_facts(cert: RemoteCertificate, domains: Iterable[CdnDomain], now: datetime.datetime) -> dict[str, Any]:
    bound = sorted(domain.name for domain in domains if domain.cert_id == cert.id)
    return dict(
        id=cert.id,
        note=cert.note,
        sans=list(cert.sans),
        expire=iso_from_unix(cert.expire),
        expire_timestamp=cert.expire,
        days_left=days_left(from_unix(cert.expire), now),
        expired=cert.expire <= now.timestamp(),
        key_type=cert.key_type,
        key_family=key_family(cert.key_type),
        ari_cert_id=upload_note.ari_cert_id(cert.note),
        domain_count=cert.domain_count,
        domains=bound,
    )


def unknown_key_type_warning(certificate_facts_list: Iterable[Mapping[str, Any] | None]) -> str | None:
    """One warning for all listed certificates whose ``info.type`` names no key family, or ``None``."""
    unknown = sorted({"%s (%r)" % (facts["id"], facts["key_type"]) for facts in certificate_facts_list
                      if facts and facts["key_family"] is None})
    if not unknown:
        return None
    return ("DogeCloud reports a key type that names no key family (EC, ECC, ECDSA or RSA) for certificate %s; "
            "its key type is unknown, so a renewal decision will not compare key types" % ", ".join(unknown))


def certificate_info(client: DogeCloudClient, now: datetime.datetime, note_prefix: str | None = None,
                     ids: Iterable[int] | None = None, bound_to: Iterable[str] | None = None) -> dict[str, Any]:
    """The result of ``dogecloud_certificate_info``: the selected certificates (see ``certificate_infos``), read-only."""
    certificates = certificate_infos(client.list_certificates(), client.list_domains(), now,
                                     note_prefix=note_prefix, ids=ids, bound_to=bound_to)
    return _info_result(certificates=certificates, warned_on=certificates)


def domain_info(client: DogeCloudClient, now: datetime.datetime, names: Iterable[str] | None = None,
                covered_by: Iterable[str] | None = None) -> dict[str, Any]:
    """The result of ``dogecloud_domain_info``: the selected CDN domains (see ``domain_infos``), read-only."""
    domains = domain_infos(client.list_domains(), client.list_certificates(), now, names=names, covered_by=covered_by)
    return _info_result(domains=domains, warned_on=[domain["certificate"] for domain in domains])


def _info_result(warned_on: Iterable[Mapping[str, Any] | None], **facts: object) -> dict[str, Any]:
    warning = unknown_key_type_warning(warned_on)
    return dict(facts, changed=False, warnings=[warning] if warning else [])


def certificate_infos(certs: Iterable[RemoteCertificate], domains: Sequence[CdnDomain], now: datetime.datetime,
                      note_prefix: str | None = None, ids: Iterable[int] | None = None,
                      bound_to: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Certificates, optionally only those with a note prefix, given ids, or bound to given domains."""
    wanted_ids = set(ids or ())
    bound_ids = {domain.cert_id for domain in domains if domain.name in _lower_set(bound_to)}
    selected = [
        cert for cert in certs
        if (not note_prefix or cert.note.startswith(note_prefix))
        and (not wanted_ids or cert.id in wanted_ids)
        and (not bound_to or cert.id in bound_ids)
    ]
    return [certificate_facts(cert, domains, now) for cert in sorted(selected, key=lambda cert: cert.id)]


def domain_infos(domains: Sequence[CdnDomain], certs: Iterable[RemoteCertificate], now: datetime.datetime,
                 names: Iterable[str] | None = None, covered_by: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """CDN domains with their bound certificate.

    ``names`` keeps the named domains (an unknown name fails); ``covered_by``
    keeps the domains that one of these certificate names covers (a wildcard
    covers one label), as a deployment with ``bind: auto`` would choose them.
    """
    wanted = _lower_set(names)
    unknown = sorted(wanted - {domain.name for domain in domains})
    if unknown:
        raise InvalidInputError(
            "domains", "no CDN domain named %s in this DogeCloud account (it has: %s)"
            % (", ".join(unknown), ", ".join(sorted(domain.name for domain in domains)) or "none"))
    by_id = {cert.id: cert for cert in certs}
    return [domain_facts(domain, by_id, domains, now) for domain in domains
            if (not wanted or domain.name in wanted)
            and (covered_by is None or pem.names_covered(covered_by, domain.name))]


def domain_facts(domain: CdnDomain, certs_by_id: Mapping[int, RemoteCertificate], domains: Iterable[CdnDomain],
                 now: datetime.datetime) -> dict[str, Any]:
    cert = certs_by_id.get(domain.cert_id) if domain.cert_id else None
    return dict(
        id=domain.id,
        name=domain.name,
        status=domain.status,
        online=domain.status == "online",
        cert_id=domain.cert_id,
        certificate=certificate_facts(cert, domains, now) if cert else None,
    )


def _lower_set(names: Iterable[str] | None) -> set[str]:
    return {name.lower().rstrip(".") for name in names or ()}


def certificate_views(domains: Sequence[CdnDomain], certs: Iterable[RemoteCertificate], now: datetime.datetime,
                      requests: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """For each requested certificate, the CDN domains that would serve it and the certificate they serve now.

    ``requests`` are dicts with ``id`` and either ``domains`` (CDN domains by
    name) or ``covered_by`` (the certificate's names: the online CDN domains
    they cover are the targets, as ``bind: auto`` chooses them). One read of
    the account answers any number of certificates. A request whose input is
    wrong (a bad name, a CDN domain the account does not have) gets an
    ``error`` naming the option (``domains`` or ``names``) instead of failing
    the others. A request with ``domains`` may give the certificate's
    ``names`` too: its view then lists in ``uncovered`` the targets no name
    covers (a wildcard covers one label), where the CDN could not serve it.
    """
    return [certificate_view(domains, certs, now, request) for request in requests]


def certificate_view(domains: Sequence[CdnDomain], certs: Iterable[RemoteCertificate], now: datetime.datetime,
                     request: Mapping[str, Any]) -> dict[str, Any]:
    view: dict[str, Any] = dict(id=request["id"], targets=[], domains=[], current=None, error=None)
    auto = request.get("covered_by") is not None
    cert_names = None
    try:
        if auto:
            covered_by = dns_names.certificate_names(request["covered_by"], "names")
            candidates = domain_infos(domains, certs, now, covered_by=covered_by)
        else:
            cert_names = dns_names.certificate_names(request.get("names"), "names")
            wanted = dns_names.host_names(request.get("domains") or [], "domains")
            candidates = domain_infos(domains, certs, now, names=wanted) if wanted else []
    except InvalidInputError as exc:
        view["error"] = exc.message
        return view
    view["domains"] = candidates
    view["targets"] = sorted({domain["name"] for domain in candidates if domain["online"] or not auto})
    if cert_names is not None:
        view["uncovered"] = uncovered_targets(cert_names, view["targets"])
    view["current"] = served_certificate([domain for domain in candidates if domain["name"] in view["targets"]])
    return view


def uncovered_targets(cert_names: Iterable[str], targets: Iterable[str]) -> list[str]:
    """The targets that no name of the certificate covers, in their order."""
    cert_names = list(cert_names)
    return [target for target in targets if not pem.names_covered(cert_names, target)]


def served_certificate(domain_facts_list: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The certificate bound on every one of these domains, or ``None`` when they disagree or one has none.

    The CDN is the truth: when the domains serve different certificates
    there is no current one, and a new one is issued for all of them.
    """
    if not domain_facts_list or len({domain["cert_id"] for domain in domain_facts_list}) != 1:
        return None
    certificate: dict[str, Any] | None = domain_facts_list[0]["certificate"]
    return certificate
