# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud.local_certificate import load_local_certificate
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.certificates import NOW, Issuer, to_pem


def _load(cert_pem, chain_pem=None, key_pem=None, now=NOW):
    return load_local_certificate(cert_pem, "certificate", chain=chain_pem, private_key=key_pem, now=now)


def _messy(text):
    """CRLF line endings, indentation, trailing spaces and blank lines around the blocks."""
    return "\n\n  " + "\r\n".join("   " + line + "  " for line in text.splitlines()) + "\r\n\r\n"


def test_stray_whitespace_and_crlf_are_normalised(wildcard):
    clean = _load(wildcard["cert_pem"], wildcard["chain_pem"], wildcard["key_pem"])
    messy = _load(_messy(wildcard["cert_pem"]), _messy(wildcard["chain_pem"]), _messy(wildcard["key_pem"]))
    assert messy.chain_pem == clean.chain_pem
    assert messy.key_pem == clean.key_pem
    for text in (clean.chain_pem, clean.key_pem):
        assert "\r" not in text and " " not in text.replace("BEGIN ", "").replace("END ", "").replace(
            "PRIVATE KEY", "").replace("EC ", "")
        assert text.endswith("-----\n") and not text.endswith("\n\n")


def test_chain_given_in_any_order_is_uploaded_leaf_first(issuer, wildcard):
    shuffled = to_pem(issuer.root, wildcard["cert"], issuer.inter)
    local = _load(shuffled, key_pem=wildcard["key_pem"])
    assert local.chain_pem == to_pem(wildcard["cert"], issuer.inter, issuer.root)
    assert local.leaf == wildcard["cert"]


def test_full_chain_plus_repeated_chain_is_deduplicated(issuer, wildcard):
    full = to_pem(wildcard["cert"], issuer.inter)
    local = _load(full, to_pem(issuer.inter), wildcard["key_pem"])
    assert len(local.chain) == 2


def test_facts_and_default_note(wildcard):
    local = _load(wildcard["cert_pem"], wildcard["chain_pem"], wildcard["key_pem"])
    assert local.sans == ("*.example.test", "example.test")
    assert local.first_name == "example.test"
    assert local.default_note("certops-", 1764630000) == "certops-example.test;t=1764630000;ari=" + local.ari_cert_id
    assert local.default_note("certops-", 1764630000, name="www") == "certops-www;t=1764630000;ari=" + local.ari_cert_id
    assert local.expire == int((NOW + datetime.timedelta(days=89)).timestamp())
    facts = local.facts(NOW)
    assert facts["days_left"] == 89 and facts["fingerprint_sha256"] == local.fingerprint
    assert facts["not_after"] == "2026-08-29T00:00:00Z"


def test_malformed_pem_names_the_option(wildcard):
    broken = wildcard["cert_pem"].replace("M", "!", 3)
    with pytest.raises(InvalidInputError, match="^certificate: "):
        _load(broken, key_pem=wildcard["key_pem"])
    with pytest.raises(InvalidInputError, match="^certificate: no PEM certificate"):
        _load("not a certificate", key_pem=wildcard["key_pem"])


def test_mismatched_key_is_refused_without_quoting_it(issuer, wildcard):
    other = issuer.leaf(["cdn.example.test"])
    with pytest.raises(InvalidInputError, match="^private_key: the private key does not match") as raised:
        _load(wildcard["cert_pem"], key_pem=other["key_pem"])
    assert "PRIVATE KEY" not in raised.value.message


def test_unrelated_chain_is_refused(wildcard):
    foreign = Issuer()
    with pytest.raises(InvalidInputError, match="^certificate: "):
        _load(wildcard["cert_pem"], to_pem(foreign.inter), wildcard["key_pem"])


def test_expired_certificate_is_refused(wildcard):
    later = NOW + datetime.timedelta(days=120)
    with pytest.raises(InvalidInputError, match="expired on 2026-08-29"):
        _load(wildcard["cert_pem"], key_pem=wildcard["key_pem"], now=later)


def test_without_now_and_key_only_the_certificate_is_checked(wildcard):
    local = load_local_certificate(wildcard["cert_pem"], "certificate_path")
    assert local.key_pem is None
