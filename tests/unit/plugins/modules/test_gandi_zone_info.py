# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module: bad input fails before any call; a read reports changed=false."""

from __future__ import annotations

import json

import pytest

from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeTransport, json_response
from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module as run_main
from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient
from ansible_collections.certops.acme.plugins.module_utils.gandi import options
from ansible_collections.certops.acme.plugins.modules import gandi_zone_info

PAT_VALUE = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    monkeypatch.delenv("GANDI_PERSONAL_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("GANDI_API_KEY", raising=False)


def run_module(monkeypatch, transport=None, check_mode=False, **args):
    def fake_http(base_url, **kwargs):
        if transport is None:
            raise AssertionError("the module made an HTTP client before checking its input")
        kwargs.pop("timeout", None)
        kwargs.pop("transport", None)
        return HttpClient(base_url, transport=transport, **kwargs)

    monkeypatch.setattr(options, "HttpClient", fake_http)
    params = dict(personal_access_token=PAT_VALUE, names=["www.example.test"], _ansible_check_mode=check_mode)
    params.update(args)
    return run_main(monkeypatch, gandi_zone_info, params)


@pytest.mark.parametrize("args, start", [
    (dict(api_url="api.gandi.net"), "api_url: must be an https:// URL such as"),
    (dict(personal_access_token="Bearer " + "x" * 30), "personal_access_token: the value (37 characters"),
    (dict(personal_access_token=None), "personal_access_token: a Gandi credential is required"),
])
def test_bad_input_fails_before_any_call(monkeypatch, args, start):
    result = run_module(monkeypatch, **args)
    assert result["msg"].startswith(start)
    assert result["changed"] is False
    assert PAT_VALUE not in json.dumps(result)


@pytest.mark.parametrize("check_mode", [False, True])
def test_reads_the_same_in_check_mode_and_changes_nothing(monkeypatch, check_mode):
    transport = FakeTransport([json_response(200, [{"fqdn": "example.test"}]),
                               json_response(200, ["ns1.gandi.test"])])
    result = run_module(monkeypatch, transport=transport, check_mode=check_mode, names=["www.example.test", "x.other.test"])
    assert result["changed"] is False
    assert result["names"][0]["zone"] == "example.test"
    assert result["names"][0]["record"] == "_acme-challenge.www"
    assert result["unresolved"] == ["x.other.test"]
    assert result["credential_kind"] == "personal access token"
    assert {call["method"] for call in transport.sent} == {"GET"}
    assert transport.sent[0]["headers"]["Authorization"] == "Bearer " + PAT_VALUE
