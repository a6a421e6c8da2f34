# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme import renewal
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.acme.acme_fakes import NOW, issue_certificate

NAMES = ("example.test", "www.example.test")
DAY = datetime.timedelta(days=1)


def current(sans=NAMES, days_left=60, key_type="ec256", with_pem=False):
    return renewal.CurrentCertificate(sans=tuple(sans), not_after=NOW + days_left * DAY, key_type=key_type,
                                      pem="PEM" if with_pem else None, ari_id="aki.serial" if with_pem else None)


def test_no_current_certificate_needs_renewal():
    decision = renewal.decide(None, NAMES, "ec256", 30, NOW)
    assert decision == renewal.Decision(True, "no current certificate", renewal.KIND_MISMATCH)


def test_missing_and_extra_names_are_named():
    decision = renewal.decide(current(sans=["example.test", "old.example.test"]), NAMES, "ec256", 30, NOW)
    assert decision.needs_renewal
    assert decision.reason == "names differ: missing www.example.test; not requested old.example.test"


def test_name_order_does_not_matter():
    assert not renewal.decide(current(sans=reversed(NAMES)), NAMES, "ec256", 30, NOW).needs_renewal


def test_key_type_change_needs_renewal_and_unknown_key_type_does_not():
    decision = renewal.decide(current(key_type="ec256"), NAMES, "rsa2048", 30, NOW)
    assert decision.reason == "key type ec256 on the current certificate differs from the requested rsa2048"
    assert not renewal.decide(current(key_type=None), NAMES, "rsa2048", 30, NOW).needs_renewal


@pytest.mark.parametrize("have, want, differs", [
    ("ec256", "ec256", False),
    ("EC256", "ec256", False),
    ("ec256", "ec384", True),
    ("rsa2048", "rsa4096", True),
    # Only the family is known: sizes cannot be compared.
    ("ECC", "ec256", False),
    ("ecc", "ec384", False),
    ("EC", "ec256", False),
    ("ECDSA", "ec384", False),
    ("RSA", "rsa2048", False),
    ("rsa", "rsa4096", False),
    ("RSA", "ec256", True),
    ("ECC", "rsa3072", True),
    # A PEM may hold a key type that is never requested.
    ("ed25519", "ec256", True),
])
def test_key_type_compares_families_when_only_the_family_is_known(have, want, differs):
    decision = renewal.decide(current(key_type=have), NAMES, want, 30, NOW)
    assert decision.needs_renewal is differs
    if differs:
        assert decision.reason == "key type %s on the current certificate differs from the requested %s" % (have, want)
    else:
        assert decision.kind == renewal.KIND_VALID


def test_key_family_from_facts_decides_like_dogecloud_reports_it():
    facts = renewal.current_from_facts(NAMES, NOW + 60 * DAY, " RSA ")
    assert facts.key_type == "RSA"
    decision = renewal.decide(facts, NAMES, "ec256", 30, NOW)
    assert decision == renewal.Decision(
        True, "key type RSA on the current certificate differs from the requested ec256", renewal.KIND_MISMATCH)
    assert not renewal.decide(renewal.current_from_facts(NAMES, NOW + 60 * DAY, "ECC"), NAMES, "ec256", 30,
                              NOW).needs_renewal


@pytest.mark.parametrize("value, family", [
    ("ECC", "ec"), ("ecc", "ec"), ("EC", "ec"), ("ECDSA", "ec"), ("ECC-secp256r1", "ec"), ("ecdsa_p256", "ec"),
    ("EC256", "ec"), ("ec384", "ec"), ("RSA", "rsa"), ("rsa", "rsa"), ("RSA-2048", "rsa"), ("rsa4096", "rsa"),
    (" Rsa_3072 ", "rsa"), ("", None), (None, None), ("ed25519", None), ("DSA", None), ("unknown", None),
])
def test_key_family_from_any_spelling(value, family):
    assert renewal.key_family(value) == family


