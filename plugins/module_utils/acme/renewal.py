# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The renewal decision: pure functions over plain data, no I/O.

The current certificate is described by :class:`CurrentCertificate`, built
from a PEM or from facts reported by the CDN (no local state needed). The
decision follows this order: no certificate, names differ, key type differs
(only the family, EC or RSA, when facts give no more; not at all when the
reported type names no family), expired, then the CA's
ARI window when there is one, else ``renew_before_days``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import re
from typing import TYPE_CHECKING

try:
    from cryptography import x509
except ImportError:
    x509 = None  # type: ignore[assignment]  # pem.HAS_CRYPTOGRAPHY tells the modules to fail with missing_required_lib

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.clock import days_left, from_unix
from ansible_collections.certops.acme.plugins.module_utils.acme.keys import KEY_TYPES
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable
    from typing import TypeGuard

KIND_FORCED = "forced"
KIND_MISMATCH = "mismatch"
KIND_EXPIRED = "expired"
KIND_DUE = "due"
KIND_VALID = "valid"
KIND_ARI = "ari"
# What a CDN may report when it knows only the key's algorithm (DogeCloud: ECC, RSA, ECC-secp256r1, RSA-2048...):
# the family is the prefix (EC, ECC and ECDSA all start with "ec").
KEY_FAMILY_PREFIXES = (("ec", "ec"), ("rsa", "rsa"))


@dataclasses.dataclass(frozen=True)
class CurrentCertificate:
    """What is known about the certificate in service.

    ``key_type`` is an exact type (``ec256``), a family as reported by a CDN
    (``ECC``, ``RSA``), or ``None`` when unknown. ``ari_id`` is the RFC 9773
    certificate identifier (from the PEM, or recorded with the deployed
    certificate); ARI and ``replaces`` need it.
    """

    sans: tuple[str, ...]
    not_after: datetime.datetime
    key_type: str | None = None
    pem: str | None = None
    ari_id: str | None = None


@dataclasses.dataclass(frozen=True)
class RenewalWindow:
    """The window an ACME CA suggests through ARI (RFC 9773)."""

    start: datetime.datetime
    end: datetime.datetime
    explanation_url: str | None = None


@dataclasses.dataclass(frozen=True)
class Decision:
    """``kind`` is one of the ``KIND_*`` constants, ``reason`` a short sentence."""

    needs_renewal: bool
    reason: str
    kind: str


def current_from_pem(text: str, option: str) -> CurrentCertificate:
    """A :class:`CurrentCertificate` from a PEM (leaf first, chain ignored)."""
    leaf = pem.load_certificates(text, option)[0]
    return CurrentCertificate(
        sans=tuple(pem.subject_alt_names(leaf)),
        not_after=pem.not_after(leaf),
        key_type=pem.key_type(leaf.public_key()),
        pem=pem.dump_certificates([leaf]),
        ari_id=ari_certificate_id(leaf),
    )


def current_from_facts(sans: Iterable[str], not_after: object, key_type: str | None = None, option: str = "current_not_after",
                       ari_id: str | None = None) -> CurrentCertificate:
    """A :class:`CurrentCertificate` from facts (``not_after`` as ISO 8601 or Unix seconds)."""
    return CurrentCertificate(
        sans=tuple(name.lower() for name in sans),
        not_after=parse_time(not_after, option),
        key_type=check_key_type(key_type, "current_key_type") if key_type else None,
        ari_id=check_ari_cert_id(ari_id, "current_ari_cert_id") if ari_id else None,
    )


def check_key_type(value: object, option: str) -> str | None:
    """``value`` without surrounding blanks when it names a key type or a key family, else ``None``.

    A CDN reports the key in words of its own (DogeCloud: ``ECC``, ``RSA-2048``,
    ``ecdsa_p256``...), so a value that names no family is not an error: it is
    unknown (``None``), and the decision goes on without comparing keys.
    ``option`` is kept for callers that name the option they read.
    """
    text = str(value).strip()
    return text if key_family(text) else None


def key_family(key_type: object) -> str | None:
    """``ec`` or ``rsa`` for a key type or a family (any case, any suffix), ``None`` for anything else.

    The family is the recognisable prefix: ``EC``, ``ECC``, ``ECDSA`` (all start
    with ``ec``) or ``RSA``, followed by anything (a curve, a size), as in
    ``ECC-secp256r1``, ``RSA-2048``, ``rsa`` or ``ecdsa_p256``.
    """
    text = str(key_type or "").strip().lower()
    for prefix, family in KEY_FAMILY_PREFIXES:
        if text.startswith(prefix):
            return family
    return None


def key_type_differs(current: str, requested: str) -> bool:
    """Whether the current key type differs from ``requested``; only families when that is all we know.

    Facts with no recognisable family never get here (:func:`current_from_facts`
    keeps them as unknown); a type read from a PEM is exact, so one of no known
    family (``ed25519``) differs.
    """
    if current.lower() in KEY_TYPES:
        return current.lower() != requested
    family = key_family(current)
    return family is None or family != key_family(requested)


