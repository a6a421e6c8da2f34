# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _certificate(subject, issuer, key, issuer_key, sans=(), ca=False):
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(0x1234)
               .not_valid_before(NOW - datetime.timedelta(days=1)).not_valid_after(NOW + datetime.timedelta(days=89))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def chain():
    root_key = ec.generate_private_key(ec.SECP256R1())
    inter_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP384R1())
    root = _certificate("Root", "Root", root_key, root_key, ca=True)
    inter = _certificate("Intermediate", "Root", inter_key, root_key, ca=True)
    leaf = _certificate("example.test", "Intermediate", leaf_key, inter_key,
                        sans=["example.test", "*.example.test"])
    return dict(root=root, inter=inter, leaf=leaf, leaf_key=leaf_key)


def test_messy_pem_is_parsed_and_reencoded_canonically(chain):
    canonical = pem.dump_certificates([chain["leaf"]])
    messy = "\r\n  " + canonical.replace("\n", "  \r\n") + "\n\n"
    parsed = pem.load_certificates(messy, "certificate")
    assert pem.dump_certificates(parsed) == canonical
    assert canonical.endswith("-----\n") and "\r" not in canonical


@pytest.mark.parametrize("hostile", [
    "-----BEGIN CERTIFICATE-----\n" + "A" * (448 * 1024),  # one unterminated block
    "-----BEGIN CERTIFICATE-----" * (448 * 1024 // 27),  # unterminated blocks only
    "".join("-----BEGIN C%d-----" % index for index in range(30000)),  # many labels, no end
    "-----END CERTIFICATE-----" * 9000 + "-----BEGIN CERTIFICATE-----" * 9000,  # ends before begins
])
def test_hostile_pem_parses_in_linear_time(hostile):
    assert 400 * 1024 <= len(hostile) <= pem.MAX_PEM_CHARS
    started = time.perf_counter()
    assert pem.pem_blocks(hostile) == []
    with pytest.raises(InvalidInputError, match="no PEM certificate found"):
        pem.load_certificates(hostile, "certificate")
    assert time.perf_counter() - started < 0.5


def test_blocks_after_an_unterminated_one_are_found(chain):
    canonical = pem.dump_certificates([chain["leaf"]])
    text = "-----BEGIN PRIVATE KEY-----\nAAAA\n" + canonical + "-----BEGIN CERTIFICATE-----\nAAAA\n"
    assert [label for label, _der in pem.pem_blocks(text)] == ["CERTIFICATE"]
    assert pem.dump_certificates(pem.load_certificates(text, "certificate")) == canonical


def test_a_block_ends_at_the_nearest_end_marker_of_its_own_label(chain):
    one, two = pem.dump_certificates([chain["leaf"]]), pem.dump_certificates([chain["inter"]])
    text = one.replace("-----END CERTIFICATE-----", "-----END OTHER-----") + two
    blocks = pem.pem_blocks(text)
    assert len(blocks) == 1 and blocks[0][1] is None  # one block from the first BEGIN to the second END: bad base64
    assert pem.pem_blocks("-----BEGIN A-----QUJD-----END A----------BEGIN B-----QUJD-----END B-----") == [
        ("A", b"ABC"), ("B", b"ABC")]
    assert pem.pem_blocks("-----BEGIN lower-----QUJD-----END lower-----") == []


def test_oversized_pem_input_fails_naming_the_option(chain):
    huge = pem.dump_certificates([chain["leaf"]]) + " " * pem.MAX_PEM_CHARS
    started = time.perf_counter()
    for load, option in ((pem.load_certificates, "chain_path"), (pem.load_private_key, "private_key")):
        with pytest.raises(InvalidInputError) as info:
            load(huge, option)
        assert info.value.option == option
        assert "limited to %d characters" % pem.MAX_PEM_CHARS in info.value.message
    assert time.perf_counter() - started < 0.5


def test_chain_is_ordered_leaf_first(chain):
    shuffled = pem.dump_certificates([chain["inter"], chain["leaf"]])
    ordered = pem.order_chain(pem.load_certificates(shuffled, "certificate"))
    assert [c.subject for c in ordered] == [chain["leaf"].subject, chain["inter"].subject]


def test_unrelated_certificates_are_not_a_chain(chain):
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = _certificate("other", "Elsewhere", other_key, other_key)
    with pytest.raises(ValueError):
        pem.order_chain([chain["leaf"], other])


def test_garbage_fails_naming_the_option():
    with pytest.raises(InvalidInputError) as info:
        pem.load_certificates("my-certificate-name", "certificate")
    assert info.value.option == "certificate"
    with pytest.raises(InvalidInputError) as info:
        pem.load_certificates("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n", "chain")
    assert "chain" in str(info.value)


def test_private_key_errors_never_quote_the_key(chain):
    key_pem = pem.dump_private_key(chain["leaf_key"])
    broken = key_pem.replace(key_pem.splitlines()[2], "A" * 64)
    with pytest.raises(InvalidInputError) as info:
        pem.load_private_key(broken, "private_key")
    assert "A" * 20 not in str(info.value)


def test_key_matching_and_key_type(chain):
    key = pem.load_private_key(pem.dump_private_key(chain["leaf_key"]), "private_key")
    assert pem.key_matches_certificate(key, chain["leaf"])
    assert not pem.key_matches_certificate(rsa.generate_private_key(65537, 2048), chain["leaf"])
    assert pem.key_type(key) == "ec384"
    assert pem.key_type(chain["leaf"].public_key()) == "ec384"


def test_certificate_facts(chain):
    facts = pem.certificate_facts(chain["leaf"], now=NOW)
    assert facts["sans"] == ["example.test", "*.example.test"]
    assert facts["issuer"] == "Intermediate"
    assert facts["serial"] == "1234"
    assert facts["not_after"] == "2026-08-29T00:00:00Z"
    assert facts["days_left"] == 89
    assert len(facts["fingerprint_sha256"]) == 64


@pytest.mark.parametrize("san,name,covered", [
    ("example.test", "example.test", True),
    ("*.example.test", "cdn.example.test", True),
    ("*.example.test", "example.test", False),
    ("*.example.test", "a.b.example.test", False),
    ("*.example.test", "img.other.test", False),
    ("Example.Test.", "example.test", True),
])
def test_san_covers(san, name, covered):
    assert pem.san_covers(san, name) is covered


def test_issued_by_checks_the_signature(chain):
    assert pem.issued_by(chain["leaf"], chain["inter"])
    assert pem.issued_by(chain["inter"], chain["root"])
    assert not pem.issued_by(chain["leaf"], chain["root"])


def test_der_round_trip_and_key_families(chain):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    der = chain["leaf"].public_bytes(serialization.Encoding.DER)
    assert pem.load_der_certificate(der) == chain["leaf"]
    assert pem.is_rsa_or_ec(chain["leaf_key"])
    assert not pem.is_rsa_or_ec(ed25519.Ed25519PrivateKey.generate())
