# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ARI stand-in: Pebble's directory plus renewalInfo, windows, and the stuck switch."""

from __future__ import annotations

import os
import sys

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from ari_proxy import hide_failure  # noqa: E402
from labclient import control  # noqa: E402


@pytest.fixture
def ari_lab(lab):
    ctl = control(lab, "ari")
    ctl.reset()
    yield ctl
    ctl.reset()


def _directory(lab):
    return requests.get(lab["acme_variants"]["ari"]["acme_directory"], verify=lab["ca_path"], timeout=10).json()


def test_directory_is_pebbles_own_plus_renewal_info(lab, ari_lab):
    directory = _directory(lab)
    base = lab["acme_variants"]["ari"]["acme_directory"].rsplit("/", 1)[0]
    assert directory["renewalInfo"] == base + "/renewal-info"
    # Pebble builds its URLs from the Host header: they point at the stand-in.
    assert directory["newOrder"].startswith(base + "/")
    assert "renewalInfo" not in requests.get(lab["acme_directory"], verify=lab["ca_path"], timeout=10).json()


def test_unknown_and_malformed_certificate_ids_are_refused(lab, ari_lab):
    base = _directory(lab)["renewalInfo"]
    unknown = requests.get(base + "/aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", verify=lab["ca_path"], timeout=10)
    assert unknown.status_code == 404 and unknown.json()["type"] == "urn:ietf:params:acme:error:malformed"
    assert requests.get(base + "/not-an-id", verify=lab["ca_path"], timeout=10).status_code == 400
    assert ari_lab.get("/state")["ari_reads"] == ["aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"]


def test_config_switches_and_reset(lab, ari_lab):
    assert ari_lab.get("/state")["window"] == "future" and not ari_lab.get("/state")["stuck"]
    state = ari_lab.config(window="open", stuck=True)
    assert state["window"] == "open" and state["stuck"]
    with pytest.raises(requests.HTTPError):
        ari_lab.config(window="sometime")
    ari_lab.reset()
    assert ari_lab.get("/state")["window"] == "future" and not ari_lab.get("/state")["stuck"]


def test_stuck_hides_invalid_and_errors():
    authz = {"status": "invalid", "identifier": {"type": "dns", "value": "a.example.test"},
             "challenges": [{"type": "dns-01", "status": "invalid", "error": {"type": "x", "detail": "y"}},
                            {"type": "http-01", "status": "pending"}]}
    assert hide_failure(authz) == {"status": "pending", "identifier": {"type": "dns", "value": "a.example.test"},
                                   "challenges": [{"type": "dns-01", "status": "pending"},
                                                  {"type": "http-01", "status": "pending"}]}
    assert hide_failure({"status": "valid", "certificate": "c"}) == {"status": "valid", "certificate": "c"}
