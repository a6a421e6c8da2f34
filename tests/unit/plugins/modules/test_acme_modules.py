# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ACME modules' own checks: bad input fails before any ACME call, naming the option."""

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module
from ansible_collections.certops.acme.plugins.module_utils.acme import client as acme_client_module
from ansible_collections.certops.acme.plugins.modules import acme_order, acme_order_finalize


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the module read the ACME directory before checking its input")

    monkeypatch.setattr(acme_client_module.acme_client.ClientV2, "get_directory", refuse)


@pytest.mark.parametrize("args, start", [
    (dict(directory="http://acme.example.test/directory"),
     "directory: 'http://acme.example.test/directory' must be an https:// URL"),
    (dict(current_sans=["example.test"], current_not_after="2031-01-01T00:00:00Z", current_ari_cert_id="nope"),
     "current_ari_cert_id: 'nope' is not an ARI certificate identifier"),
    (dict(current_ari_cert_id="aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"), "current_ari_cert_id: describes the current"),
])
def test_acme_order_bad_input_fails_before_any_call(monkeypatch, tmp_path, args, start):
    params = dict(directory="https://acme.example.test/directory", account_key_path=str(tmp_path / "account.key"),
                  account_key_create=True, names=["example.test"], private_key_path=str(tmp_path / "cert.key"))
    params.update(args)
    result = run_module(monkeypatch, acme_order, params)
    assert result["msg"].startswith(start)
    assert not (tmp_path / "cert.key").exists() and not (tmp_path / "account.key").exists()


@pytest.mark.parametrize("args, start", [
    (dict(progress_timeout=0), "progress_timeout: must be a positive number of seconds"),
    (dict(wait_timeout=-1), "wait_timeout: must be a positive number of seconds"),
    (dict(directory="http://10.1.2.3/dir"), "directory: 'http://10.1.2.3/dir' must be an https:// URL"),
])
def test_acme_order_finalize_bad_input_fails_before_any_call(monkeypatch, tmp_path, args, start):
    params = dict(directory="https://acme.example.test/directory", account_key_path=str(tmp_path / "account.key"),
                  account_key_create=True, order_uri="https://acme.example.test/order/1",
                  private_key_path=str(tmp_path / "cert.key"))
    params.update(args)
    result = run_module(monkeypatch, acme_order_finalize, params)
    assert result["msg"].startswith(start)
    assert not (tmp_path / "account.key").exists()