@pytest.mark.parametrize("value, want, differs", [
    ("ECC-secp256r1", "ec384", False), ("RSA-2048", "ec256", True), ("ecdsa_p256", "rsa2048", True),
    ("rsa", "rsa3072", False),
])
def test_reported_spellings_compare_by_family(value, want, differs):
    facts = renewal.current_from_facts(NAMES, NOW + 60 * DAY, value)
    assert renewal.decide(facts, NAMES, want, 30, NOW).needs_renewal is differs


@pytest.mark.parametrize("value", ["ed25519", "DSA", "elliptic", "未知", "  "])
def test_current_key_type_of_no_known_family_is_unknown_not_an_error(value):
    facts = renewal.current_from_facts(NAMES, NOW + 60 * DAY, value)
    assert facts.key_type is None
    assert renewal.decide(facts, NAMES, "ec256", 30, NOW).kind == renewal.KIND_VALID


def test_missing_current_key_type_is_not_compared():
    assert renewal.current_from_facts(NAMES, NOW + 60 * DAY, "").key_type is None


@pytest.mark.parametrize("days_left, due, reason", [
    (60, False, "valid until 2026-07-31T00:00:00Z, 60 days left"),
    (30, False, "valid until 2026-07-01T00:00:00Z, 30 days left"),
    (29, True, "expires in 29 days (renew_before_days 30)"),
    (12, True, "expires in 12 days (renew_before_days 30)"),
    (0, True, "expired on 2026-06-01T00:00:00Z"),
    (-3, True, "expired on 2026-05-29T00:00:00Z"),
])
def test_expiry_against_renew_before_days(days_left, due, reason):
    decision = renewal.decide(current(days_left=days_left), NAMES, "ec256", 30, NOW)
    assert (decision.needs_renewal, decision.reason) == (due, reason)


def test_force_always_renews():
    assert renewal.decide(current(), NAMES, "ec256", 30, NOW, force=True).reason == "force is set"


def test_ari_window_decides_over_renew_before_days():
    window = renewal.RenewalWindow(NOW + 5 * DAY, NOW + 7 * DAY)
    # 20 days left would be due by renew_before_days, but the CA says later.
    decision = renewal.decide(current(days_left=20, with_pem=True), NAMES, "ec256", 30, NOW, window)
    assert decision == renewal.Decision(False, "ARI window starts 2026-06-06T00:00:00Z, not yet reached",
                                        renewal.KIND_ARI)
    early = renewal.RenewalWindow(NOW - DAY, NOW + DAY, "https://ca.test/incident")
    decision = renewal.decide(current(days_left=60, with_pem=True), NAMES, "ec256", 30, NOW, early)
    assert decision.needs_renewal
    assert decision.reason == "ARI window starts 2026-05-31T00:00:00Z, now within it (see https://ca.test/incident)"


def test_ari_does_not_override_mismatch_or_expiry_and_needs_the_pem():
    window = renewal.RenewalWindow(NOW + 5 * DAY, NOW + 7 * DAY)
    assert renewal.decide(current(sans=["a.test"], with_pem=True), NAMES, "ec256", 30, NOW, window).needs_renewal
    assert renewal.decide(current(days_left=-1, with_pem=True), NAMES, "ec256", 30, NOW, window).needs_renewal
    assert renewal.decide(current(days_left=10, with_pem=False), NAMES, "ec256", 30, NOW, window).needs_renewal


def test_ari_applies_only_to_matching_unexpired_certificates_with_pem():
    valid = renewal.static_decision(current(with_pem=True), NAMES, "ec256", 30, NOW)
    assert renewal.ari_applies(current(with_pem=True), valid)
    assert not renewal.ari_applies(current(with_pem=False), valid)
    expired = renewal.static_decision(current(days_left=-1, with_pem=True), NAMES, "ec256", 30, NOW)
    assert not renewal.ari_applies(current(days_left=-1, with_pem=True), expired)
    assert not renewal.ari_applies(None, renewal.static_decision(None, NAMES, "ec256", 30, NOW))


