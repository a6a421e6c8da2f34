# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The certificate to deploy, validated and normalised before any API call.

DogeCloud refuses stray whitespace, a chain in the wrong order and a key that
does not match; all of that is checked here so that a bad input fails with a
message naming the option, and nothing is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme.renewal import ari_certificate_id
from ansible_collections.certops.acme.plugins.module_utils.dogecloud import note as upload_note
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence

    from cryptography import x509


@dataclass(frozen=True)
class LocalCertificate:
    chain: tuple[x509.Certificate, ...]  # x509 certificates, leaf first
    chain_pem: str  # canonical PEM, leaf first, then the intermediates in order
    key_pem: str | None  # canonical PEM of the key (None when not given)

    @property
    def leaf(self) -> x509.Certificate:
        return self.chain[0]

    @property
    def sans(self) -> tuple[str, ...]:
        return tuple(pem.subject_alt_names(self.leaf)) or (pem.common_name(self.leaf.subject).lower(),)

    @property
    def fingerprint(self) -> str:
        return pem.fingerprint_sha256(self.leaf)

    @property
    def not_after(self) -> datetime.datetime:
        return pem.not_after(self.leaf)

    @property
    def expire(self) -> int:
        """Expiry in unix seconds, as DogeCloud lists it."""
        return int(self.not_after.timestamp())

    @property
    def first_name(self) -> str:
        name = self.sans[0]
        return name[2:] if name.startswith("*.") else name

    @property
    def ari_cert_id(self) -> str | None:
        """The RFC 9773 certificate identifier of the leaf (``None`` without an Authority Key Identifier)."""
        return ari_certificate_id(self.chain_pem)

    def default_note(self, note_prefix: str, uploaded: float, name: str | None = None) -> str:
        """The note of an upload of this certificate (see ``note.py``); ``name`` defaults to the first name."""
        return upload_note.compose(note_prefix, name or self.first_name, uploaded, self.ari_cert_id,
                                   fingerprint=self.fingerprint)

    def facts(self, now: datetime.datetime | None) -> dict[str, Any]:
        facts = pem.certificate_facts(self.leaf, now=now)
        facts["sans"] = list(self.sans)
        facts["chain_length"] = len(self.chain)
        return facts


def load_local_certificate(certificate: str | bytes, certificate_option: str, chain: str | bytes | None = None, chain_option: str = "chain",
                           private_key: str | bytes | None = None, private_key_option: str = "private_key",
                           now: datetime.datetime | None = None) -> LocalCertificate:
    """Parse, order and check a certificate (and its key when given).

    ``now`` enables the expiry check; the key is checked against the leaf when
    it is given. Raises :class:`InvalidInputError` naming the faulty option.
    """
    certificates = pem.load_certificates(certificate, certificate_option)
    if chain:
        certificates += pem.load_certificates(chain, chain_option)
    ordered = _ordered_chain(_unique(certificates), certificate_option)
    key_pem = None
    if private_key is not None:
        key_pem = _checked_key_pem(private_key, private_key_option, ordered[0])
    if now is not None:
        _require_not_expired(ordered[0], certificate_option, now)
    return LocalCertificate(chain=tuple(ordered), chain_pem=pem.dump_certificates(ordered), key_pem=key_pem)


def _unique(certificates: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    """Drop repeats (a full chain given as certificate and the same chain again as chain)."""
    seen, unique = set(), []
    for cert in certificates:
        fingerprint = pem.fingerprint_sha256(cert)
        if fingerprint not in seen:
            seen.add(fingerprint)
            unique.append(cert)
    return unique


def _ordered_chain(certificates: Sequence[x509.Certificate], option: str) -> list[x509.Certificate]:
    try:
        ordered = pem.order_chain(certificates)
    except ValueError as exc:
        raise InvalidInputError(option, "%s; give the leaf certificate and its intermediates" % exc) from exc
    for position, (child, parent) in enumerate(zip(ordered, ordered[1:]), start=1):
        if not pem.issued_by(child, parent):
            raise InvalidInputError(
                option, "certificate %d of the chain (%s) is not signed by the next one (%s)"
                % (position, pem.common_name(child.subject), pem.common_name(parent.subject)))
    return ordered


def _checked_key_pem(private_key: str | bytes, option: str, leaf: x509.Certificate) -> str:
    key = pem.load_private_key(private_key, option)
    if not pem.is_rsa_or_ec(key):
        raise InvalidInputError(option, "DogeCloud accepts RSA and ECDSA keys only, not %s" % pem.key_type(key))
    if not pem.key_matches_certificate(key, leaf):
        raise InvalidInputError(
            option, "the private key does not match the certificate for %s; give the key the certificate was "
            "issued for" % _names(leaf))
    label, der = next((label, der) for label, der in pem.pem_blocks(private_key) if label in pem.KEY_LABELS)
    if der is None:  # not reached: load_private_key decoded it
        raise AssertionError("der is None")
    return pem.encode_pem(label, der)


def _require_not_expired(leaf: x509.Certificate, option: str, now: datetime.datetime) -> None:
    if pem.not_after(leaf) <= now:
        raise InvalidInputError(
            option, "the certificate for %s expired on %s; DogeCloud refuses expired certificates, renew it first"
            % (_names(leaf), pem.iso(pem.not_after(leaf))))


def _names(leaf: x509.Certificate) -> str:
    return ", ".join(pem.subject_alt_names(leaf)) or pem.common_name(leaf.subject)


def read_pem_option(params: Mapping[str, Any], option: str) -> tuple[str | None, str]:
    """``(text, option name)`` of a PEM given inline or as ``<option>_path``; ``(None, option)`` when absent."""
    if params[option] is not None:
        return params[option], option
    path_option = option + "_path"
    path: str | None = params[path_option]
    if path is None:
        return None, option
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read(), path_option
    except OSError as exc:
        raise InvalidInputError(path_option, "cannot read %s (%s)" % (path, exc.strerror)) from exc


def local_certificate_from_options(params: Mapping[str, Any], now: datetime.datetime) -> LocalCertificate | None:
    """The validated certificate of the ``dogecloud_certificate`` options, or None when only a note names what to remove."""
    certificate, certificate_option = read_pem_option(params, "certificate")
    if certificate is None:
        return None
    chain, chain_option = read_pem_option(params, "chain")
    present = params["state"] == "present"
    # Removing a certificate needs no key: an old private_key_path may be gone already.
    private_key, private_key_option = read_pem_option(params, "private_key") if present else (None, "private_key")
    return load_local_certificate(
        certificate, certificate_option, chain=chain, chain_option=chain_option,
        private_key=private_key, private_key_option=private_key_option,
        now=now if present else None)
