# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.acme import names
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError


def test_names_become_lower_case_a_labels_in_order():
    given = ["WWW.Example.Test", "*.example.test", "bücher.example.test", "ÉCOLE.example.test"]
    assert names.normalize_names(given) == [
        "www.example.test", "*.example.test", "xn--bcher-kva.example.test", "xn--cole-9oa.example.test"]


def test_punycode_input_is_kept():
    assert names.normalize_names(["xn--bcher-kva.example.test"]) == ["xn--bcher-kva.example.test"]


@pytest.mark.parametrize("bad, hint", [
    ("example.test.", "trailing dot"),
    ("www.*.example.test", "leftmost label"),
    ("w*.example.test", "leftmost label"),
    ("*example.test", "leftmost label"),
    ("*", "leftmost label"),
    ("192.0.2.1", "IP address"),
    ("2001:db8::1", "IP address"),
    ("[::1]", "IP address"),
    ("a..example.test", "empty label"),
    (".example.test", "empty label"),
    ("-a.example.test", "letters, digits or hyphens"),
    ("a_b.example.test", "letters, digits or hyphens"),
    ("a" * 64 + ".example.test", "letters, digits or hyphens"),
    ("", "not a DNS name"),
    ("  ", "not a DNS name"),
])
def test_bad_names_fail_naming_them(bad, hint):
    with pytest.raises(InvalidInputError) as failure:
        names.normalize_names(["ok.example.test", bad])
    assert failure.value.option == "names"
    assert hint in failure.value.message
    if bad.strip():
        assert repr(bad) in failure.value.message


def _name_of_length(length, suffix=".example.test"):
    """A valid DNS name of exactly ``length`` characters ending with ``suffix``."""
    labels, left = [], length - len(suffix)
    while left > 0:
        size = min(63, left - 1) if left > 64 else left
        if left - size == 1:  # never leave a lone dot
            size -= 1
        labels.append("a" * size)
        left -= size + 1 if left > size else size
    name = ".".join(labels) + suffix
    assert len(name) == length, len(name)
    return name


def test_certificate_names_fit_their_challenge_record():
    longest = _name_of_length(names.MAX_CERTIFICATE_NAME_LENGTH)
    assert names.MAX_CERTIFICATE_NAME_LENGTH == 237
    assert names.normalize_names([longest]) == [longest]
    assert len(names.challenge_fqdn(longest)) == 253
    assert names.normalize_name("*." + longest) == "*." + longest  # the *. is not part of the challenge name


@pytest.mark.parametrize("length", [238, 253])
def test_a_name_whose_challenge_record_cannot_exist_is_refused(length):
    with pytest.raises(InvalidInputError) as failure:
        names.normalize_names([_name_of_length(length)])
    message = failure.value.message
    assert message.startswith("names: ")
    assert "%d characters long" % length in message and "at most 237" in message
    assert "_acme-challenge." in message and "shorter name or a wildcard" in message


def test_a_host_name_may_be_253_characters_but_not_more():
    assert names.host_name(_name_of_length(253), "domains") == _name_of_length(253)
    with pytest.raises(InvalidInputError, match=r"^domains: .*254 characters long.*at most 253"):
        names.host_name(_name_of_length(254), "domains")


def test_the_length_limit_counts_a_labels():
    unicode_name = "büchereien." * 5 + _name_of_length(180)
    assert len(unicode_name) <= 237
    with pytest.raises(InvalidInputError, match="as A-labels"):
        names.normalize_name(unicode_name)


@pytest.mark.parametrize("check", [names.normalize_name, names.host_name, names.record_name])
@pytest.mark.parametrize("bad", ["@.example.test", "@", "www.@.example.test", "＠.example.test"])
def test_at_sign_is_never_a_name(check, bad):
    with pytest.raises(InvalidInputError) as failure:
        check(bad, "opt")
    assert failure.value.option == "opt"
    assert "'@'" in failure.value.message or "letters, digits or hyphens" in failure.value.message


def test_underscore_only_in_record_names():
    assert names.record_name("_acme-challenge.www.example.test", "challenges[0]") == "_acme-challenge.www.example.test"
    assert names.record_name("_ACME-Challenge.WWW.example.test.", "x") == "_acme-challenge.www.example.test"
    for check in (names.normalize_name, names.host_name):
        with pytest.raises(InvalidInputError, match="'_' belongs only in DNS record names"):
            check("_acme-challenge.example.test", "names")
    with pytest.raises(InvalidInputError, match="may also start with '_'"):
        names.record_name("_acme-challenge.a_b.example.test", "challenges[0]")


def test_record_names_are_a_labels_too():
    assert names.record_name("_acme-challenge.bücher.example.test", "c") == "_acme-challenge.xn--bcher-kva.example.test"
    assert names.record_name("_acme-challenge.Bücher．example。test", "c") == "_acme-challenge.xn--bcher-kva.example.test"


def test_unicode_dots_and_case_are_mapped():
    assert names.normalize_name("BÜCHER．Example。test") == "xn--bcher-kva.example.test"


def test_host_names_and_certificate_names_lists():
    assert names.host_names(None, "domains") is None
    assert names.host_names(["CDN.bücher.test", "*.cdn.test"], "domains") == ["cdn.xn--bcher-kva.test", "*.cdn.test"]
    assert names.certificate_names(["A.test", "a.test"], "covered_by") == ["a.test", "a.test"]
    with pytest.raises(InvalidInputError, match="^zone: .*wildcard is not allowed"):
        names.host_name("*.example.test", "zone", wildcard=False)


def test_duplicates_after_normalisation_fail():
    with pytest.raises(InvalidInputError, match="listed twice"):
        names.normalize_names(["www.example.test", "WWW.EXAMPLE.TEST"])
    with pytest.raises(InvalidInputError, match="listed twice"):
        names.normalize_names(["bücher.example.test", "xn--bcher-kva.example.test"])


def test_empty_list_fails():
    with pytest.raises(InvalidInputError, match="at least one"):
        names.normalize_names([])


def test_wildcard_and_apex_are_two_names_with_one_challenge_record():
    both = names.normalize_names(["*.example.test", "example.test"])
    assert [names.challenge_fqdn(name) for name in both] == ["_acme-challenge.example.test"] * 2
    assert names.challenge_domain("*.example.test") == "example.test"
