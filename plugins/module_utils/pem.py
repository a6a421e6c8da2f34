# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one PEM and certificate helper: parse, normalise, order, match, facts."""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime
import re

import traceback
from typing import TYPE_CHECKING, Any

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.x509.oid import NameOID
except ImportError:
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR: str | None = traceback.format_exc()
else:
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None

from ansible_collections.certops.acme.plugins.module_utils.clock import days_left
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes

CERTIFICATE = "CERTIFICATE"
KEY_LABELS = ("PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY")
# A certificate chain is a few kilobytes and a private key less; a megabyte is far beyond any
# real input and keeps a pasted file or a hostile server answer from costing time and memory.
MAX_PEM_CHARS = 1024 * 1024
_BEGIN = "-----BEGIN "
_END = "-----END "
_DASHES = "-----"
_MAX_LABEL_CHARS = 64
_LABEL = re.compile(r"[A-Z0-9 ]+")


def check_pem_size(text: str | None, option: str) -> None:
    """Refuse a PEM input larger than :data:`MAX_PEM_CHARS`, naming ``option``."""
    if text is not None and len(text) > MAX_PEM_CHARS:
        raise InvalidInputError(
            option, "is %d characters long; PEM input is limited to %d characters (a certificate chain or a key "
            "is a few kilobytes): check that the option points at the right file or value"
            % (len(text), MAX_PEM_CHARS))


def pem_blocks(text: str | bytes | None, option: str = "PEM input") -> list[tuple[str, bytes | None]]:
    """Return ``[(label, der_bytes)]`` for every PEM block, whatever its layout.

    Line endings, indentation and blank lines are tolerated here; what comes
    out is re-encoded canonically by :func:`encode_pem`. A block is a
    ``-----BEGIN <LABEL>-----`` marker followed by the nearest matching
    ``-----END <LABEL>-----``; a block without its end marker is skipped. The
    scan takes time linear in the input (markers are found with ``str.find``,
    end markers are looked up by position), and the input is capped at
    :data:`MAX_PEM_CHARS` (the error names ``option``).
    """
    if isinstance(text, bytes):
        text = text.decode("ascii", errors="replace")
    text = text or ""
    check_pem_size(text, option)
    ends: dict[str, list[tuple[int, int]]] = {}
    for start, stop, label in _markers(text, _END):
        ends.setdefault(label, []).append((start, stop))
    blocks = []
    cursor = 0
    for start, stop, label in _markers(text, _BEGIN):
        if start < cursor:
            continue  # inside the previous block, as a regular expression scan would skip it
        candidates = ends.get(label, ())
        index = bisect.bisect_left(candidates, (stop, stop))
        if index == len(candidates):
            continue  # no end marker after this one: an unterminated block
        end_start, end_stop = candidates[index]
        blocks.append((label, _decode(text[stop:end_start])))
        cursor = end_stop
    return blocks


def _markers(text: str, marker: str) -> list[tuple[int, int, str]]:
    """``[(start, stop, label)]`` of every ``<marker><LABEL>-----`` in ``text``, in order."""
    found = []
    position = text.find(marker)
    while position != -1:
        label_start = position + len(marker)
        close = text.find(_DASHES, label_start, label_start + _MAX_LABEL_CHARS + len(_DASHES))
        if close > label_start and _LABEL.fullmatch(text, label_start, close):
            found.append((position, close + len(_DASHES), text[label_start:close]))
        position = text.find(marker, position + 1)
    return found


def _decode(payload: str) -> bytes | None:
    compact = "".join(payload.split())
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None


def encode_pem(label: str, der: bytes) -> str:
    """Canonical PEM: 64-column base64, LF line endings, one final newline."""
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


def load_certificates(text: str | bytes | None, option: str) -> list[x509.Certificate]:
    """Parse every certificate in ``text``; fail naming ``option`` when one is bad."""
    blocks = [(label, der) for label, der in pem_blocks(text, option) if label == CERTIFICATE]
    if not blocks:
        raise InvalidInputError(option, "no PEM certificate found (expected '-----BEGIN CERTIFICATE-----' blocks)")
    certificates = []
    for index, (_label, der) in enumerate(blocks, start=1):
        try:
            if der is None:
                raise ValueError("invalid base64")
            certificates.append(x509.load_der_x509_certificate(der))
        except ValueError as exc:
            raise InvalidInputError(option, "certificate #%d does not parse: %s" % (index, exc)) from exc
    return certificates


