# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError, TimeoutExpired
from ansible_collections.certops.acme.plugins.module_utils.tls_probe import (
    ProbeFailure, TlsProbe, client_context, normalise_fingerprint, parse_address,
)
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock

NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def _certificate_der(serial):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cdn.example.test")])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(serial).not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("*.example.test")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.DER), certificate.fingerprint(hashes.SHA256()).hex()


OLD_DER, OLD_FINGERPRINT = _certificate_der(0x01)
NEW_DER, NEW_FINGERPRINT = _certificate_der(0x02)


class ScriptedFetch:
    """Plays back answers (DER bytes or a ProbeFailure); the last one repeats."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, server_name, host, port, context, timeout):
        self.calls.append((server_name, host, port, timeout))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def make_probe(*answers):
    fetch, clock = ScriptedFetch(*answers), FakeClock(start=NOW)
    probe = TlsProbe("cdn.example.test", "127.0.0.1", 8443, context=None, timeout=5.0, fetch=fetch, clock=clock)
    return probe, fetch, clock


@pytest.mark.parametrize("address, expected", [
    ("cdn.example.test", ("cdn.example.test", 443)),
    ("127.0.0.1:8443", ("127.0.0.1", 8443)),
    ("[::1]:8443", ("::1", 8443)),
    ("[::1]", ("::1", 443)),
    (" edge.example.test:443 ", ("edge.example.test", 443)),
])
def test_parse_address(address, expected):
    assert parse_address(address) == expected


@pytest.mark.parametrize("address", ["", ":443", "host:http", "host:0", "host:70000", "[::1]x"])
def test_parse_address_rejects_bad_input_naming_the_option(address):
    with pytest.raises(InvalidInputError) as caught:
        parse_address(address)
    assert caught.value.option == "address"


def test_fingerprint_accepts_colons_and_upper_case():
    colons = ":".join(NEW_FINGERPRINT[i:i + 2] for i in range(0, 64, 2)).upper()
    assert normalise_fingerprint(colons) == NEW_FINGERPRINT


@pytest.mark.parametrize("value", ["", "abc", "g" * 64, NEW_FINGERPRINT + "00"])
def test_fingerprint_rejects_other_shapes(value):
    with pytest.raises(InvalidInputError, match="expected_fingerprint"):
        normalise_fingerprint(value)


def test_once_returns_certificate_facts():
    probe, fetch, _clock = make_probe(NEW_DER)
    facts = probe.once()
    assert facts["fingerprint_sha256"] == NEW_FINGERPRINT
    assert facts["sans"] == ["*.example.test"]
    assert facts["serial"] == "2"
    assert facts["days_left"] == 30
    assert fetch.calls == [("cdn.example.test", "127.0.0.1", 8443, 5.0)]


def test_wait_without_expectation_makes_one_attempt():
    probe, _fetch, clock = make_probe(OLD_DER)
    result = probe.wait(wait_timeout=30)
    assert result["attempts"] == 1
    assert result["matches_expected"] is None
    assert clock.sleeps == []


def test_wait_polls_until_the_expected_certificate_is_served():
    probe, fetch, clock = make_probe(OLD_DER, ProbeFailure("reset"), NEW_DER)
    result = probe.wait(expected_fingerprint=NEW_FINGERPRINT, wait_timeout=30, interval=1.0)
    assert result["matches_expected"] is True
    assert result["certificate"]["serial"] == "2"
    assert result["attempts"] == 3
    assert len(fetch.calls) == 3
    assert clock.sleeps == [1.0, 1.0]
    assert result["elapsed_seconds"] == 2.0


def test_wait_gives_up_at_the_deadline_naming_what_is_served():
    probe, _fetch, clock = make_probe(OLD_DER)
    with pytest.raises(TimeoutExpired) as caught:
        probe.wait(expected_fingerprint=NEW_FINGERPRINT, wait_timeout=2.5, interval=1.0)
    message = caught.value.message
    assert "still serving certificate %s" % OLD_FINGERPRINT in message
    assert "expected %s" % NEW_FINGERPRINT in message
    assert "127.0.0.1:8443" in message and "cdn.example.test" in message
    assert caught.value.details["attempts"] == 4
    assert sum(clock.sleeps) == pytest.approx(2.5)


def test_wait_reports_the_last_handshake_error():
    probe, _fetch, _clock = make_probe(ProbeFailure("TLS handshake with 127.0.0.1:8443 failed: refused"))
    with pytest.raises(TimeoutExpired, match="failed: refused"):
        probe.wait(wait_timeout=0)


def test_client_context_verifies_by_default():
    context = client_context(validate_certs=True)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True


def test_client_context_can_skip_verification():
    context = client_context(validate_certs=False)
    assert context.verify_mode == ssl.CERT_NONE
    assert context.check_hostname is False


def test_client_context_names_an_unreadable_ca_path(tmp_path):
    with pytest.raises(InvalidInputError, match="ca_path"):
        client_context(validate_certs=True, ca_path=str(tmp_path / "missing.pem"))


def test_a_handshake_never_waits_much_past_the_deadline():
    probe, fetch, _clock = make_probe(OLD_DER, OLD_DER, OLD_DER, OLD_DER)
    with pytest.raises(TimeoutExpired):
        probe.wait(expected_fingerprint=NEW_FINGERPRINT, wait_timeout=2.5, interval=1.0)
    assert [call[3] for call in fetch.calls] == [2.5, 1.5, 1.0, 1.0]
