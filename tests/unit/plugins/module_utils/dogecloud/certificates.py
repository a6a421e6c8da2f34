# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Certificates for the DogeCloud unit tests, issued by a throw-away root and intermediate."""

from __future__ import annotations

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_certificate(subject, issuer, key, issuer_key, sans=(), ca=False, days=89, serial=0x1234):
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(serial)
               .not_valid_before(NOW - datetime.timedelta(days=1)).not_valid_after(NOW + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if issuer != subject:  # an Authority Key Identifier, as CAs write it (and ARI needs)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def to_pem(*certificates):
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certificates)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


class Issuer:
    """A root and an intermediate that issue leaf certificates for the tests."""

    def __init__(self):
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.inter_key = ec.generate_private_key(ec.SECP256R1())
        self.root = make_certificate("Lab Root", "Lab Root", self.root_key, self.root_key, ca=True, days=3650)
        self.inter = make_certificate("Lab Intermediate", "Lab Root", self.inter_key, self.root_key, ca=True,
                                      days=3650)

    def leaf(self, sans, days=89, serial=0x1234):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = make_certificate(sans[0], "Lab Intermediate", key, self.inter_key, sans=sans, days=days,
                                serial=serial)
        return dict(cert=cert, key=key, cert_pem=to_pem(cert), chain_pem=to_pem(self.inter),
                    key_pem=key_pem(key))
