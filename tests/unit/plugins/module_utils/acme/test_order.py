# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime
import os

import pytest

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme import order, renewal
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.acme.acme_fakes import (
    BASE, NEW_ACCOUNT, NEW_ORDER, NOW, ORDER_URL, acme_client, authz_body, authz_url, existing_account,
    issue_certificate, jws_payload, order_body, problem, recorded_directory)

NAMES = ("example.test", "www.example.test")
DAY = datetime.timedelta(days=1)


def request(tmp_path, **options):
    return order.OrderRequest(names=options.pop("names", NAMES), private_key_path=str(tmp_path / "cert.key"), **options)


def current_pem(days_left=60, names=NAMES):
    return renewal.current_from_pem(pem.dump_certificates([issue_certificate(list(names), not_after=NOW + days_left * DAY)]),
                                    "current_certificate")


def ari_route(server, current, start, end):
    url = BASE + "/acme/renewal-info/" + renewal.ari_certificate_id(current.pem)
    server.route("GET", url, (200, {"suggestedWindow": {"start": start, "end": end}}))
    return url


def route_new_order(server, names=NAMES, statuses=("pending", "pending")):
    server.route("POST", NEW_ORDER, (201, order_body(names), {"Location": ORDER_URL}))
    for index, (name, status) in enumerate(zip(names, statuses), start=1):
        server.route("POST", authz_url(index), (200, authz_body(name, status, index=index)))