def test_current_from_pem_reads_leaf_facts():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = issue_certificate(["WWW.example.test", "example.test"], key=key)
    found = renewal.current_from_pem(pem.dump_certificates([leaf]), "current_certificate")
    assert found.sans == ("www.example.test", "example.test")
    assert found.key_type == "rsa2048"
    assert found.not_after == NOW + 60 * DAY
    assert "BEGIN CERTIFICATE" in found.pem


@pytest.mark.parametrize("value", ["2026-07-31T00:00:00Z", "2026-07-31 00:00:00", "2026-07-31T02:00:00+02:00",
                                   1785456000, "1785456000"])
def test_current_from_facts_accepts_iso_and_unix_times(value):
    found = renewal.current_from_facts(["Example.test"], value, "ec256")
    assert found.not_after == datetime.datetime(2026, 7, 31, tzinfo=datetime.timezone.utc)
    assert found.sans == ("example.test",)
    assert found.pem is None


def test_bad_time_fails_naming_the_option():
    with pytest.raises(InvalidInputError, match="current_not_after: 'tomorrow' is not a time"):
        renewal.current_from_facts(["example.test"], "tomorrow")


def _b64(data):
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def test_ari_certificate_id_is_aki_dot_serial():
    leaf = issue_certificate(["example.test"], serial=0x87654321)
    aki = leaf.extensions.get_extension_for_class(renewal.x509.AuthorityKeyIdentifier).value.key_identifier
    aki_part, serial_part = renewal.ari_certificate_id(pem.dump_certificates([leaf])).split(".")
    assert _b64(aki_part) == aki
    # 0x87 has its top bit set: DER adds a leading zero byte to keep the integer positive.
    assert _b64(serial_part) == b"\x00\x87\x65\x43\x21"
    assert serial_part == "AIdlQyE"  # the serial part of the example in RFC 9773, section 4.1


def test_ari_certificate_id_needs_an_aki():
    leaf = issue_certificate(["example.test"], aki=False)
    assert renewal.ari_certificate_id(pem.dump_certificates([leaf])) is None


def test_current_from_pem_carries_its_ari_id():
    leaf = issue_certificate(list(NAMES))
    found = renewal.current_from_pem(pem.dump_certificates([leaf]), "current_certificate")
    assert found.ari_id == renewal.ari_certificate_id(leaf) == renewal.ari_certificate_id(found.pem)


@pytest.mark.parametrize("value", ["aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", " aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE "])
def test_check_ari_cert_id_accepts_base64url_pairs(value):
    assert renewal.check_ari_cert_id(value, "current_ari_cert_id") == value.strip()


@pytest.mark.parametrize("value", ["", "abc", "abc.", ".abc", "ab+c.def", "abc.de=", "a.b.c", "abcde.fgh"])
def test_check_ari_cert_id_refuses_anything_else(value):
    with pytest.raises(InvalidInputError, match="current_ari_cert_id: .* is not an ARI certificate identifier"):
        renewal.check_ari_cert_id(value, "current_ari_cert_id")


def test_ari_applies_from_facts_with_an_ari_id():
    facts = renewal.current_from_facts(NAMES, (NOW + 40 * DAY).isoformat(), "ECC", ari_id="aki.serial")
    static = renewal.static_decision(facts, NAMES, "ec256", 30, NOW)
    assert renewal.ari_applies(facts, static) and renewal.replaces_id(facts, static) == "aki.serial"
    plain = renewal.current_from_facts(NAMES, (NOW + 40 * DAY).isoformat())
    assert not renewal.ari_applies(plain, static) and renewal.replaces_id(plain, static) is None


def test_replaces_only_for_the_same_certificate():
    other_names = current(sans=["a.test"], with_pem=True)
    assert renewal.replaces_id(other_names, renewal.static_decision(other_names, NAMES, "ec256", 30, NOW)) is None
    expired = current(days_left=-1, with_pem=True)
    assert renewal.replaces_id(expired, renewal.static_decision(expired, NAMES, "ec256", 30, NOW)) is None
    due = current(days_left=3, with_pem=True)
    assert renewal.replaces_id(due, renewal.static_decision(due, NAMES, "ec256", 30, NOW)) == "aki.serial"
