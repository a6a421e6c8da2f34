# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Certificates and CDN domains of the emulated account.

Not thread-safe on its own: callers hold the lab lock around every call.
"""

from dataclasses import dataclass

from .pem import name_covers

FIRST_CERT_ID = 1000
FIRST_DOMAIN_ID = 3001
DOMAIN_CTIME = "2026-01-01 00:00:00"
INITIAL_DOMAINS = (
    ("cdn.example.test", "online"),
    ("static.example.test", "online"),
    ("img.other.test", "online"),
    ("old.example.test", "offline"),
)


class ApiError(Exception):
    """An API refusal, answered as the envelope ``{"code": code, "msg": msg}``."""

    def __init__(self, code, msg):
        super().__init__(f"{code} {msg}")
        self.code = code
        self.msg = msg


@dataclass
class Certificate:
    id: int
    note: str
    upload: object  # pem.ParsedUpload

    @property
    def expire(self):
        return int(self.upload.not_after.timestamp())


@dataclass
class Domain:
    id: int
    name: str
    status: str
    cert_id: int = 0

    def as_api_item(self):
        return {
            "id": self.id,
            "name": self.name,
            "cname": f"{self.name}.cdn.lab.test",
            "service_type": "web",
            "status": self.status,
            "source": f"origin.{self.name.partition('.')[2]}",
            "ctime": DOMAIN_CTIME,
            "cert_id": self.cert_id,
        }


def _period(upload):
    fmt = "%Y-%m-%d %H:%M:%S"
    return f"{upload.not_before.strftime(fmt)} ~ {upload.not_after.strftime(fmt)}"


class CdnStore:
    def __init__(self, extra_domains=()):
        # Lab switch: more online CDN domains after the initial ones (e.g. for benchmarks).
        self.extra_domains = tuple((name.lower(), "online") for name in extra_domains)
        self.reset()

    def reset(self):
        self.certs = {}
        self.next_cert_id = FIRST_CERT_ID
        self.domains = [
            Domain(id=FIRST_DOMAIN_ID + index, name=name, status=status)
            for index, (name, status) in enumerate(INITIAL_DOMAINS + self.extra_domains)
        ]

    # -- certificates -----------------------------------------------------
    def add_certificate(self, note, upload):
        """Store an upload under a new id; identical uploads are not merged."""
        cert = Certificate(id=self.next_cert_id, note=note, upload=upload)
        self.certs[cert.id] = cert
        self.next_cert_id += 1
        return cert.id

    def certificate(self, cert_id):
        try:
            return self.certs[cert_id]
        except KeyError:
            raise ApiError(404, f"证书不存在 (cert id {cert_id} not found)") from None

    def delete_certificate(self, cert_id):
        self.certificate(cert_id)
        users = self._domains_using(cert_id)
        if users:
            names = ", ".join(domain.name for domain in users)
            raise ApiError(400, f"证书正在使用中，无法删除 (certificate is in use by: {names})")
        del self.certs[cert_id]

    def cert_list_item(self, cert):
        return {
            "id": cert.id,
            "name": cert.note,
            "note": cert.note,
            "expire": cert.expire,
            "domainCount": len(self._domains_using(cert.id)),
            "info": {
                "SAN": list(cert.upload.sans),
                "type": cert.upload.key_type,
                "period": _period(cert.upload),
            },
        }

    def cert_list(self):
        return [self.cert_list_item(cert) for cert in self.certs.values()]

    # -- domains ----------------------------------------------------------
    def domain_by_name(self, name):
        for domain in self.domains:
            if domain.name == name:
                return domain
        raise ApiError(404, f"域名不存在 (domain {name!r} not found)")

    def domain_by_id(self, domain_id):
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise ApiError(404, f"域名不存在 (domain id {domain_id} not found)")

    def bind(self, domain, cert_id):
        """Bind a certificate to a domain; cert id 0 removes the binding."""
        if cert_id != 0:
            cert = self.certificate(cert_id)
            if not any(name_covers(san, domain.name) for san in cert.upload.sans):
                raise ApiError(
                    400, f"证书与域名不匹配 (certificate {cert_id} does not cover {domain.name})"
                )
        domain.cert_id = cert_id

    def bound_certificate(self, server_name):
        """The certificate bound to the domain of that name, or None."""
        for domain in self.domains:
            if domain.name == server_name.lower() and domain.cert_id:
                return self.certs.get(domain.cert_id)
        return None

    def _domains_using(self, cert_id):
        return [domain for domain in self.domains if domain.cert_id == cert_id]

    # -- control view -----------------------------------------------------
    def snapshot(self):
        """The stored state for the control API, without private keys."""
        certs = [
            dict(self.cert_list_item(cert), cert=cert.upload.chain_pem) for cert in self.certs.values()
        ]
        return {"certs": certs, "domains": [domain.as_api_item() for domain in self.domains]}