def test_not_due_makes_only_the_directory_and_one_ari_read(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    current = current_pem(days_left=20)  # due by renew_before_days, but ARI says later
    ari_url = ari_route(server, current, "2026-06-10T00:00:00Z", "2026-06-12T00:00:00Z")
    outcome = order.ensure_order(client, request(tmp_path), current, NOW)
    assert outcome.as_result() == dict(
        changed=False, needs_renewal=False, reason="ARI window starts 2026-06-10T00:00:00Z, not yet reached",
        order_uri=None, order_status=None, resumed=False, account_uri=None, replaces=None, challenges=[], directory_error=None)
    assert [(sent["method"], sent["url"]) for sent in server.sent] == [("GET", BASE + "/directory"), ("GET", ari_url)]
    assert not os.path.exists(tmp_path / "cert.key")


def test_ari_window_open_creates_an_order(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    current = current_pem(days_left=60)
    ari_route(server, current, "2026-05-30T00:00:00Z", "2026-06-02T00:00:00Z")
    existing_account(server)
    route_new_order(server)
    outcome = order.ensure_order(client, request(tmp_path), current, NOW)
    assert outcome.decision.reason == "ARI window starts 2026-05-30T00:00:00Z, now within it"
    assert outcome.changed and outcome.order_uri == ORDER_URL
    assert [c.identifier for c in outcome.challenges] == list(NAMES)


def test_without_renewal_info_renew_before_days_decides_without_ari_read(server, account_key, tmp_path):
    client = acme_client(server, account_key, directory=recorded_directory(renewal_info=False))
    outcome = order.ensure_order(client, request(tmp_path), current_pem(days_left=45), NOW)
    assert (outcome.decision.needs_renewal, outcome.decision.reason) == (
        False, "valid until 2026-07-16T00:00:00Z, 45 days left")
    assert len(server.sent) == 1


def test_use_ari_false_skips_the_read(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    outcome = order.ensure_order(client, request(tmp_path, use_ari=False), current_pem(days_left=45), NOW)
    assert not outcome.decision.needs_renewal
    assert server.sent == []  # not even the directory


def test_failed_ari_read_warns_and_falls_back(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    current = current_pem(days_left=45)
    server.route("GET", BASE + "/acme/renewal-info/" + renewal.ari_certificate_id(current.pem),
                 (404, problem("malformed", "unknown certificate", 404)))
    outcome = order.ensure_order(client, request(tmp_path), current, NOW)
    assert not outcome.decision.needs_renewal
    assert outcome.warnings and "renewal information (ARI) unavailable" in outcome.warnings[0]


def test_new_order_writes_a_fresh_key_and_lists_pending_challenges(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    existing_account(server)
    route_new_order(server, statuses=("valid", "pending"))
    outcome = order.ensure_order(client, request(tmp_path), None, NOW)
    result = outcome.as_result()
    assert result["changed"] and result["needs_renewal"] and result["reason"] == "no current certificate"
    assert result["order_uri"] == ORDER_URL and result["order_status"] == "pending"
    assert [c["identifier"] for c in result["challenges"]] == ["www.example.test"]
    assert os.stat(tmp_path / "cert.key").st_mode & 0o777 == 0o600


def test_check_mode_decides_but_creates_nothing(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    existing_account(server)
    outcome = order.ensure_order(client, request(tmp_path), None, NOW, check_mode=True)
    assert outcome.changed and outcome.order_uri is None
    assert outcome.message == "would create an order for example.test, www.example.test"
    assert not server.requests_to(NEW_ORDER)
    assert not os.path.exists(tmp_path / "cert.key")


def no_account(server):
    server.route("POST", NEW_ACCOUNT, (400, problem("accountDoesNotExist", "no account")))


def test_no_account_fails_clearly(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    no_account(server)
    with pytest.raises(CertopsError, match="no ACME account at this CA; create it with certops.acme.acme_account"):
        order.ensure_order(client, request(tmp_path), None, NOW)


@pytest.mark.parametrize("order_uri", [None, ORDER_URL])
def test_check_mode_without_account_reports_the_order_it_would_create(server, account_key, tmp_path, order_uri):
    client = acme_client(server, account_key)
    no_account(server)
    outcome = order.ensure_order(client, request(tmp_path, order_uri=order_uri), None, NOW, check_mode=True)
    assert outcome.as_result() == dict(
        msg="would create an order for example.test, www.example.test; the account key has no ACME account at "
            "this CA yet; certops.acme.acme_account would create it before the order",
        changed=True, needs_renewal=True, reason="no current certificate", order_uri=None, order_status=None,
        resumed=False, account_uri=None, replaces=None, challenges=[], directory_error=None)
    # One account lookup; no order is read (it needs an account) or created.
    assert [(sent["method"], sent["url"]) for sent in server.sent if sent["method"] == "POST"] == [
        ("POST", NEW_ACCOUNT)]
    assert not os.path.exists(tmp_path / "cert.key")


def test_check_mode_with_a_deactivated_account_fails(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    server.route("POST", NEW_ACCOUNT, (403, problem("unauthorized", "Account is not valid, has status deactivated",
                                                    403)))
    with pytest.raises(CertopsError, match="the ACME account of this key is deactivated"):
        order.ensure_order(client, request(tmp_path), None, NOW, check_mode=True)


def test_unknown_profile_fails_before_any_order(server, account_key, tmp_path):
    client = acme_client(server, account_key, directory=recorded_directory(profiles={"classic": "x"}))
    with pytest.raises(InvalidInputError, match="does not offer profile 'shortlived'; it offers: classic"):
        order.ensure_order(client, request(tmp_path, profile="shortlived"), None, NOW)
    assert len(server.sent) == 1


def test_pending_order_is_resumed_and_its_key_kept(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    existing_account(server)
    (tmp_path / "cert.key").write_text(pem.dump_private_key(order.keys.generate_private_key("ec256")))
    before = (tmp_path / "cert.key").read_text()
    server.route("POST", ORDER_URL, (200, order_body(NAMES)))
    for index, name in enumerate(NAMES, start=1):
        server.route("POST", authz_url(index), (200, authz_body(name, index=index)))
    outcome = order.ensure_order(client, request(tmp_path, order_uri=ORDER_URL), None, NOW)
    assert outcome.resumed and not outcome.changed and outcome.order_uri == ORDER_URL
    assert len(outcome.challenges) == 2
    assert not server.requests_to(NEW_ORDER)
    assert (tmp_path / "cert.key").read_text() == before


@pytest.mark.parametrize("status, names, warning", [
    ("invalid", NAMES, "is invalid, creating a new one"),
    ("pending", ("other.example.test",), "is for other names (other.example.test), creating a new one"),
])
def test_unusable_order_is_replaced(server, account_key, tmp_path, status, names, warning):
    client = acme_client(server, account_key)
    existing_account(server)
    old_url = BASE + "/acme/order/old"
    server.route("POST", old_url, (200, dict(order_body(names, status=status), authorizations=[])))
    route_new_order(server)
    outcome = order.ensure_order(client, request(tmp_path, order_uri=old_url), None, NOW)
    assert not outcome.resumed and outcome.order_uri == ORDER_URL
    assert warning in outcome.warnings[0]


def test_current_certificate_from_facts_needs_both():
    with pytest.raises(InvalidInputError, match="give both current_sans and current_not_after"):
        order.current_certificate(sans=["example.test"])
    assert order.current_certificate() is None
    facts = order.current_certificate(sans=["example.test"], not_after="2026-07-01T00:00:00Z", key_type="rsa2048")
    assert facts.key_type == "rsa2048" and facts.pem is None


def test_current_key_type_of_no_known_family_is_left_out_not_a_failure():
    facts = order.current_certificate(sans=["example.test"], not_after="2026-07-01T00:00:00Z", key_type="DSA")
    assert facts.key_type is None


# -- ARI from a recorded identifier, and replaces ---------------------------------
ARI_ID = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"


def current_facts(days_left=60, names=NAMES, ari_id=ARI_ID):
    return order.current_certificate(sans=list(names), not_after=(NOW + days_left * DAY).isoformat(),
                                     key_type="ECC", ari_id=ari_id)


def test_facts_with_an_ari_id_ask_the_ca_and_an_open_window_renews_with_replaces(server, account_key, tmp_path):
    client = acme_client(server, account_key)  # a recorded directory that offers renewalInfo
    server.route("GET", BASE + "/acme/renewal-info/" + ARI_ID,
                 (200, {"suggestedWindow": {"start": "2026-05-31T00:00:00Z", "end": "2026-06-02T00:00:00Z"}}))
    existing_account(server)
    route_new_order(server)
    outcome = order.ensure_order(client, request(tmp_path), current_facts(days_left=60), NOW)
    assert outcome.decision.needs_renewal
    assert outcome.decision.reason == "ARI window starts 2026-05-31T00:00:00Z, now within it"
    assert jws_payload(server.requests_to(NEW_ORDER)[0])["replaces"] == ARI_ID
    assert outcome.as_result()["replaces"] == ARI_ID
    assert len(server.requests_to(BASE + "/directory")) == 1  # one directory read for ARI and the order


def test_facts_with_an_ari_id_and_a_closed_window_do_not_renew(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    server.route("GET", BASE + "/acme/renewal-info/" + ARI_ID,
                 (200, {"suggestedWindow": {"start": "2026-06-20T00:00:00Z", "end": "2026-06-22T00:00:00Z"}}))
    outcome = order.ensure_order(client, request(tmp_path), current_facts(days_left=10), NOW)
    assert not outcome.decision.needs_renewal
    assert outcome.decision.reason == "ARI window starts 2026-06-20T00:00:00Z, not yet reached"
    assert not server.requests_to(NEW_ORDER)


def test_a_due_renewal_without_ari_at_the_ca_sends_no_replaces(server, account_key, tmp_path):
    client = acme_client(server, account_key, directory=recorded_directory(renewal_info=False))
    existing_account(server)
    route_new_order(server)
    outcome = order.ensure_order(client, request(tmp_path), current_facts(days_left=10), NOW)
    assert outcome.decision.reason == "expires in 10 days (renew_before_days 30)"
    assert "replaces" not in jws_payload(server.requests_to(NEW_ORDER)[0])
    assert outcome.replaces is None


def test_other_names_are_a_new_certificate_not_a_replacement(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    existing_account(server)
    route_new_order(server, names=("example.test", "new.example.test"))
    outcome = order.ensure_order(client, request(tmp_path, names=("example.test", "new.example.test")),
                                 current_facts(), NOW)
    assert outcome.decision.reason.startswith("names differ")
    assert "replaces" not in jws_payload(server.requests_to(NEW_ORDER)[0])
    assert not server.requests_to(BASE + "/acme/renewal-info/" + ARI_ID)


def test_already_replaced_falls_back_to_one_plain_order(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    existing_account(server)
    server.route("POST", NEW_ORDER, (409, problem("alreadyReplaced", "certificate already replaced", 409)),
                 (201, order_body(NAMES), {"Location": ORDER_URL}))
    for index, name in enumerate(NAMES, start=1):
        server.route("POST", authz_url(index), (200, authz_body(name, index=index)))
    outcome = order.ensure_order(client, request(tmp_path, force=True), current_facts(), NOW)
    payloads = [jws_payload(sent) for sent in server.requests_to(NEW_ORDER)]
    assert [payload.get("replaces") for payload in payloads] == [ARI_ID, None]
    assert outcome.order_uri == ORDER_URL and outcome.replaces is None
    assert "already replaced" in outcome.warnings[0]


def test_check_mode_reports_the_replaces_it_would_send(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    existing_account(server)
    outcome = order.ensure_order(client, request(tmp_path, force=True), current_facts(), NOW, check_mode=True)
    assert outcome.replaces == ARI_ID and not server.requests_to(NEW_ORDER)


@pytest.mark.parametrize("options, message", [
    (dict(ari_id="not-an-id"), "current_ari_cert_id: 'not-an-id' is not an ARI certificate identifier"),
    (dict(ari_id="abc=.def"), "is not an ARI certificate identifier"),
    (dict(ari_id=ARI_ID), "current_ari_cert_id: describes the current certificate"),
])
def test_current_ari_cert_id_is_checked_before_any_call(options, message):
    with pytest.raises(InvalidInputError, match=message):
        order.current_certificate(**options)


def test_current_ari_cert_id_does_not_go_with_a_pem():
    with pytest.raises(InvalidInputError, match="the current certificate's PEM gives its identifier"):
        order.current_certificate(pem_text=current_pem().pem, ari_id=ARI_ID)


# -- what the decision and the order ask of the CA -------------------------------
@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("current, force", [(None, False), ("due", True)])
def test_decide_only_with_a_certificate_due_reads_only_the_directory(
        server, account_key, tmp_path, check_mode, current, force):
    client = acme_client(server, account_key)
    current = current_pem(days_left=60) if current else None
    outcome = order.ensure_order(client, request(tmp_path, decide_only=True, force=force), current, NOW, check_mode)
    result = outcome.as_result()
    assert result["needs_renewal"] and not result["changed"]
    assert result["order_uri"] is None and result["account_uri"] is None and result["challenges"] == []
    assert result["directory_error"] is None
    assert [(sent["method"], sent["url"]) for sent in server.sent] == [("GET", BASE + "/directory")]
    assert client.directory_document == recorded_directory()  # for the next step
    assert not os.path.exists(tmp_path / "cert.key")


def test_decide_only_with_nothing_due_and_no_ari_asks_the_ca_nothing(server, account_key, tmp_path):
    client = acme_client(server, account_key, directory=recorded_directory(renewal_info=False))
    current = current_pem(days_left=60)
    outcome = order.ensure_order(client, request(tmp_path, decide_only=True, use_ari=False), current, NOW)
    assert not outcome.decision.needs_renewal and outcome.directory_error is None
    assert server.sent == []


@pytest.mark.parametrize("answer, detail", [
    ((404, "not found"), "https://ca.test/directory does not answer with an ACME directory (HTTP 404)"),
    ((401, {"type": "about:blank"}), "https://ca.test/directory does not answer with an ACME directory (HTTP 401)"),
    ((200, {"status": "ok"}), "https://ca.test/directory does not answer with an ACME directory (no newNonce, newAccount, newOrder)"),
    ((200, "<html></html>"), "https://ca.test/directory does not answer with an ACME directory ("),
])
def test_decide_only_reports_a_directory_that_cannot_be_used_and_decides_without_the_ca(
        server, account_key, tmp_path, answer, detail):
    client = acme_client(server, account_key)
    server.routes[("GET", BASE + "/directory")] = [answer]
    outcome = order.ensure_order(client, request(tmp_path, decide_only=True, profile="shortlived"), None, NOW)
    assert outcome.decision.needs_renewal
    assert detail in outcome.directory_error
    assert outcome.as_result()["directory_error"] == outcome.directory_error
    assert [sent["method"] for sent in server.sent] == ["GET"]  # read once, the profile not checked


def test_decide_only_reports_an_unreadable_directory_when_ari_cannot_be_asked(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    server.routes[("GET", BASE + "/directory")] = [(404, "not found")]
    current = current_pem(days_left=60)
    outcome = order.ensure_order(client, request(tmp_path, decide_only=True), current, NOW)
    assert not outcome.decision.needs_renewal and outcome.directory_error
    assert outcome.warnings == ["the directory cannot be read, deciding by renew_before_days: %s" % outcome.directory_error]


def test_decide_only_reads_what_ari_needs_and_no_account(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    current = current_pem(days_left=60)
    ari_url = ari_route(server, current, "2026-05-30T00:00:00Z", "2026-06-02T00:00:00Z")
    outcome = order.ensure_order(client, request(tmp_path, decide_only=True), current, NOW, check_mode=True)
    assert outcome.decision.needs_renewal and outcome.replaces is None
    assert [(sent["method"], sent["url"]) for sent in server.sent] == [("GET", BASE + "/directory"), ("GET", ari_url)]
    assert client.directory_document == recorded_directory()  # for the next step


def test_a_given_account_is_not_looked_up(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    client.assume_account(BASE + "/acme/acct/7")
    route_new_order(server, statuses=("pending", "valid"))
    outcome = order.ensure_order(client, request(tmp_path), None, NOW)
    assert outcome.account_uri == BASE + "/acme/acct/7"
    assert not server.requests_to(NEW_ACCOUNT)
    assert [(sent["method"], sent["url"]) for sent in server.sent] == [
        ("GET", BASE + "/directory"), ("HEAD", BASE + "/acme/new-nonce"), ("POST", NEW_ORDER),
        ("POST", authz_url(1)), ("POST", authz_url(2))]
