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


# Switches of the control API (POST /_lab/config), off (the first value) by default.
# list_name: what a /cdn/cert/list.json item carries in "name": the certificate's common name (as the
#   public clients read the real service) or, as older readings had it, the note.
# info_type_style: the spelling of info.type.
LIST_NAME_STYLES = ("cn", "note")
INFO_TYPE_STYLES = ("ECC", "ECC-detail", "lower", "ecdsa", "empty", "missing", "unknown")
DEFAULT_OPTIONS = {"list_name": "cn", "info_type_style": "ECC", "bind_errors_but_binds": 0}
BIND_ERROR_MSG = "绑定失败，请稍后重试 (lab switch bind_errors_but_binds: the binding took effect)"


def info_type(upload, style):
    """``info.type`` of an upload in one of INFO_TYPE_STYLES; None means the key is left out."""
    family = upload.key_type  # ECC or RSA
    spelled = {
        "ECC": family,
        "ECC-detail": f"{family}-{upload.key_detail}",  # ECC-secp256r1, RSA-2048
        "lower": family.lower(),
        "ecdsa": f"ecdsa_{upload.key_detail}" if family == "ECC" else f"rsa_{upload.key_detail}",
        "empty": "",
        "missing": None,
        "unknown": "UNKNOWN",
    }
    return spelled[style]


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
        self.options = dict(DEFAULT_OPTIONS)
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

    def configure(self, values):
        """Apply switches of ``POST /_lab/config``; ValueError names a bad one."""
        checked = {}
        for key, value in values.items():
            if key == "list_name" and value in LIST_NAME_STYLES:
                checked[key] = value
            elif key == "info_type_style" and value in INFO_TYPE_STYLES:
                checked[key] = value
            elif key == "bind_errors_but_binds" and isinstance(value, int) and not isinstance(value, bool) \
                    and value >= 0:
                checked[key] = value
            else:
                raise ValueError(
                    f"bad switch {key}={value!r}: list_name is one of {list(LIST_NAME_STYLES)}, info_type_style one"
                    f" of {list(INFO_TYPE_STYLES)}, bind_errors_but_binds a count >= 0"
                )
        self.options.update(checked)
        return dict(self.options)

    def cert_list_item(self, cert):
        info = {"SAN": list(cert.upload.sans), "period": _period(cert.upload)}
        key_type = info_type(cert.upload, self.options["info_type_style"])
        if key_type is not None:
            info["type"] = key_type
        return {
            "id": cert.id,
            "name": cert.upload.common_name if self.options["list_name"] == "cn" else cert.note,
            "note": cert.note,
            "issue": cert.upload.issuer_name,
            "expire": cert.expire,
            "domainCount": len(self._domains_using(cert.id)),
            "info": info,
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

    def bind_answer_error(self):
        """Switch ``bind_errors_but_binds``: a bind that took effect answers an error (counts down)."""
        if self.options["bind_errors_but_binds"] > 0:
            self.options["bind_errors_but_binds"] -= 1
            raise ApiError(400, BIND_ERROR_MSG)

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
