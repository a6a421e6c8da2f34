# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime

import pytest
import requests
from acme import challenges as acme_challenges
from acme import messages
from cryptography.hazmat.primitives.asymmetric import rsa

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme import client as acme_client_module
from ansible_collections.certops.acme.plugins.module_utils.acme import renewal
from ansible_collections.certops.acme.plugins.module_utils.acme.client import AcmeClient, AcmeProblem, csr_for
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, InvalidInputError
from ansible_collections.certops.acme.plugins.module_utils.http_client import NetworkError, RetryPolicy
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.acme.acme_fakes import (
    ACCOUNT_URL, BASE, DIRECTORY_URL, NEW_ACCOUNT, NEW_NONCE, NEW_ORDER, ORDER_URL, TOKEN, acme_client, authz_body,
    authz_url, chall_url, existing_account, issue_certificate, jws_payload, order_body, problem, recorded_directory)
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock


# -- trust and timeouts -------------------------------------------------------
def test_ca_path_wins_over_requests_ca_bundle(server, account_key, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/environment-bundle.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/etc/ssl/environment-bundle.pem")
    client = acme_client(server, account_key, ca_path="/lab/ca.pem", timeout=7)
    existing_account(server)
    client.find_account()
    assert [(sent["method"], sent["verify"], sent["timeout"]) for sent in server.sent] == [
        ("GET", "/lab/ca.pem", 7), ("HEAD", "/lab/ca.pem", 7), ("POST", "/lab/ca.pem", 7)]


def test_validate_certs_false_disables_verification_even_with_a_bundle(server, account_key, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/environment-bundle.pem")
    client = acme_client(server, account_key, validate_certs=False, ca_path="/lab/ca.pem")
    assert client.directory["newOrder"] == NEW_ORDER
    assert server.sent[0]["verify"] is False


def test_without_ca_path_the_system_trust_applies(server, account_key, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/environment-bundle.pem")
    client = acme_client(server, account_key)
    client.directory  # pylint: disable=pointless-statement
    assert server.sent[0]["verify"] == "/etc/ssl/environment-bundle.pem"


def _tls_failure(request):
    raise requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", request=request)


def test_tls_failure_is_explained(server, account_key):
    client = acme_client(server, account_key)
    server.routes[("GET", DIRECTORY_URL)] = [_tls_failure]
    with pytest.raises(NetworkError, match="TLS verification failed.*ca_path"):
        client.directory  # pylint: disable=pointless-statement


# -- account keys -------------------------------------------------------------
def test_account_keys_map_to_jws_algorithms(account_key):
    assert acme_client_module.account_jwk(account_key)[1].name == "ES256"
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert acme_client_module.account_jwk(rsa_key)[1].name == "RS256"


# -- accounts ------------------------------------------------------------------
def test_find_account_is_an_only_return_existing_lookup(server, account_key):
    client = acme_client(server, account_key)
    existing_account(server)
    account = client.find_account()
    assert account == acme_client_module.Account(ACCOUNT_URL, "valid", ("mailto:admin@example.test",))
    assert jws_payload(server.requests_to(NEW_ACCOUNT)[0]) == {"onlyReturnExisting": True}
    assert client.net.account.uri == ACCOUNT_URL
    assert client.find_account().uri == ACCOUNT_URL  # a second lookup is signed with the JWK again
    protected = [sent["payload"]["protected"] for sent in server.requests_to(NEW_ACCOUNT)]
    assert all('"jwk"' in _b64json(header) and '"kid"' not in _b64json(header) for header in protected)


def _b64json(data):
    import base64

    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)).decode("utf-8")


def test_find_account_returns_none_for_an_unknown_key(server, account_key):
    client = acme_client(server, account_key)
    server.route("POST", NEW_ACCOUNT, (400, problem("accountDoesNotExist", "No account exists with the provided key")))
    assert client.find_account() is None


def test_create_account_with_external_account_binding(server, account_key):
    client = acme_client(server, account_key, directory=recorded_directory(eab_required=True))
    server.route("POST", NEW_ACCOUNT, (201, {"status": "valid", "contact": ["mailto:a@example.test"]},
                                       {"Location": ACCOUNT_URL}))
    account = client.create_account(["mailto:a@example.test"], True, "kid-1", "c2VjcmV0LWhtYWMta2V5LXZhbHVlLTMyYnl0ZXMhIQ")
    assert account.uri == ACCOUNT_URL
    payload = jws_payload(server.requests_to(NEW_ACCOUNT)[0])
    assert payload["contact"] == ["mailto:a@example.test"]
    assert payload["termsOfServiceAgreed"] is True
    assert set(payload["externalAccountBinding"]) == {"protected", "payload", "signature"}


def test_eab_refusal_says_what_to_set(server, account_key):
    client = acme_client(server, account_key)
    server.route("POST", NEW_ACCOUNT, (400, problem("externalAccountRequired", "Account creation requires EAB")))
    with pytest.raises(AcmeProblem) as failure:
        client.create_account([], True)
    assert "externalAccountRequired: Account creation requires EAB" in failure.value.message
    assert "set eab_kid and eab_hmac_key" in failure.value.message


def test_update_contact_and_deactivate_post_to_the_account(server, account_key):
    client = acme_client(server, account_key)
    existing_account(server)
    account = client.find_account()
    server.route("POST", ACCOUNT_URL, (200, {"status": "valid", "contact": ["mailto:new@example.test"]}),
                 (200, {"status": "deactivated"}))
    assert client.update_contact(account, ["mailto:new@example.test"]).contact == ("mailto:new@example.test",)
    assert client.deactivate_account(account).status == "deactivated"
    sent = server.requests_to(ACCOUNT_URL)
    assert jws_payload(sent[0]) == {"contact": ["mailto:new@example.test"]}
    assert jws_payload(sent[1]) == {"status": "deactivated"}


def test_bad_nonces_are_retried_a_few_times(server, account_key):
    client = acme_client(server, account_key)
    bad_nonce = (400, problem("badNonce", "JWS has an invalid anti-replay nonce"))
    server.route("POST", NEW_ACCOUNT, bad_nonce, bad_nonce, bad_nonce,
                 (200, {"status": "valid"}, {"Location": ACCOUNT_URL}))
    assert client.find_account().uri == ACCOUNT_URL
    assert len(server.requests_to(NEW_ACCOUNT)) == 4


def _protected(sent):
    import json

    return json.loads(_b64json(sent["payload"]["protected"]))


def test_a_bad_nonce_is_resent_with_the_nonce_of_the_refusal(server, account_key):
    client = acme_client(server, account_key)
    server.route("POST", NEW_ACCOUNT, (400, problem("badNonce", "stale"), {"Replay-Nonce": "ZnJlc2g"}),
                 (200, {"status": "valid"}, {"Location": ACCOUNT_URL}))
    assert client.find_account().uri == ACCOUNT_URL
    assert len(server.requests_to(NEW_NONCE)) == 1  # only the first nonce is asked for
    assert _protected(server.requests_to(NEW_ACCOUNT)[1])["nonce"] == "ZnJlc2g"


def test_a_refused_lookup_leaves_its_nonce_for_the_next_request(server, account_key):
    client = acme_client(server, account_key)
    server.route("POST", NEW_ACCOUNT, (400, problem("accountDoesNotExist", "no account"), {"Replay-Nonce": "bmV4dA"}),
                 (201, {"status": "valid"}, {"Location": ACCOUNT_URL}))
    assert client.find_account() is None
    client.create_account([], True)
    assert len(server.requests_to(NEW_NONCE)) == 1
    assert _protected(server.requests_to(NEW_ACCOUNT)[1])["nonce"] == "bmV4dA"


def test_a_carried_nonce_and_directory_save_their_requests_and_the_unused_nonce_is_returned(server, account_key):
    client = acme_client(server, account_key, directory_document=recorded_directory(), nonce="Y2FycmllZA")
    server.route("POST", NEW_ACCOUNT, (200, {"status": "valid"}, {"Location": ACCOUNT_URL, "Replay-Nonce": "bGFzdA"}))
    assert client.find_account().uri == ACCOUNT_URL
    assert [(sent["method"], sent["url"]) for sent in server.sent] == [("POST", NEW_ACCOUNT)]
    assert _protected(server.sent[0])["nonce"] == "Y2FycmllZA"
    assert client.directory_document == recorded_directory()
    assert client.unused_nonce() == "bGFzdA"
    assert client.unused_nonce() is None  # handed out once


def test_a_malformed_carried_nonce_is_ignored(server, account_key):
    client = acme_client(server, account_key, nonce="a")
    existing_account(server)
    client.find_account()
    assert len(server.requests_to(NEW_NONCE)) == 1


def test_the_directory_read_is_kept_for_the_next_step(server, account_key):
    client = acme_client(server, account_key)
    assert client.directory_document is None
    assert client.has_resource("renewalInfo")
    assert client.directory_document == recorded_directory()
    assert len(server.requests_to(DIRECTORY_URL)) == 1


def test_an_assumed_account_is_not_looked_up(server, account_key):
    client = acme_client(server, account_key)
    client.assume_account(ACCOUNT_URL)
    assert client.require_account().uri == ACCOUNT_URL
    assert client.find_account().uri == ACCOUNT_URL
    assert server.sent == []
    assert client.net.account.uri == ACCOUNT_URL


def test_bad_nonces_give_up_eventually(server, account_key):
    client = acme_client(server, account_key)
    server.route("POST", NEW_ACCOUNT, (400, problem("badNonce", "nope")))
    with pytest.raises(AcmeProblem, match="badNonce.*gave up after 10 attempts"):
        client.find_account()
    assert len(server.requests_to(NEW_ACCOUNT)) == acme_client_module.BAD_NONCE_ATTEMPTS


# -- profiles and renewal information -------------------------------------------
def test_profile_must_be_offered(server, account_key):
    client = acme_client(server, account_key, directory=recorded_directory(
        profiles={"classic": "https://ca.test/docs/classic", "shortlived": "https://ca.test/docs/shortlived"}))
    client.check_profile("shortlived")
    with pytest.raises(InvalidInputError, match="does not offer profile 'tlsserver'; it offers: classic, shortlived"):
        client.check_profile("tlsserver")


def test_profile_fails_when_the_ca_has_no_profiles(server, account_key):
    client = acme_client(server, account_key, directory=recorded_directory(profiles=None))
    with pytest.raises(InvalidInputError, match="the CA does not advertise ACME profiles"):
        client.check_profile("classic")


def test_renewal_window_is_read_from_the_renewal_info_resource(server, account_key):
    client = acme_client(server, account_key)
    leaf_pem = pem.dump_certificates([issue_certificate(["example.test"])])
    cert_id = renewal.ari_certificate_id(leaf_pem)
    server.route("GET", BASE + "/acme/renewal-info/" + cert_id, (200, {
        "suggestedWindow": {"start": "2026-06-20T10:00:00Z", "end": "2026-06-22T10:00:00Z"},
        "explanationURL": "https://ca.test/ari-explained"}, {"Retry-After": "21600"}))
    window = client.renewal_window(cert_id)
    utc = datetime.timezone.utc
    assert window.start == datetime.datetime(2026, 6, 20, 10, tzinfo=utc)
    assert window.end == datetime.datetime(2026, 6, 22, 10, tzinfo=utc)
    assert window.explanation_url == "https://ca.test/ari-explained"
    assert [sent["method"] for sent in server.sent] == ["GET", "GET"]


def test_no_renewal_info_without_the_directory_resource(server, account_key):
    client = acme_client(server, account_key, directory=recorded_directory(renewal_info=False))
    assert client.renewal_window("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE") is None
    assert len(server.sent) == 1


def test_a_json_document_that_is_no_acme_directory_is_refused_naming_the_option(server, account_key):
    client = acme_client(server, account_key, directory={"certs": [], "domains": []})
    with pytest.raises(InvalidInputError) as caught:
        client.find_account()
    assert caught.value.option == "directory"
    assert "does not answer with an ACME directory (no newNonce, newAccount, newOrder)" in caught.value.message
    assert len(server.sent) == 1


# -- orders ---------------------------------------------------------------------
def _new_order(server, client, names, authz_statuses, profile=None):
    server.route("POST", NEW_ORDER, (201, order_body(names), {"Location": ORDER_URL}))
    for index, (name, status) in enumerate(zip(names, authz_statuses), start=1):
        server.route("POST", authz_url(index), (200, authz_body(name, status, index=index)))
    key = pem.load_private_key(pem.dump_private_key(rsa.generate_private_key(public_exponent=65537, key_size=2048)), "k")
    return client.new_order(csr_for(key, names), profile=profile)


def test_new_order_lists_pending_dns01_challenges_only(server, account_key):
    client = acme_client(server, account_key, directory=recorded_directory(profiles={"classic": "x"}))
    existing_account(server)
    client.find_account()
    names = ["*.example.test", "example.test", "www.example.test"]
    orderr = _new_order(server, client, names, ["pending", "pending", "valid"], profile="classic")
    payload = jws_payload(server.requests_to(NEW_ORDER)[0])
    assert payload["profile"] == "classic"
    assert sorted(identifier["value"] for identifier in payload["identifiers"]) == sorted(names)
    pending = [challenge.as_result() for challenge in client.pending_challenges(orderr)]
    expected_value = acme_challenges.DNS01(token=messages.jose.decode_b64jose(TOKEN)).validation(client.jwk)
    assert [(c["identifier"], c["fqdn"], c["value"]) for c in pending] == [
        ("*.example.test", "_acme-challenge.example.test", expected_value),
        ("example.test", "_acme-challenge.example.test", expected_value)]


def test_rate_limited_new_order_fails_at_once_with_retry_after(server, account_key):
    clock = FakeClock()
    client = acme_client(server, account_key, clock=clock)
    existing_account(server)
    client.find_account()
    server.route("POST", NEW_ORDER, (429, problem("rateLimited", "too many certificates (5) already issued for "
                                                  "this exact set of identifiers", status=429),
                                     {"Retry-After": "3600"}))
    with pytest.raises(AcmeProblem) as failure:
        _new_order(server, client, ["example.test"], ["pending"])
    assert len(server.requests_to(NEW_ORDER)) == 1
    assert clock.sleeps == []
    assert failure.value.details["retry_after"] == "3600"
    assert failure.value.details["status"] == 429
    assert "rateLimited: too many certificates" in failure.value.message
    assert "not retrying (retry after 3600 s)" in failure.value.message


def test_load_order_reads_the_order_and_its_authorizations(server, account_key):
    client = acme_client(server, account_key)
    existing_account(server)
    client.find_account()
    server.route("POST", ORDER_URL, (200, order_body(["example.test"])))
    server.route("POST", authz_url(1), (200, authz_body("example.test")))
    orderr = client.load_order(ORDER_URL)
    assert orderr.uri == ORDER_URL
    assert [authzr.uri for authzr in orderr.authorizations] == [authz_url(1)]
    assert jws_payload(server.requests_to(ORDER_URL)[0]) is None  # POST-as-GET


def test_no_dns01_offered_fails_naming_the_identifier(server, account_key):
    client = acme_client(server, account_key)
    existing_account(server)
    client.find_account()
    body = authz_body("example.test")
    body["challenges"] = [c for c in body["challenges"] if c["type"] != "dns-01"]
    server.route("POST", ORDER_URL, (200, order_body(["example.test"])))
    server.route("POST", authz_url(1), (200, body))
    orderr = client.load_order(ORDER_URL)
    with pytest.raises(CertopsError, match="no dns-01 challenge for example.test .offered: http-01"):
        client.pending_challenges(orderr)


# -- transient faults -------------------------------------------------------------
def _reset(request):
    raise requests.exceptions.ConnectionError(ConnectionResetError(104, "Connection reset by peer"), request=request)


def _read_timeout(request):
    raise requests.exceptions.ReadTimeout("Read timed out. (read timeout=30)", request=request)


def _unavailable(status=503, headers=None):
    return (status, problem("serverInternal", "the CA is busy", status=status), headers)


def _client_with_account(server, account_key, **options):
    client = acme_client(server, account_key, clock=FakeClock(), **options)
    existing_account(server)
    client.find_account()
    return client


def _route_order_read(server, first_answer):
    server.route("POST", ORDER_URL, first_answer, (200, order_body(["example.test"])))
    server.route("POST", authz_url(1), (200, authz_body("example.test")))


def test_a_503_on_an_order_read_is_retried(server, account_key):
    client = _client_with_account(server, account_key)
    _route_order_read(server, _unavailable())
    assert client.load_order(ORDER_URL).uri == ORDER_URL
    assert len(server.requests_to(ORDER_URL)) == 2
    assert len(client.net.clock.sleeps) == 1


def test_a_connection_reset_on_the_directory_is_retried(server, account_key):
    client = acme_client(server, account_key, clock=FakeClock())
    server.routes[("GET", DIRECTORY_URL)] = [_reset, (200, recorded_directory())]
    assert client.directory["newOrder"] == NEW_ORDER
    assert len(server.requests_to(DIRECTORY_URL)) == 2
    assert len(client.net.clock.sleeps) == 1


@pytest.mark.parametrize("retry_after, expected_sleep", [
    ("7", 7.0), ("Thu, 01 Jan 2026 00:00:12 GMT", 12.0)])
def test_retry_after_is_honoured_on_a_read(server, account_key, retry_after, expected_sleep):
    client = _client_with_account(server, account_key)
    rate_limited = (429, problem("rateLimited", "too many requests to this endpoint", status=429),
                    {"Retry-After": retry_after})
    _route_order_read(server, rate_limited)
    client.load_order(ORDER_URL)
    assert client.net.clock.sleeps == [expected_sleep]


@pytest.mark.parametrize("answer", [_unavailable(500), (502, "<html>Bad Gateway</html>"), _read_timeout],
                         ids=["500-problem", "502-page", "read-timeout"])
def test_a_transient_fault_on_new_order_is_not_retried(server, account_key, answer):
    client = _client_with_account(server, account_key)
    server.route("POST", NEW_ORDER, answer)
    with pytest.raises(CertopsError, match=r"could not create an order: .*not retried.*\(1 attempt\)") as failure:
        _new_order(server, client, ["example.test"], ["pending"])
    assert len(server.requests_to(NEW_ORDER)) == 1
    assert client.net.clock.sleeps == []
    assert failure.value.details["attempts"] == 1


def test_a_new_account_is_not_created_twice_after_a_timeout(server, account_key):
    client = acme_client(server, account_key, clock=FakeClock())
    server.route("POST", NEW_ACCOUNT, _read_timeout)
    with pytest.raises(NetworkError, match="could not create the ACME account: timed out.*not retried"):
        client.create_account(["mailto:a@example.test"], True)
    assert len(server.requests_to(NEW_ACCOUNT)) == 1


def test_a_transient_new_nonce_fault_is_retried_before_a_new_order_is_sent(server, account_key):
    client = _client_with_account(server, account_key)
    client.net._nonces.clear()  # pylint: disable=protected-access
    server.routes[("HEAD", NEW_NONCE)] = [(503, ""), (200, "")]
    _new_order(server, client, ["example.test"], ["pending"])
    assert len(server.requests_to(NEW_ORDER)) == 1
    assert len(client.net.clock.sleeps) == 1


def test_answering_a_challenge_is_retried(server, account_key):
    client = _client_with_account(server, account_key)
    _route_order_read(server, (200, order_body(["example.test"])))
    processing = {"type": "dns-01", "url": chall_url(1), "token": TOKEN, "status": "processing"}
    server.route("POST", chall_url(1), _unavailable(), (200, processing, {"Link": '<%s>;rel="up"' % authz_url(1)}))
    assert client.answer_pending(client.load_order(ORDER_URL)) == ["example.test"]
    assert len(server.requests_to(chall_url(1))) == 2


@pytest.mark.parametrize("payload, safe", [
    (None, True),
    (messages.NewRegistration(only_return_existing=True), True),
    (messages.NewRegistration.from_data(contact=("mailto:a@example.test",)), False),
    (acme_challenges.DNS01Response(), True),
    (messages.NewOrder(identifiers=()), False),
    (messages.UpdateRegistration(status=messages.STATUS_DEACTIVATED), False),
], ids=["post-as-get", "account-lookup", "new-account", "challenge-answer", "new-order", "account-update"])
def test_which_requests_are_safe_to_repeat(payload, safe):
    assert acme_client_module.safe_to_repeat(payload) is safe


def test_gives_up_after_the_policy_attempts_and_says_how_many(server, account_key):
    client = _client_with_account(server, account_key, retry=RetryPolicy(max_attempts=3))
    server.route("POST", ORDER_URL, _unavailable())
    with pytest.raises(AcmeProblem, match="could not read order .*serverInternal: the CA is busy; "
                                          "gave up after 3 attempts") as failure:
        client.load_order(ORDER_URL)
    assert len(server.requests_to(ORDER_URL)) == 3
    assert len(client.net.clock.sleeps) == 2
    assert failure.value.details["attempts"] == 3


def test_a_reset_that_persists_fails_as_a_network_error_with_the_count(server, account_key):
    client = acme_client(server, account_key, clock=FakeClock(), retry=RetryPolicy(max_attempts=2))
    server.routes[("GET", DIRECTORY_URL)] = [_reset]
    with pytest.raises(NetworkError, match="ConnectionError: .*reset by peer.*gave up after 2 attempts"):
        client.directory  # pylint: disable=pointless-statement


def test_a_retry_after_beyond_the_deadline_gives_up_without_waiting(server, account_key):
    client = _client_with_account(server, account_key, retry=RetryPolicy(deadline=5))
    _route_order_read(server, _unavailable(headers={"Retry-After": "30"}))
    with pytest.raises(AcmeProblem, match="gave up after 1 attempt$"):
        client.load_order(ORDER_URL)
    assert client.net.clock.sleeps == []


def test_problem_with_subproblems_lists_each_identifier():
    error = messages.Error.from_json(problem("rejectedIdentifier", "Some identifiers were rejected", subproblems=[
        problem("rejectedIdentifier", "forbidden by policy", identifier="bad.example.test")]))
    assert acme_client_module.problem_text(acme_client_module.describe_problem(error)) == (
        "rejectedIdentifier: Some identifiers were rejected; bad.example.test: rejectedIdentifier: forbidden by policy")


def test_client_needs_a_usable_key():
    from cryptography.hazmat.primitives.asymmetric import ed25519

    with pytest.raises(InvalidInputError, match="cannot sign ACME requests"):
        AcmeClient(DIRECTORY_URL, ed25519.Ed25519PrivateKey.generate())


# -- replaces (RFC 9773 5) and deactivation -------------------------------------
ARI_ID = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"


def test_new_order_carries_replaces_when_the_ca_offers_ari(server, account_key):
    client = acme_client(server, account_key, directory=recorded_directory(profiles={"classic": "x"}))
    existing_account(server)
    client.find_account()
    server.route("POST", NEW_ORDER, (201, order_body(["example.test"]), {"Location": ORDER_URL}))
    server.route("POST", authz_url(1), (200, authz_body("example.test")))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    orderr = client.new_order(csr_for(key, ["example.test"]), profile="classic", replaces=ARI_ID)
    assert jws_payload(server.requests_to(NEW_ORDER)[0]) == {
        "identifiers": [{"type": "dns", "value": "example.test"}], "profile": "classic", "replaces": ARI_ID}
    assert orderr.uri == ORDER_URL and [a.uri for a in orderr.authorizations] == [authz_url(1)]
    assert len(server.requests_to(NEW_ORDER)) == 1


def test_new_order_sends_no_replaces_without_renewal_info(server, account_key):
    client = acme_client(server, account_key, directory=recorded_directory(renewal_info=False))
    existing_account(server)
    client.find_account()
    server.route("POST", NEW_ORDER, (201, order_body(["example.test"]), {"Location": ORDER_URL}))
    server.route("POST", authz_url(1), (200, authz_body("example.test")))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client.new_order(csr_for(key, ["example.test"]), replaces=ARI_ID)
    assert jws_payload(server.requests_to(NEW_ORDER)[0]) == {"identifiers": [{"type": "dns", "value": "example.test"}]}


def test_deactivate_authorization_posts_the_deactivated_status(server, account_key):
    client = acme_client(server, account_key)
    existing_account(server)
    client.find_account()
    server.route("POST", authz_url(1), (200, authz_body("example.test")),
                 (200, authz_body("example.test", "deactivated")))
    authzr = client.load_authorization(authz_url(1))
    assert client.deactivate_authorization(authzr) == "deactivated"
    assert jws_payload(server.requests_to(authz_url(1))[1]) == {"status": "deactivated"}


def test_read_order_returns_the_retry_after(server, account_key):
    client = acme_client(server, account_key, clock=FakeClock())
    existing_account(server)
    client.find_account()
    server.route("POST", ORDER_URL, (200, order_body(["example.test"], status="processing"), {"Retry-After": "3"}))
    body, retry_after = client.read_order(ORDER_URL)
    assert body.status.name == "processing" and retry_after == 3


# -- connection failures that retrying does not cure, and the trust warning --------------------------------
def _refused(request):
    raise requests.exceptions.ConnectionError(ConnectionRefusedError(111, "Connection refused"), request=request)


def test_a_refused_connection_is_tried_at_most_twice(server, account_key):
    client = acme_client(server, account_key, clock=FakeClock(), retry=RetryPolicy(max_attempts=5))
    server.routes[("GET", DIRECTORY_URL)] = [_refused] * 5
    with pytest.raises(NetworkError, match=r"was refused: check the host and port.*gave up after 2 attempts"):
        client.directory  # pylint: disable=pointless-statement
    assert len(server.requests_to(DIRECTORY_URL)) == 2


def test_a_failed_tls_verification_is_tried_once(server, account_key):
    client = acme_client(server, account_key, clock=FakeClock(), retry=RetryPolicy(max_attempts=5))
    server.routes[("GET", DIRECTORY_URL)] = [_tls_failure] * 5
    with pytest.raises(NetworkError, match="TLS verification failed"):
        client.directory  # pylint: disable=pointless-statement
    assert len(server.requests_to(DIRECTORY_URL)) == 1


def test_validate_certs_false_warns_naming_the_directory_host(server, account_key):
    from ansible_collections.certops.acme.plugins.module_utils import http_client

    seen = []
    previous = http_client.set_warning_handler(seen.append)
    try:
        acme_client(server, account_key, validate_certs=False)
        acme_client(server, account_key)
    finally:
        http_client.set_warning_handler(previous)
    assert len(seen) == 1
    assert "TLS certificate of %s is not verified" % DIRECTORY_URL.split("/")[2].split(":")[0] in seen[0]
