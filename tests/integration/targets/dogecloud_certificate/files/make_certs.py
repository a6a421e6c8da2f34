# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue throw-away test certificates: a root and an intermediate per directory, and leaves.

    python make_certs.py DIR NAME --san NAME [--san NAME ...] [--days N] [--rsa]

writes DIR/NAME.pem (leaf), DIR/NAME-chain.pem (intermediate), DIR/NAME-fullchain.pem
and DIR/NAME.key (mode 0600); DIR/root.pem and DIR/intermediate.pem are made once.
"""

from __future__ import annotations

import argparse
import datetime
import os
import secrets

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _issue(subject, public_key, issuer, issuer_key, days, ca, sans=()):
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(public_key).serial_number(secrets.randbits(64) | 1)
               .not_valid_before(NOW - datetime.timedelta(hours=1))
               .not_valid_after(NOW + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path, data, mode=0o644):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _intermediate(directory):
    """The directory's intermediate (and its key), made with a root on first use."""
    cert_path, key_path = os.path.join(directory, "intermediate.pem"), os.path.join(directory, "intermediate.key")
    if not os.path.exists(cert_path):
        root_key = ec.generate_private_key(ec.SECP256R1())
        root = _issue("Test Root", root_key.public_key(), "Test Root", root_key, 3650, ca=True)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _issue("Test Intermediate", key.public_key(), "Test Root", root_key, 3650, ca=True)
        _write(os.path.join(directory, "root.pem"), _pem(root))
        _write(cert_path, _pem(cert))
        _write(key_path, _key_pem(key), 0o600)
    with open(cert_path, "rb") as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    with open(key_path, "rb") as handle:
        key = serialization.load_pem_private_key(handle.read(), password=None)
    return cert, key


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("name")
    parser.add_argument("--san", action="append", required=True)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--rsa", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)
    inter, inter_key = _intermediate(args.directory)
    key = rsa.generate_private_key(65537, 2048) if args.rsa else ec.generate_private_key(ec.SECP256R1())
    leaf = _issue(args.san[0], key.public_key(), "Test Intermediate", inter_key, args.days, ca=False, sans=args.san)
    base = os.path.join(args.directory, args.name)
    _write(base + ".pem", _pem(leaf))
    _write(base + "-chain.pem", _pem(inter))
    _write(base + "-fullchain.pem", _pem(leaf) + _pem(inter))
    _write(base + ".key", _key_pem(key), 0o600)
    print(leaf.fingerprint(hashes.SHA256()).hex())


if __name__ == "__main__":
    main()
