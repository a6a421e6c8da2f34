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
