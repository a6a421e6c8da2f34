# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module's own checks: bad input fails before any HTTP call or DNS query."""

from __future__ import annotations

import json

import pytest

from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module as run_main
from ansible_collections.certops.acme.plugins.modules import gandi_dns_challenge

PAT_VALUE = "0123456789abcdef0123456789abcdef01234567"
CHALLENGES = [{"fqdn": "_acme-challenge.example.test", "value": "token", "identifier": "example.test"}]


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the module made an HTTP client before checking its input")

    monkeypatch.setattr(gandi_dns_challenge, "HttpClient", refuse)
    monkeypatch.delenv("GANDI_PERSONAL_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("GANDI_API_KEY", raising=False)


def run_module(monkeypatch, **args):
    params = dict(personal_access_token=PAT_VALUE, challenges=CHALLENGES)
    params.update(args)
    return run_main(monkeypatch, gandi_dns_challenge, params)


@pytest.mark.parametrize("args, start", [
    (dict(ttl=60), "ttl: must be between 300 and 2592000"),
    (dict(propagation_timeout=0), "propagation_timeout: must be a positive"),
    (dict(propagation_interval=-1), "propagation_interval: must be a positive"),
    (dict(nameservers=["ns1.example.test"]), "nameservers: 'ns1.example.test' is not IP[:port]"),
    (dict(api_url="api.gandi.net"), "api_url: must be an http(s) URL"),
    (dict(challenges=[{"fqdn": "_acme-challenge.example.test"}]), "challenges[0]: value must be"),
    (dict(personal_access_token="Bearer " + "x" * 30), "personal_access_token: the value (37 characters"),
    (dict(stale_after=-1), "stale_after: must be 0 or a positive"),
    (dict(api_key="abcdefghij0123456789klmn"), "personal_access_token: set only one of"),
])
def test_bad_input_fails_before_any_call(monkeypatch, args, start):
    result = run_module(monkeypatch, **args)
    assert result["msg"].startswith(start)
    assert PAT_VALUE not in json.dumps(result)


def test_credential_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("GANDI_API_KEY", "y y" * 10)
    result = run_module(monkeypatch, personal_access_token=None)
    assert result["msg"].startswith("api_key: the value (30 characters, from api_key or the environment variable "
                                    "GANDI_API_KEY)")
