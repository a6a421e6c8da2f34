# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module on a recorded API: a read that never changes anything, in any mode, and fails the one way."""

from __future__ import annotations

import json

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud import options
from ansible_collections.certops.acme.plugins.modules import dogecloud_certificate_info
from ansible_collections.certops.acme.tests.unit.plugins.modules.dogecloud_api import (
    ACCESS_KEY, SECRET_KEY, RecordedApi, fixture)
from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module as run_main
from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import use_transport


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    monkeypatch.delenv(options.ACCESS_KEY_ENV, raising=False)
    monkeypatch.delenv(options.SECRET_KEY_ENV, raising=False)


def run_module(monkeypatch, transport, keys=True, **args):
    use_transport(monkeypatch, options, transport)
    params = dict(access_key=ACCESS_KEY, secret_key=SECRET_KEY) if keys else {}
    params.update(args)
    return run_main(monkeypatch, dogecloud_certificate_info, params)


@pytest.mark.parametrize("modes", [{}, dict(_ansible_check_mode=True), dict(_ansible_diff=True),
                                   dict(_ansible_check_mode=True, _ansible_diff=True)])
def test_reads_every_certificate_the_same_in_every_mode(monkeypatch, modes):
    api = RecordedApi()
    result = run_module(monkeypatch, api, **modes)
    assert result["changed"] is False and "diff" not in result and "msg" not in result
    assert [cert["id"] for cert in result["certificates"]] == [20411, 20412, 20413, 20414, 20415, 20416, 20417]
    first = result["certificates"][0]
    assert first["domains"] == ["cdn.example.com"] and first["ari_cert_id"] == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"
    assert {sent["method"] for sent in api.sent} == {"GET"}
    assert all(sent["headers"]["Authorization"].startswith("TOKEN %s:" % ACCESS_KEY) for sent in api.sent)
    assert SECRET_KEY not in json.dumps(result)


def test_one_warning_names_every_certificate_of_unknown_key_type(monkeypatch):
    result = run_module(monkeypatch, RecordedApi())
    assert len(result["warned"]) == 1
    assert "certificate 20415 ('')" in result["warned"][0] and "20416 (None)" in result["warned"][0]


def test_filters_by_note_prefix_id_and_bound_domain(monkeypatch):
    assert [cert["id"] for cert in run_module(monkeypatch, RecordedApi(), note_prefix="certops-")["certificates"]] \
        == [20411, 20414]
    assert [cert["id"] for cert in run_module(monkeypatch, RecordedApi(), ids=[20413, 1])["certificates"]] == [20413]
    bound = run_module(monkeypatch, RecordedApi(), domains=["CDN.example.com"])
    assert [cert["id"] for cert in bound["certificates"]] == [20411] and bound["warned"] == []


def test_the_keys_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(options.ACCESS_KEY_ENV, "AKIDfromenvironment")
    monkeypatch.setenv(options.SECRET_KEY_ENV, "secret-from-environment")
    api = RecordedApi()
    result = run_module(monkeypatch, api, keys=False)
    assert result["changed"] is False and api.sent[0]["headers"]["Authorization"].startswith("TOKEN AKIDfromenvironment:")


def test_bad_domain_fails_before_any_call(monkeypatch):
    result = run_module(monkeypatch, None, domains=["not a host"])
    assert result["msg"].startswith("domains: ") and result["changed"] is False


def test_an_api_refusal_fails_with_the_reason_and_no_change(monkeypatch):
    result = run_module(monkeypatch, RecordedApi(**{"/cdn/cert/list.json": fixture("error_envelopes.yml")["access_token"]}))
    assert result["changed"] is False and "AccessToken Error" in result["msg"]
    assert "Traceback" in result["exception"] and "certificates" not in result
    assert SECRET_KEY not in json.dumps(result)
