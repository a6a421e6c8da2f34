# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud.local_certificate import (
    load_local_certificate, local_certificate_from_options,
)
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


def _options(**given):
    options = dict(state="present", certificate=None, certificate_path=None, chain=None, chain_path=None,
                   private_key=None, private_key_path=None)
    options.update(given)
    return options


def test_the_options_are_read_inline_or_from_their_paths(tmp_path, wildcard):
    (tmp_path / "cert.pem").write_text(wildcard["cert_pem"])
    (tmp_path / "key.pem").write_text(wildcard["key_pem"])
    inline = local_certificate_from_options(
        _options(certificate=wildcard["cert_pem"], chain=wildcard["chain_pem"], private_key=wildcard["key_pem"]), NOW)
    from_files = local_certificate_from_options(
        _options(certificate_path=str(tmp_path / "cert.pem"), chain=wildcard["chain_pem"],
                 private_key_path=str(tmp_path / "key.pem")), NOW)
    assert from_files == inline and inline.key_pem is not None
    assert local_certificate_from_options(_options(state="absent", note="x"), NOW) is None


def test_absent_needs_no_key_nor_an_unexpired_certificate(tmp_path, wildcard):
    later = NOW + datetime.timedelta(days=120)
    local = local_certificate_from_options(
        _options(state="absent", certificate=wildcard["cert_pem"], private_key_path=str(tmp_path / "gone.pem")), later)
    assert local.key_pem is None


def test_an_unreadable_path_names_its_option(tmp_path, wildcard):
    with pytest.raises(InvalidInputError, match="^private_key_path: cannot read .*gone.pem"):
        local_certificate_from_options(
            _options(certificate=wildcard["cert_pem"], private_key_path=str(tmp_path / "gone.pem")), NOW)
    with pytest.raises(InvalidInputError, match="^certificate_path: "):
        local_certificate_from_options(_options(certificate_path=str(tmp_path / "gone.pem")), NOW)
