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


def test_too_long_name_fails():
    long_name = ".".join(["a" * 60] * 4) + ".example.test"
    with pytest.raises(InvalidInputError, match="longer than 253"):
        names.normalize_names([long_name])


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
