# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The renewal_decision filter: acme_order's rules on the facts DogeCloud reports, without a call."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.certops.acme.plugins.filter.renewal_decision import FilterModule, renewal_decision

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
NAMES = ("example.test", "*.example.test")
ARI_ID = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"


def current(days_left=60, sans=("*.example.test", "example.test"), key_type="ECC", ari_cert_id=None):
    expire = NOW + datetime.timedelta(days=days_left, hours=1)
    return dict(id=1000, sans=list(sans), expire=expire.strftime("%Y-%m-%dT%H:%M:%SZ"), key_type=key_type,
                ari_cert_id=ari_cert_id)


def decide(cert, names=NAMES, key_type="ec256", days=30, force=False):
    return renewal_decision(cert, names, key_type, days, force, now=NOW)


@pytest.mark.parametrize("cert", [None, {}])
def test_no_current_certificate_is_due_without_asking_the_ca(cert):
    assert decide(cert) == dict(needs_renewal=True, reason="no current certificate", kind="mismatch", ask_ca=False,
                                error=None)


def test_valid_certificate_is_up_to_date():
    decision = decide(current(60))
    assert not decision["needs_renewal"] and decision["kind"] == "valid" and not decision["ask_ca"]
    assert decision["reason"].endswith("60 days left")


@pytest.mark.parametrize("cert, kind, reason", [
    (current(10), "due", "expires in 10 days (renew_before_days 30)"),
    (current(-2), "expired", "expired on "),
    (current(sans=["example.test"]), "mismatch", "names differ: missing *.example.test"),
    (current(key_type="RSA-2048"), "mismatch", "key type RSA-2048 on the current certificate differs"),
])
def test_due_for_the_rules_of_acme_order(cert, kind, reason):
    decision = decide(cert)
    assert decision["needs_renewal"] and decision["kind"] == kind and decision["reason"].startswith(reason)
    assert not decision["ask_ca"]


def test_unknown_key_family_is_not_compared():
    assert not decide(current(key_type="SM2"))["needs_renewal"]


def test_a_certificate_with_an_ari_id_needs_the_ca_unless_due_for_another_reason():
    assert decide(current(60, ari_cert_id=ARI_ID))["ask_ca"]
    assert decide(current(10, ari_cert_id=ARI_ID))["ask_ca"]
    assert not decide(current(-1, ari_cert_id=ARI_ID))["ask_ca"]  # RFC 9773: never for an expired one
    assert not decide(current(60, sans=["x.example.test"], ari_cert_id=ARI_ID))["ask_ca"]


def test_force():
    decision = decide(current(60, ari_cert_id=ARI_ID), force=True)
    assert decision["needs_renewal"] and decision["kind"] == "forced" and not decision["ask_ca"]


def test_names_are_compared_as_a_labels_in_any_case():
    assert not decide(current(60, sans=["xn--bcher-kva.example.test"]), names=["Bücher.example.test"])["needs_renewal"]


def test_bad_input_is_an_error_naming_the_option():
    assert decide(current(), names=["bad name.test"])["error"].startswith("names: ")
    assert decide(dict(current(), expire="soon"))["error"].startswith("current_not_after: 'soon' is not a time")
    with pytest.raises(AnsibleFilterError, match="sans and expire"):
        decide(dict(sans=[]))


def test_registered():
    assert FilterModule().filters()["renewal_decision"] is renewal_decision
