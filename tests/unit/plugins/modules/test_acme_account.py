# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""acme_account: changed, check mode and diff, on a scripted CA."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.certops.acme.plugins.modules import acme_account
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.acme.acme_fakes import (
    ACCOUNT_URL, DIRECTORY_URL, NEW_ACCOUNT, NEW_NONCE, jws_payload, problem, recorded_directory)
from ansible_collections.certops.acme.tests.unit.plugins.modules.acme_harness import Ca, no_client, run


def params(tmp_path, **options):
    return dict(dict(directory=DIRECTORY_URL, account_key_path=str(tmp_path / "account.key"), account_key_create=True,
                     contact=["admin@example.test"], terms_agreed=True), **options)


def route_no_account_then_created(ca):
    ca.server.route("POST", NEW_ACCOUNT, (400, problem("accountDoesNotExist", "no account")),
                    (201, {"status": "valid", "contact": ["mailto:admin@example.test"]}, {"Location": ACCOUNT_URL}))


@pytest.mark.parametrize("options, start", [
    (dict(directory="http://acme.example.test/directory"), "directory: 'http://acme.example.test/directory' must be"),
    (dict(contact=["not-an-address"]), "contact: 'not-an-address' is not an e-mail address"),
    (dict(directory_document={"newNonce": "x"}), "directory_document: is not an ACME directory (no newAccount"),
])
def test_bad_input_fails_before_any_call(monkeypatch, tmp_path, options, start):
    no_client(monkeypatch)
    result = run(monkeypatch, acme_account, params(tmp_path, **options))
    assert "msg" in result and result["msg"].startswith(start) and result["changed"] is False
    assert not (tmp_path / "account.key").exists()


def test_creates_the_account_and_hands_on_the_directory_and_a_nonce(monkeypatch, tmp_path):
    ca = Ca(monkeypatch)
    route_no_account_then_created(ca)
    result = run(monkeypatch, acme_account, params(tmp_path), diff=True)
    assert result["changed"] and result["action"] == "create" and result["account_key_created"]
    assert result["account_uri"] == ACCOUNT_URL
    after = dict(uri=ACCOUNT_URL, status="valid", contact=["mailto:admin@example.test"])
    assert result["diff"] == dict(before={}, after=after)
    assert result["directory_document"] == recorded_directory() and result["nonce"]
    assert ca.requests() == [("GET", DIRECTORY_URL), ("HEAD", NEW_NONCE), ("POST", NEW_ACCOUNT), ("POST", NEW_ACCOUNT)]
    assert jws_payload(ca.server.sent[-1])["termsOfServiceAgreed"] is True
    assert os.stat(tmp_path / "account.key").st_mode & 0o777 == 0o600
    json.dumps(result)  # plain data only


def test_an_existing_account_is_left_alone_and_the_diff_only_shown_in_diff_mode(monkeypatch, tmp_path):
    ca = Ca(monkeypatch)
    ca.server.route("POST", NEW_ACCOUNT, (200, {"status": "valid", "contact": ["mailto:admin@example.test"]},
                                          {"Location": ACCOUNT_URL}))
    result = run(monkeypatch, acme_account, params(tmp_path, account_key_create=True))
    assert result["action"] == "none" and result["account_uri"] == ACCOUNT_URL
    assert result["changed"] is True  # the key file was created
    result = run(monkeypatch, acme_account, params(tmp_path))
    assert result["changed"] is False and "diff" not in result


def test_check_mode_reports_the_creation_and_creates_nothing(monkeypatch, tmp_path):
    ca = Ca(monkeypatch)
    route_no_account_then_created(ca)
    result = run(monkeypatch, acme_account, params(tmp_path), check_mode=True, diff=True)
    assert result["changed"] and result["action"] == "create" and result["account_uri"] is None
    assert result["diff"]["after"]["status"] == "valid"
    assert len(ca.server.requests_to(NEW_ACCOUNT)) == 1  # the lookup only
    assert not (tmp_path / "account.key").exists()


def test_a_carried_directory_and_nonce_save_their_requests(monkeypatch, tmp_path):
    ca = Ca(monkeypatch)
    route_no_account_then_created(ca)
    carried = dict(directory_document=recorded_directory(), nonce="Y2FycmllZA")
    result = run(monkeypatch, acme_account, params(tmp_path, **carried))
    assert result["changed"] and result["account_uri"] == ACCOUNT_URL
    # The refusal of the lookup carries the nonce of the creation.
    assert ca.requests() == [("POST", NEW_ACCOUNT), ("POST", NEW_ACCOUNT)]
