# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pebble answers over HTTPS, trusted through the lab CA alone."""

from __future__ import annotations

import pytest
import requests
from cryptography import x509


def test_directory_is_reachable_trusting_only_the_lab_ca(lab):
    directory = requests.get(lab["acme_directory"], verify=lab["ca_path"], timeout=10).json()
    assert {"newAccount", "newNonce", "newOrder"} <= set(directory)


def test_directory_is_refused_with_the_system_trust_store(lab):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(lab["acme_directory"], verify=True, timeout=10)


def test_management_interface_serves_the_current_root(lab):
    pem = requests.get(lab["pebble_management"] + "/roots/0", verify=lab["ca_path"], timeout=10).content
    root = x509.load_pem_x509_certificate(pem)
    assert root.subject == root.issuer


@pytest.mark.parametrize("variant", ["eab", "nonce_reject", "alternate_roots"])
def test_variants_are_up(lab, variant):
    facts = lab["acme_variants"][variant]
    directory = requests.get(facts["acme_directory"], verify=lab["ca_path"], timeout=10).json()
    assert "newOrder" in directory
    if variant == "eab":
        assert directory["meta"]["externalAccountRequired"] is True