def parse_time(value: object, option: str) -> datetime.datetime:
    """A UTC datetime from ISO 8601 text, Unix seconds, or a datetime."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip())):
        moment = from_unix(float(value))
    elif isinstance(value, str):
        text = value.strip().replace(" ", "T", 1)
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError as exc:
            raise InvalidInputError(
                option, "%r is not a time; use ISO 8601 ('2026-03-01T12:00:00Z') or Unix seconds" % value) from exc
    else:
        raise InvalidInputError(option, "%r is not a time; use ISO 8601 or Unix seconds" % (value,))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def static_decision(current: CurrentCertificate | None, names: Collection[str], key_type: str | None, renew_before_days: float,
                    now: datetime.datetime) -> Decision:
    """Decide without the CA: returns a :class:`Decision`.

    ``needs_renewal`` is true for a missing certificate, different names, a
    different key type, an expired certificate, or fewer than
    ``renew_before_days`` days left.
    """
    mismatch = identity_mismatch(current, names, key_type)
    if mismatch:
        return Decision(True, mismatch, KIND_MISMATCH)
    if current is None:  # not reached: identity_mismatch names a missing certificate
        raise AssertionError("current is None")
    if current.not_after <= now:
        return Decision(True, "expired on %s" % pem.iso(current.not_after), KIND_EXPIRED)
    left = days_left(current.not_after, now)
    if left < renew_before_days:
        return Decision(True, "expires in %d days (renew_before_days %d)" % (left, renew_before_days), KIND_DUE)
    return Decision(False, "valid until %s, %d days left" % (pem.iso(current.not_after), left), KIND_VALID)


def identity_mismatch(current: CurrentCertificate | None, names: Collection[str], key_type: str | None) -> str | None:
    """Why the current certificate is not the one requested, or ``None``."""
    if current is None:
        return "no current certificate"
    have, want = set(current.sans), set(names)
    if have != want:
        parts = []
        missing = [name for name in names if name not in have]
        extra = sorted(have - want)
        if missing:
            parts.append("missing " + ", ".join(missing))
        if extra:
            parts.append("not requested " + ", ".join(extra))
        return "names differ: " + "; ".join(parts)
    if current.key_type and key_type and key_type_differs(current.key_type, key_type):
        return "key type %s on the current certificate differs from the requested %s" % (current.key_type, key_type)
    return None


def ari_decision(window: RenewalWindow, now: datetime.datetime) -> Decision:
    """Decide from the CA's suggested window: renew once it has started."""
    if window.end < window.start:
        raise ValueError("the ARI window ends before it starts")
    explanation = " (see %s)" % window.explanation_url if window.explanation_url else ""
    if now >= window.start:
        return Decision(True, "ARI window starts %s, now within it%s" % (pem.iso(window.start), explanation), KIND_ARI)
    return Decision(False, "ARI window starts %s, not yet reached%s" % (pem.iso(window.start), explanation), KIND_ARI)


def ari_applies(current: CurrentCertificate | None, static: Decision) -> TypeGuard[CurrentCertificate]:
    """Whether asking the CA's ARI can change ``static``.

    Not for a certificate that is missing, different from the request, or
    expired (RFC 9773 forbids asking for an expired one), and only when its
    ARI identifier is known (from its PEM or recorded with it).
    """
    return current is not None and current.ari_id is not None and static.kind in (KIND_DUE, KIND_VALID)


def replaces_id(current: CurrentCertificate | None, static: Decision) -> str | None:
    """The ARI identifier to send as ``replaces`` in the renewal order, or ``None``.

    Only for the renewal of the same certificate (same names and key type,
    not expired): an order for other names is a new certificate, not a
    replacement (RFC 9773 5).
    """
    return current.ari_id if ari_applies(current, static) else None


def decide(current: CurrentCertificate | None, names: Collection[str], key_type: str | None, renew_before_days: float,
           now: datetime.datetime, window: RenewalWindow | None = None, force: bool = False) -> Decision:
    """The whole decision; ``window`` is the ARI window when the CA gave one."""
    if force:
        return Decision(True, "force is set", KIND_FORCED)
    static = static_decision(current, names, key_type, renew_before_days, now)
    if window is not None and ari_applies(current, static):
        return ari_decision(window, now)
    return static


def ari_certificate_id(certificate: str | x509.Certificate) -> str | None:
    """The RFC 9773 certificate identifier: base64url(AKI keyIdentifier) "." base64url(serial DER).

    ``certificate`` is a PEM (leaf first) or a loaded certificate. ``None``
    when the certificate has no Authority Key Identifier (ARI cannot name it).
    """
    if isinstance(certificate, str):
        leaf = pem.load_certificates(certificate, "current_certificate")[0]
    else:
        leaf = certificate
    try:
        aki = leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    except x509.ExtensionNotFound:
        return None
    if not aki:
        return None
    serial = leaf.serial_number
    serial_bytes = serial.to_bytes((serial.bit_length() + 8) // 8, "big", signed=True)
    return "%s.%s" % (_b64url(aki), _b64url(serial_bytes))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


ARI_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def check_ari_cert_id(value: object, option: str) -> str:
    """``value`` when it is an RFC 9773 identifier ``base64url(AKI).base64url(serial)``; else fail."""
    text = str(value).strip()
    parts = text.split(".")
    if ARI_ID_PATTERN.fullmatch(text) and all(len(part) % 4 != 1 for part in parts):
        return text
    raise InvalidInputError(
        option, "%r is not an ARI certificate identifier: give base64url(key identifier of the issuer) '.' "
        "base64url(serial number), without padding (RFC 9773 4.1), as recorded with the deployed certificate"
        % (value,))
