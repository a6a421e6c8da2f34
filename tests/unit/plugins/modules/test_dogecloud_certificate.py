# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module around the deployment on an in-memory CDN: changed, check mode and diff, input checks, and
what a failure after a write reports."""

from __future__ import annotations

import dataclasses
import json

import pytest

from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module as run_main
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import CdnDomain
from ansible_collections.certops.acme.plugins.module_utils.http_client import TransientFaultError
from ansible_collections.certops.acme.plugins.modules import dogecloud_certificate
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.certificates import Issuer
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.test_deploy import FakeCdn

SECRET = "dogecloud-secret-never-shown"


@pytest.fixture(scope="module")
def issued():
    # Valid for long enough that the module's real clock finds it unexpired.
    return Issuer().leaf(["cdn.example.test", "static.example.test"], days=3650)


@pytest.fixture
def cdn(monkeypatch):
    fake = FakeCdn([CdnDomain(id=3001, name="cdn.example.test", status="online", cert_id=0)])
    monkeypatch.setattr(dogecloud_certificate, "open_client", lambda *args, **kwargs: fake)
    return fake


def run_module(monkeypatch, issued, **args):
    params = dict(access_key="AKID", secret_key=SECRET, certificate=issued["cert_pem"] + issued["chain_pem"],
                  private_key=issued["key_pem"], domains=["cdn.example.test"])
    params.update(args)
    return run_main(monkeypatch, dogecloud_certificate, params)


def test_a_deployment_changes_once_then_reports_no_change(monkeypatch, issued, cdn):
    first = run_module(monkeypatch, issued)
    assert first["changed"] is True and first["uploaded"] is True and first["certificate_id"] == 1000
    assert first["rebound_domains"] == ["cdn.example.test"] and "diff" not in first
    assert cdn.writes() == ["upload", "bind"]
    again = run_module(monkeypatch, issued)
    assert again["changed"] is False and again["uploaded"] is False and again["certificate_id"] == 1000
    assert again["rebound_domains"] == [] and cdn.writes() == ["upload", "bind"]


def test_check_mode_reports_the_change_and_writes_nothing(monkeypatch, issued, cdn):
    result = run_module(monkeypatch, issued, _ansible_check_mode=True)
    assert result["changed"] is True and result["uploaded"] is True and result["certificate_id"] is None
    assert result["rebound_domains"] == ["cdn.example.test"] and cdn.writes() == [] and cdn.certs == {}


@pytest.mark.parametrize("check_mode", [False, True])
def test_diff_mode_shows_the_domain_moving_to_the_new_certificate(monkeypatch, issued, cdn, check_mode):
    result = run_module(monkeypatch, issued, _ansible_diff=True, _ansible_check_mode=check_mode)
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before == dict(domains={"cdn.example.test": None}, certificates=[])
    new = after["domains"]["cdn.example.test"]
    assert new["id"] == (None if check_mode else 1000) and new["note"] == result["note"]
    assert after["certificates"] == [new]


def test_absent_deletes_the_unused_upload_and_check_mode_does_not(monkeypatch, issued, cdn):
    run_module(monkeypatch, issued, domains=None)
    assert list(cdn.certs) == [1000]
    note = cdn.certs[1000].note
    checked = run_module(monkeypatch, issued, state="absent", note=note, certificate=None, private_key=None,
                         domains=None, _ansible_check_mode=True, _ansible_diff=True)
    assert checked["changed"] is True and checked["deleted_ids"] == [1000] and list(cdn.certs) == [1000]
    assert [cert["id"] for cert in checked["diff"]["before"]["certificates"]] == [1000]
    removed = run_module(monkeypatch, issued, state="absent", note=note, certificate=None, private_key=None, domains=None)
    assert removed["changed"] is True and removed["deleted_ids"] == [1000] and cdn.certs == {}
    assert run_module(monkeypatch, issued, state="absent", note=note, certificate=None, private_key=None,
                      domains=None)["changed"] is False


def test_failure_after_the_upload_reports_the_change_and_the_new_id(monkeypatch, issued, cdn):
    cdn.failures["bind"] = [TransientFaultError("POST /cdn/cert/bind.json kept failing")]
    result = run_module(monkeypatch, issued, _ansible_diff=True)
    assert result["msg"] == "POST /cdn/cert/bind.json kept failing"
    assert result["changed"] is True and result["uploaded"] is True and result["certificate_id"] == 1000
    assert result["rebound_domains"] == [] and "diff" not in result and "Traceback" in result["exception"]
    assert 1000 in cdn.certs and "PRIVATE KEY" not in json.dumps(result) and SECRET not in json.dumps(result)


def test_failure_after_a_write_keeps_the_warnings_given_before_it(monkeypatch, issued, cdn):
    cdn.domains["static.example.test"] = CdnDomain(id=3002, name="static.example.test", status="online", cert_id=0)
    cdn.errors_after_bind = [TransientFaultError("POST /cdn/cert/bind.json kept failing")]
    cdn.ignored_binds.add("static.example.test")
    result = run_module(monkeypatch, issued, domains=["cdn.example.test", "static.example.test"])
    assert "static.example.test still on certificate 0" in result["msg"]
    assert result["changed"] is True and result["certificate_id"] == 1000
    assert result["rebound_domains"] == ["cdn.example.test", "static.example.test"]
    assert len(result["warned"]) == 1 and "took effect" in result["warned"][0]


def test_failure_before_any_write_reports_no_change(monkeypatch, issued, cdn):
    cdn.failures["list_certificates"] = [TransientFaultError("GET /cdn/cert/list.json kept failing")]
    result = run_module(monkeypatch, issued)
    assert result["changed"] is False and "certificate_id" not in result and cdn.writes() == []


def test_bind_error_that_took_effect_warns_and_succeeds(monkeypatch, issued, cdn):
    cdn.errors_after_bind = [TransientFaultError("POST /cdn/cert/bind.json kept failing")]
    result = run_module(monkeypatch, issued)
    assert result["changed"] is True and "msg" not in result and cdn.domains["cdn.example.test"].cert_id == 1000
    assert len(result["warned"]) == 1 and "took effect" in result["warned"][0]


def test_the_note_is_composed_with_the_certificate_name(monkeypatch, issued, cdn):
    result = run_module(monkeypatch, issued, certificate_name="shop")
    assert result["note"].startswith("certops-shop;t=") and ";ari=" in result["note"]


@pytest.mark.parametrize("args, start", [
    (dict(prune_grace_period=-1), "prune_grace_period: -1 is negative"),
    (dict(certificate_name="my shop"), "certificate_name: 'my shop' cannot go into a note"),
])
def test_bad_input_fails_before_any_call(monkeypatch, issued, cdn, args, start):
    result = run_module(monkeypatch, issued, **args)
    assert result["msg"].startswith(start) and cdn.calls == []


@pytest.mark.parametrize("note", ["", "  "])
def test_a_blank_note_is_refused_and_deletes_no_upload_without_a_note(monkeypatch, issued, cdn, note):
    # Uploads made by hand often have no note: a blank note must not select them.
    run_module(monkeypatch, issued, domains=None, note="x")
    cdn.certs[1000] = dataclasses.replace(cdn.certs[1000], note="")
    result = run_module(monkeypatch, issued, state="absent", note=note, certificate=None, private_key=None, domains=None)
    assert result["msg"].startswith("note: is blank") and result["changed"] is False
    assert list(cdn.certs) == [1000] and cdn.writes() == ["upload"]
