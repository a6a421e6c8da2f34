# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""acme_order: changed, check mode, the decision alone and bad input, on a scripted CA."""

from __future__ import annotations

import os

import pytest

from ansible_collections.certops.acme.plugins.module_utils.acme import keys
from ansible_collections.certops.acme.plugins.modules import acme_order
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.acme.acme_fakes import (
    ACCOUNT_URL, DIRECTORY_URL, NEW_ACCOUNT, NEW_NONCE, NEW_ORDER, ORDER_URL, authz_body, authz_url, existing_account,
    order_body, recorded_directory)
from ansible_collections.certops.acme.tests.unit.plugins.modules.acme_harness import Ca, no_client, run

NAMES = ["example.test", "www.example.test"]


def params(tmp_path, **options):
    return dict(dict(directory=DIRECTORY_URL, account_key_path=str(tmp_path / "account.key"), account_key_create=True,
                     names=NAMES, private_key_path=str(tmp_path / "cert.key")), **options)


def route_new_order(ca, statuses=("pending", "valid")):
    ca.server.route("POST", NEW_ORDER, (201, order_body(NAMES), {"Location": ORDER_URL}))
    for index, (name, status) in enumerate(zip(NAMES, statuses), start=1):
        ca.server.route("POST", authz_url(index), (200, authz_body(name, status, index=index)))


@pytest.mark.parametrize("options, start", [
    (dict(directory="http://acme.example.test/directory"),
     "directory: 'http://acme.example.test/directory' must be an https:// URL"),
    (dict(current_sans=["example.test"], current_not_after="2031-01-01T00:00:00Z", current_ari_cert_id="nope"),
     "current_ari_cert_id: 'nope' is not an ARI certificate identifier"),
    (dict(current_ari_cert_id="aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"), "current_ari_cert_id: describes the current"),
    (dict(account_uri="acct/1"), "account_uri: must be the URL of the account"),
    (dict(renew_before_days=-1), "renew_before_days: must be 0 or more days"),
])
def test_bad_input_fails_before_any_call(monkeypatch, tmp_path, options, start):
    no_client(monkeypatch)
    result = run(monkeypatch, acme_order, params(tmp_path, **options))
    assert "msg" in result and result["msg"].startswith(start) and result["changed"] is False
    assert not (tmp_path / "cert.key").exists() and not (tmp_path / "account.key").exists()


@pytest.mark.parametrize("check_mode", [True, False])
def test_the_decision_alone_without_a_current_certificate_reads_only_the_directory(monkeypatch, tmp_path, check_mode):
    ca = Ca(monkeypatch)
    keys.account_key(str(tmp_path / "account.key"), create=True)
    result = run(monkeypatch, acme_order, params(tmp_path, decide_only=True), check_mode=check_mode)
    assert result["needs_renewal"] and result["reason"] == "no current certificate"
    assert result["changed"] is False
    assert [method for method, _url in ca.requests()] == ["GET"]
    assert "newOrder" in result["directory_document"] and result["directory_error"] is None
    assert result["nonce"] is None
    assert not (tmp_path / "cert.key").exists()


def test_the_decision_alone_reports_a_directory_that_is_none_and_does_not_fail(monkeypatch, tmp_path):
    Ca(monkeypatch, directory={"status": "ok"})
    keys.account_key(str(tmp_path / "account.key"), create=True)
    result = run(monkeypatch, acme_order, params(tmp_path, decide_only=True), check_mode=True)
    assert "msg" not in result and result["needs_renewal"]
    assert "does not answer with an ACME directory" in result["directory_error"]
    assert result["directory_document"] is None


def test_check_mode_decides_and_creates_nothing(monkeypatch, tmp_path):
    ca = Ca(monkeypatch)
    existing_account(ca.server)
    result = run(monkeypatch, acme_order, params(tmp_path), check_mode=True, diff=True)
    assert result["changed"] and result["needs_renewal"] and result["order_uri"] is None
    assert result["msg"] == "would create an order for example.test, www.example.test"
    assert "diff" not in result
    assert not ca.server.requests_to(NEW_ORDER)
    assert not (tmp_path / "cert.key").exists() and not (tmp_path / "account.key").exists()


def test_an_order_with_everything_carried_makes_only_the_protocol_requests(monkeypatch, tmp_path):
    ca = Ca(monkeypatch)
    route_new_order(ca)
    carried = dict(account_uri=ACCOUNT_URL, nonce="Y2FycmllZA", directory_document=recorded_directory())
    result = run(monkeypatch, acme_order, params(tmp_path, **carried))
    assert result["changed"] and result["order_uri"] == ORDER_URL and result["account_uri"] == ACCOUNT_URL
    assert [challenge["identifier"] for challenge in result["challenges"]] == ["example.test"]
    assert ca.requests() == [("POST", NEW_ORDER), ("POST", authz_url(1)), ("POST", authz_url(2))]
    assert result["nonce"] and result["directory_document"] == recorded_directory()
    assert os.stat(tmp_path / "cert.key").st_mode & 0o777 == 0o600


def test_without_carried_values_the_account_is_looked_up(monkeypatch, tmp_path):
    ca = Ca(monkeypatch)
    existing_account(ca.server)
    route_new_order(ca)
    result = run(monkeypatch, acme_order, params(tmp_path))
    assert result["account_uri"] == ACCOUNT_URL
    assert ca.requests()[:3] == [("GET", DIRECTORY_URL), ("HEAD", NEW_NONCE), ("POST", NEW_ACCOUNT)]


def test_warnings_are_returned_in_the_result(monkeypatch, tmp_path):
    ca = Ca(monkeypatch)
    ca.server.route("POST", ORDER_URL + "/old", (200, order_body(NAMES, status="invalid")))
    route_new_order(ca)
    result = run(monkeypatch, acme_order, params(tmp_path, account_uri=ACCOUNT_URL, order_uri=ORDER_URL + "/old"))
    assert result["changed"] and not result["resumed"]
    assert result["warned"] == ["order %s/old is invalid, creating a new one" % ORDER_URL]
