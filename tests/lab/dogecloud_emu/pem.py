# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Validation of uploaded certificates and private keys, as strict as the CDN."""

import re
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

CERT_PARSE_FAILED = "解析失败，请检查证书是否符合标准，请留意是否有多余的空格"
KEY_PARSE_FAILED = "私钥解析失败，请检查私钥是否符合标准，请留意是否有多余的空格"
KEY_MISMATCH = "证书与私钥不匹配"
CHAIN_ORDER_WRONG = "证书链不完整或顺序错误，请按证书、中间证书的顺序上传"
CERT_EXPIRED = "证书已过期"
KEY_TYPE_UNSUPPORTED = "不支持的私钥类型，仅支持 RSA 和 ECC"

_BASE64_LINE = r"[A-Za-z0-9+/=]+\n"
_CERT_BLOCK = rf"-----BEGIN CERTIFICATE-----\n(?:{_BASE64_LINE})+-----END CERTIFICATE-----"
# Exact PEM blocks joined by single newlines and an optional final newline:
# no leading/trailing whitespace, no blank lines, no CR.
_CERT_CHAIN_SHAPE = re.compile(rf"{_CERT_BLOCK}(?:\n{_CERT_BLOCK})*\n?")
_KEY_SHAPE = re.compile(
    rf"-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----\n(?:{_BASE64_LINE})+-----END \1-----\n?"
)


class UploadRefused(Exception):
    """The upload is refused; the argument is the message the CDN answers."""


@dataclass(frozen=True)
class ParsedUpload:
    chain_pem: str
    key_pem: str
    sans: tuple
    key_type: str  # ECC or RSA
    key_detail: str  # the curve (secp256r1) or the RSA size (2048)
    common_name: str
    issuer_name: str
    not_before: datetime
    not_after: datetime


def parse_upload(cert_pem, key_pem, now):
    """Check an uploaded chain and key like the CDN does; return their facts."""
    chain = _parse_chain(cert_pem)
    key = _parse_key(key_pem)
    leaf = chain[0]
    _require_key_matches(leaf, key)
    _require_chain_order(chain)
    if leaf.not_valid_after_utc <= now:
        raise UploadRefused(CERT_EXPIRED)
    return ParsedUpload(
        chain_pem=cert_pem,
        key_pem=key_pem,
        sans=tuple(dns_names(leaf)),
        key_type=_key_type(key),
        key_detail=key.curve.name if isinstance(key, ec.EllipticCurvePrivateKey) else str(key.key_size),
        common_name=_common_name(leaf.subject),
        issuer_name=_common_name(leaf.issuer),
        not_before=leaf.not_valid_before_utc,
        not_after=leaf.not_valid_after_utc,
    )


def dns_names(cert):
    """DNS names of a certificate: its SAN entries, else its common name."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return [attr.value for attr in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    return san.value.get_values_for_type(x509.DNSName)


def name_covers(san, domain):
    """True when the SAN covers the domain: exactly, or by a one-label wildcard."""
    san, domain = san.lower().rstrip("."), domain.lower().rstrip(".")
    if not san.startswith("*."):
        return san == domain
    first_label, dot, rest = domain.partition(".")
    return bool(first_label and dot) and rest == san[2:]


def _parse_chain(cert_pem):
    if not _CERT_CHAIN_SHAPE.fullmatch(cert_pem):
        raise UploadRefused(CERT_PARSE_FAILED)
    try:
        return x509.load_pem_x509_certificates(cert_pem.encode("ascii"))
    except ValueError:
        raise UploadRefused(CERT_PARSE_FAILED) from None


def _parse_key(key_pem):
    if not _KEY_SHAPE.fullmatch(key_pem):
        raise UploadRefused(KEY_PARSE_FAILED)
    try:
        # An encrypted key raises TypeError: the CDN takes no passphrase.
        return serialization.load_pem_private_key(key_pem.encode("ascii"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise UploadRefused(KEY_PARSE_FAILED) from None


def _common_name(name):
    values = [attr.value for attr in name.get_attributes_for_oid(NameOID.COMMON_NAME)]
    return values[0] if values else ""


def _key_type(key):
    if isinstance(key, rsa.RSAPrivateKey):
        return "RSA"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "ECC"
    raise UploadRefused(KEY_TYPE_UNSUPPORTED)


def _public_der(public_key):
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _require_key_matches(leaf, key):
    if _public_der(leaf.public_key()) != _public_der(key.public_key()):
        raise UploadRefused(KEY_MISMATCH)


def _require_chain_order(chain):
    """Each certificate must be signed by the one that follows it."""
    for subject, issuer in zip(chain, chain[1:]):
        try:
            subject.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            raise UploadRefused(CHAIN_ORDER_WRONG) from None