def load_private_key(text: str | bytes | None, option: str, password: str | None = None) -> PrivateKeyTypes:
    """Parse one PEM private key; the error never quotes the key."""
    blocks = [(label, der) for label, der in pem_blocks(text, option) if label in KEY_LABELS]
    if len(blocks) != 1:
        raise InvalidInputError(option, "expected exactly one PEM private key, found %d" % len(blocks))
    label, der = blocks[0]
    try:
        if der is None:
            raise ValueError("invalid base64")
        return serialization.load_pem_private_key(
            encode_pem(label, der).encode("ascii"),
            password=password.encode("utf-8") if password else None)
    except (ValueError, TypeError) as exc:
        raise InvalidInputError(option, "the private key does not parse (%s)" % type(exc).__name__) from exc


def load_der_certificate(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


def issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """Whether ``parent`` signed ``child`` (names and signature)."""
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def is_rsa_or_ec(key: object) -> bool:
    return isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, rsa.RSAPublicKey, ec.EllipticCurvePublicKey))


def order_chain(certificates: Sequence[x509.Certificate]) -> list[x509.Certificate]:
    """Order certificates leaf first, each followed by its issuer.

    The leaf is the one that issued no other certificate in the set. Raises
    ``ValueError`` when the set is not one linear chain.
    """
    if len(certificates) <= 1:
        return list(certificates)
    issuers = {cert.issuer for cert in certificates}
    leaves = [cert for cert in certificates if cert.subject not in issuers or cert.subject == cert.issuer]
    leaves = [cert for cert in leaves if cert.subject != cert.issuer] or leaves
    if len(leaves) != 1:
        raise ValueError("the certificates do not form one chain (%d candidate leaves)" % len(leaves))
    by_subject = {cert.subject: cert for cert in certificates}
    ordered = [leaves[0]]
    while len(ordered) < len(certificates):
        parent = by_subject.get(ordered[-1].issuer)
        if parent is None or parent in ordered:
            raise ValueError("certificate %r is not issued by another one of the chain"
                             % common_name(ordered[-1].issuer))
        ordered.append(parent)
    return ordered


def dump_certificates(certificates: Iterable[x509.Certificate]) -> str:
    return "".join(encode_pem(CERTIFICATE, c.public_bytes(serialization.Encoding.DER)) for c in certificates)


def dump_private_key(key: PrivateKeyTypes) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def public_key_bytes(key_or_cert: PrivateKeyTypes | x509.Certificate) -> bytes:
    public = key_or_cert.public_key()
    return public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_matches_certificate(private_key: PrivateKeyTypes, certificate: x509.Certificate) -> bool:
    return public_key_bytes(private_key) == public_key_bytes(certificate)


def key_type(key: PrivateKeyTypes | PublicKeyTypes) -> str:
    """``ec256``/``ec384``/``rsa2048``/... for a public or private key."""
    if hasattr(key, "public_key") and not isinstance(key, (ec.EllipticCurvePublicKey, rsa.RSAPublicKey)):
        key = key.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec%d" % key.curve.key_size
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa%d" % key.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519"
    return type(key).__name__


def common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else name.rfc4514_string()


def subject_alt_names(certificate: x509.Certificate) -> list[str]:
    try:
        extension = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [name.lower() for name in extension.value.get_values_for_type(x509.DNSName)]


def fingerprint_sha256(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def not_after(certificate: x509.Certificate) -> datetime.datetime:
    return certificate.not_valid_after_utc


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def certificate_facts(certificate: x509.Certificate, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Plain-data facts about a certificate (safe to return from a module)."""
    facts: dict[str, Any] = {
        "sans": subject_alt_names(certificate),
        "subject": common_name(certificate.subject),
        "issuer": common_name(certificate.issuer),
        "serial": "%x" % certificate.serial_number,
        "not_before": iso(certificate.not_valid_before_utc),
        "not_after": iso(certificate.not_valid_after_utc),
        "fingerprint_sha256": fingerprint_sha256(certificate),
        "key_type": key_type(certificate.public_key()),
    }
    if now is not None:
        facts["days_left"] = days_left(certificate.not_valid_after_utc, now)
    return facts


def san_covers(san: str, name: str) -> bool:
    """Whether a SAN (``example.com`` or ``*.example.com``) covers a host name."""
    san, name = san.lower().rstrip("."), name.lower().rstrip(".")
    if san == name:
        return True
    if san.startswith("*."):
        head, _dot, rest = name.partition(".")
        return bool(head) and rest == san[2:]
    return False


def names_covered(sans: Iterable[str], name: str) -> bool:
    return any(san_covers(san, name) for san in sans)
