# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""acme_order_finalize: changed, check mode and bad input, on a scripted CA."""

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.acme import keys
from ansible_collections.certops.acme.plugins.modules import acme_order_finalize
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.acme.acme_fakes import (
    ACCOUNT_URL, CERT_URL, DIRECTORY_URL, FINALIZE_URL, ISSUANCE_NAMES, NEW_ACCOUNT, ORDER_URL, Hierarchy, authz_url,
    chall_url, order_body, recorded_directory, scripted_issuance)
from ansible_collections.certops.acme.tests.unit.plugins.modules.acme_harness import Ca, no_client, run


@pytest.fixture(scope="module")
def hierarchy():
    return Hierarchy()


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(acme_order_finalize, "SystemClock", _NoSleepClock)


class _NoSleepClock:
    def __init__(self):
        from ansible_collections.certops.acme.plugins.module_utils.clock import SystemClock

        self._clock = SystemClock()
        self.now, self.monotonic = self._clock.now, self._clock.monotonic

    def sleep(self, seconds):
        pass


def params(tmp_path, **options):
    return dict(dict(directory=DIRECTORY_URL, account_key_path=str(tmp_path / "account.key"), account_key_create=True,
                     order_uri=ORDER_URL, private_key_path=str(tmp_path / "cert.key"),
                     fullchain_path=str(tmp_path / "fullchain.pem")), **options)


def challenge(index=1, name=ISSUANCE_NAMES[0]):
    return dict(identifier=name, url=chall_url(index), status="pending", type="dns-01", authorization=authz_url(index),
                fqdn="_acme-challenge.example.test", value="v")


@pytest.mark.parametrize("options, start", [
    (dict(progress_timeout=0), "progress_timeout: must be a positive number of seconds"),
    (dict(wait_timeout=-1), "wait_timeout: must be a positive number of seconds"),
    (dict(directory="http://10.1.2.3/dir"), "directory: 'http://10.1.2.3/dir' must be an https:// URL"),
    (dict(order_uri="order/1"), "order_uri: must be the URL of an order"),
    (dict(challenges=[dict(identifier="example.test")]), "challenges: item 0 has no url"),
])
def test_bad_input_fails_before_any_call(monkeypatch, tmp_path, options, start):
    no_client(monkeypatch)
    result = run(monkeypatch, acme_order_finalize, params(tmp_path, **options))
    assert "msg" in result and result["msg"].startswith(start) and result["changed"] is False
    assert not (tmp_path / "account.key").exists()


def test_check_mode_answers_nothing_and_reads_only_the_order(monkeypatch, tmp_path, hierarchy):
    ca = Ca(monkeypatch)
    scripted_issuance(ca.server, hierarchy)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    result = run(monkeypatch, acme_order_finalize, params(tmp_path, account_uri=ACCOUNT_URL,
                                                          challenges=[challenge()]), check_mode=True)
    assert result["changed"] and not result["issued"] and result["answered"] == []
    assert [request for request in ca.requests() if request[0] == "POST"] == [("POST", ORDER_URL)]
    assert not (tmp_path / "fullchain.pem").exists()


def test_issues_with_carried_values_then_a_rerun_changes_nothing(monkeypatch, tmp_path, hierarchy):
    ca = Ca(monkeypatch)
    issued = scripted_issuance(ca.server, hierarchy)
    ca.server.routes[("POST", ORDER_URL)] = [(200, order_body(ISSUANCE_NAMES, status="ready")),
                                             (200, order_body(ISSUANCE_NAMES, status="valid", certificate=CERT_URL))]
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    carried = dict(account_uri=ACCOUNT_URL, nonce="Y2FycmllZA", directory_document=recorded_directory())
    result = run(monkeypatch, acme_order_finalize, params(tmp_path, challenges=[challenge()], **carried), diff=True)
    assert result["changed"] and result["issued"] and result["answered"] == [ISSUANCE_NAMES[0]]
    assert result["sans"] == sorted(issued["names"]) and "diff" not in result
    assert (tmp_path / "fullchain.pem").read_text() == result["fullchain"]
    assert ca.requests() == [("POST", chall_url(1)), ("POST", ORDER_URL), ("POST", FINALIZE_URL), ("POST", ORDER_URL),
                             ("POST", CERT_URL)]
    assert not ca.server.requests_to(NEW_ACCOUNT)
    # The order is valid now: a rerun downloads the same certificate and writes nothing.
    result = run(monkeypatch, acme_order_finalize, params(tmp_path, **carried))
    assert result["changed"] is False and result["issued"] is False
    assert result["files"][str(tmp_path / "fullchain.pem")] == dict(changed=False, backup=None)
