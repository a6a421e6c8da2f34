# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import json
import os

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from ansible_collections.certops.acme.plugins.module_utils import pem
from ansible_collections.certops.acme.plugins.module_utils.acme import client as acme_client_module
from ansible_collections.certops.acme.plugins.module_utils.acme import finalize, keys
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, TimeoutExpired
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.acme.acme_fakes import (
    ACCOUNT_URL, CERT_URL, DIRECTORY_URL, FINALIZE_URL, NEW_ACCOUNT, NEW_NONCE, ORDER_URL, TOKEN, acme_client,
    authz_body, authz_url, chall_url, existing_account, issue_certificate, jws_payload, order_body, problem,
    recorded_directory, Hierarchy, scripted_issuance)
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock

NAMES = ["*.example.test", "example.test"]


@pytest.fixture(scope="module")
def hierarchy():
    return Hierarchy()


@pytest.fixture
def no_sleep(monkeypatch):
    monkeypatch.setattr(acme_client_module.acme_client.time, "sleep", lambda seconds: None)


def _request(tmp_path, **options):
    return finalize.FinalizeRequest(order_uri=ORDER_URL, private_key_path=str(tmp_path / "cert.key"),
                                    certificate_path=str(tmp_path / "cert.pem"), chain_path=str(tmp_path / "chain.pem"),
                                    fullchain_path=str(tmp_path / "fullchain.pem"), **options)


def test_issuance_answers_pending_challenges_and_writes_the_files(server, account_key, tmp_path, hierarchy, no_sleep):
    client = acme_client(server, account_key)
    existing_account(server)
    key = keys.certificate_key(str(tmp_path / "cert.key"), "ec256").key
    issued = scripted_issuance(server, hierarchy)
    result = finalize.finalize_order(client, _request(tmp_path, preferred_chain="Lab Root B"), clock=FakeClock())
    assert issued["names"] == sorted(NAMES)
    assert result["changed"] and result["issued"] and result["order_status"] == "valid"
    assert result["answered"] == ["*.example.test"]  # the valid authorization is not answered again
    assert server.requests_to(chall_url(1)) and not server.requests_to(chall_url(2))
    assert result["sans"] == sorted(NAMES) and result["issuer"] == "Lab Intermediate"
    chain = pem.load_certificates(result["chain"], "chain")
    assert [pem.common_name(c.issuer) for c in chain] == ["Lab Root B"]  # the preferred, alternate chain
    assert result["fullchain"] == result["certificate"] + result["chain"]
    assert pem.key_matches_certificate(key, pem.load_certificates(result["certificate"], "c")[0])
    assert "PRIVATE KEY" not in json.dumps(result)
    for name, text in (("cert.pem", result["certificate"]), ("chain.pem", result["chain"]),
                       ("fullchain.pem", result["fullchain"])):
        assert (tmp_path / name).read_text() == text
        assert os.stat(tmp_path / name).st_mode & 0o777 == 0o644
    assert all(item["changed"] for item in result["files"].values())


def test_valid_order_is_downloaded_and_identical_files_left_alone(server, account_key, tmp_path, hierarchy):
    client = acme_client(server, account_key)
    existing_account(server)
    key = keys.certificate_key(str(tmp_path / "cert.key"), "ec256").key
    default, alternate = hierarchy.chains_for(key, NAMES)
    server.route("POST", ORDER_URL, (200, order_body(NAMES, status="valid", certificate=CERT_URL)))
    for index, name in enumerate(NAMES, start=1):
        server.route("POST", authz_url(index), (200, authz_body(name, "valid", index=index)))
    server.route("POST", CERT_URL, (200, default, {"Link": '<%s/alt>;rel="alternate"' % CERT_URL}))
    server.route("POST", CERT_URL + "/alt", (200, alternate))
    first = finalize.finalize_order(client, _request(tmp_path))
    second = finalize.finalize_order(client, _request(tmp_path))
    assert first["changed"] and not first["issued"]
    assert not second["changed"]
    assert not server.requests_to(CERT_URL + "/alt")  # no preferred chain: no alternate fetched
    assert not server.requests_to(FINALIZE_URL)


def test_invalid_order_fails_with_the_reason_per_identifier(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    existing_account(server)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    server.route("POST", ORDER_URL, (200, order_body(NAMES, status="invalid")))
    server.route("POST", authz_url(1), (200, authz_body(NAMES[0], "invalid", index=1, error=problem(
        "unauthorized", "Incorrect TXT record found at _acme-challenge.example.test", 403))))
    server.route("POST", authz_url(2), (200, authz_body(NAMES[1], "valid", index=2)))
    with pytest.raises(CertopsError) as failure:
        finalize.finalize_order(client, _request(tmp_path))
    assert failure.value.message.startswith(
        "order %s is invalid: validation failed for *.example.test: unauthorized: Incorrect TXT record found at "
        "_acme-challenge.example.test; run certops.acme.acme_order again for a new order" % ORDER_URL)


def test_a_missing_key_fails_before_any_request_to_the_order(server, account_key, tmp_path):
    client = acme_client(server, account_key)
    client.assume_account(ACCOUNT_URL)
    with pytest.raises(CertopsError, match="^private_key_path: .* does not exist"):
        finalize.finalize_order(client, _request(tmp_path, challenges=({"url": chall_url(1), "identifier": "a.test",
                                                                        "status": "pending"},)))
    assert server.sent == []


def test_check_mode_answers_nothing(server, account_key, tmp_path, hierarchy):
    client = acme_client(server, account_key)
    existing_account(server)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    scripted_issuance(server, hierarchy)
    result = finalize.finalize_order(client, _request(tmp_path), check_mode=True)
    assert result["changed"] and not result["issued"]
    assert not server.requests_to(chall_url(1)) and not server.requests_to(FINALIZE_URL)


def test_select_chain_prefers_the_top_issuer_or_keeps_the_default(hierarchy):
    key = ec.generate_private_key(ec.SECP256R1())
    default, alternate = hierarchy.chains_for(key, ["example.test"])
    chosen = finalize.select_chain(default, [alternate], "Lab Root B")
    assert chosen.preferred_found and pem.common_name(chosen.chain[-1].issuer) == "Lab Root B"
    kept = finalize.select_chain(default, [alternate], "Some Other Root")
    assert kept.preferred_found is False and pem.common_name(kept.chain[-1].issuer) == "Lab Root A"
    assert kept.available_issuers == ("Lab Root A", "Lab Root B")
    assert finalize.select_chain(default, [alternate]).preferred_found is None


def test_chain_that_includes_its_root_matches_by_subject(hierarchy):
    key = ec.generate_private_key(ec.SECP256R1())
    default, _alternate = hierarchy.chains_for(key, ["example.test"])
    with_root = default + pem.dump_certificates([hierarchy.root])
    assert finalize.select_chain(with_root, [], "Lab Root A").preferred_found


def test_unlinked_chain_is_refused(hierarchy):
    key = ec.generate_private_key(ec.SECP256R1())
    default, _alternate = hierarchy.chains_for(key, ["example.test"])
    stranger = pem.dump_certificates([issue_certificate([], subject="Stranger", issuer="Nobody", ca=True)])
    with pytest.raises(CertopsError, match="does not link up"):
        finalize.select_chain(default + stranger)


# -- fail fast ------------------------------------------------------------------
def _chall_answer(index):
    return (200, {"type": "dns-01", "url": chall_url(index), "token": TOKEN, "status": "processing"},
            {"Link": '<%s>;rel="up"' % authz_url(index)})


def _deactivation_route(server, index, name):
    """Answers a POST-as-GET with the pending authorization, a deactivation with ``deactivated``."""
    def answer(request):
        if payload_of(request) == {"status": "deactivated"}:
            return 200, authz_body(name, "deactivated", index=index)
        return 200, authz_body(name, "pending", chall_status="pending", index=index)
    return answer


def payload_of(request):
    data = json.loads(request.body)["payload"]
    return json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))) if data else None


def _deactivations(server, index):
    return [sent for sent in server.requests_to(authz_url(index)) if jws_payload(sent) == {"status": "deactivated"}]


def test_dead_order_fails_after_progress_timeout_naming_the_stuck_authorization(server, account_key, tmp_path):
    """A CA that leaves a failed validation pending, with no error: fail once nothing changes for a while."""
    clock = FakeClock()
    client = acme_client(server, account_key, clock=clock)
    existing_account(server)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    server.route("POST", ORDER_URL, (200, order_body(NAMES)))  # pending for ever
    server.route("POST", authz_url(1), (200, authz_body(NAMES[0], index=1)),
                 (200, authz_body(NAMES[0], "pending", chall_status="processing", index=1)),
                 _deactivation_route(server, 1, NAMES[0]))
    server.route("POST", authz_url(2), (200, authz_body(NAMES[1], "valid", index=2)))
    server.route("POST", chall_url(1), _chall_answer(1))
    request = _request(tmp_path, wait_timeout=600, progress_timeout=20)
    with pytest.raises(finalize.ValidationFailed) as failure:
        finalize.finalize_order(client, request, clock=clock)
    # Seen: processing at the first check, pending at the second; then nothing for progress_timeout.
    assert sum(clock.sleeps) == 2 * finalize.AUTHZ_RECHECK + request.progress_timeout  # not 600 s
    message = failure.value.message
    assert "made no progress for 2" in message
    assert "authorization %s (*.example.test) is pending, its dns-01 challenge pending with no error" % authz_url(1) \
        in message
    assert "deactivated the pending authorization of *.example.test" in message
    details = failure.value.details
    assert details["waiting"] == [dict(identifier="*.example.test", authorization=authz_url(1), status="pending",
                                       challenge_status="pending")]
    assert details["deactivated"] == [dict(identifier="*.example.test", authorization=authz_url(1))]
    assert details["not_deactivated"] == []
    assert len(_deactivations(server, 1)) == 1
    assert not _deactivations(server, 2)  # a valid authorization is kept for reuse
    assert not server.requests_to(FINALIZE_URL)
    # The order is polled each round; the authorizations at most every AUTHZ_RECHECK seconds.
    authz_reads = len(server.requests_to(authz_url(1))) - 1  # without the deactivation
    assert authz_reads <= 2 + sum(clock.sleeps) / finalize.AUTHZ_RECHECK
    assert len(server.requests_to(ORDER_URL)) > authz_reads
    assert max(clock.sleeps) <= finalize.POLL_MAX


def test_invalid_order_fails_at_once_with_the_problem_per_identifier(server, account_key, tmp_path):
    clock = FakeClock()
    client = acme_client(server, account_key, clock=clock)
    existing_account(server)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    names = ["example.test", "www.example.test"]
    server.route("POST", ORDER_URL, (200, order_body(names)), (200, order_body(names, status="invalid")))
    server.route("POST", authz_url(1), (200, authz_body(names[0], index=1)), (200, authz_body(
        names[0], "invalid", error=problem("unauthorized", 'Incorrect TXT record "abc" found at '
                                           "_acme-challenge.example.test", 403), index=1)))
    server.route("POST", authz_url(2), (200, authz_body(names[1], index=2)),
                 (200, authz_body(names[1], "pending", chall_status="processing", index=2)),
                 _deactivation_route(server, 2, names[1]))
    for index in (1, 2):
        server.route("POST", chall_url(index), _chall_answer(index))
    with pytest.raises(finalize.ValidationFailed) as failure:
        finalize.finalize_order(client, _request(tmp_path, wait_timeout=600), clock=clock)
    assert sum(clock.sleeps) <= 1.0  # the first poll saw it
    assert failure.value.details["failures"] == [
        dict(identifier="example.test", type="urn:ietf:params:acme:error:unauthorized",
             detail='Incorrect TXT record "abc" found at _acme-challenge.example.test')]
    assert 'validation failed for example.test: unauthorized: Incorrect TXT record "abc"' in failure.value.message
    assert failure.value.details["deactivated"] == [dict(identifier="www.example.test", authorization=authz_url(2))]
    assert not _deactivations(server, 1)  # invalid: nothing to deactivate


def test_challenge_error_on_a_pending_authorization_fails_at_the_next_check(server, account_key, tmp_path):
    clock = FakeClock()
    client = acme_client(server, account_key, clock=clock)
    existing_account(server)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    names = ["example.test"]
    server.route("POST", ORDER_URL, (200, order_body(names)))
    server.route("POST", authz_url(1), (200, authz_body(names[0], index=1)),
                 (200, authz_body(names[0], "pending", chall_status="processing", index=1)),
                 (200, authz_body(names[0], "pending", chall_status="processing", index=1, error=problem(
                     "dns", "SERVFAIL looking up TXT for _acme-challenge.example.test"))),
                 (200, authz_body(names[0], "deactivated", index=1)))
    server.route("POST", chall_url(1), _chall_answer(1))
    with pytest.raises(finalize.ValidationFailed) as failure:
        finalize.finalize_order(client, _request(tmp_path, wait_timeout=600, progress_timeout=300), clock=clock)
    # The first check sees the challenge processing, the second its error.
    assert sum(clock.sleeps) == 2 * finalize.AUTHZ_RECHECK
    assert "example.test: dns: SERVFAIL looking up TXT" in failure.value.message
    assert failure.value.details["deactivated"] == [dict(identifier="example.test", authorization=authz_url(1))]


def test_wait_timeout_bounds_a_slow_issuance(server, account_key, tmp_path):
    clock = FakeClock()
    client = acme_client(server, account_key, clock=clock)
    existing_account(server)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    server.route("POST", ORDER_URL, (200, order_body(NAMES, status="processing")))
    for index, name in enumerate(NAMES, start=1):
        server.route("POST", authz_url(index), (200, authz_body(name, "valid", index=index)))
    with pytest.raises(TimeoutExpired, match="still processing after wait_timeout .30 s.") as failure:
        finalize.finalize_order(client, _request(tmp_path, wait_timeout=30, progress_timeout=5), clock=clock)
    assert 30 <= sum(clock.sleeps) <= 31  # processing is not "no progress": the whole wait_timeout
    assert failure.value.details["deactivated"] == []


def test_order_not_ready_is_polled_and_finalized_once_ready(server, account_key, tmp_path, hierarchy):
    clock = FakeClock()
    client = acme_client(server, account_key, clock=clock)
    existing_account(server)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    issued = scripted_issuance(server, hierarchy, statuses=("valid", "valid"))
    finalize_answers = server.routes[("POST", FINALIZE_URL)]
    finalize_answers.insert(0, (403, problem("orderNotReady", "order is not ready", 403)))
    server.routes[("POST", ORDER_URL)][1:1] = [(200, order_body(NAMES, status="ready"))]
    result = finalize.finalize_order(client, _request(tmp_path), clock=clock)
    assert result["issued"] and issued["names"] == sorted(NAMES)
    assert len(server.requests_to(FINALIZE_URL)) == 2
    assert all(seconds <= finalize.POLL_MAX for seconds in clock.sleeps)


# -- the shortest path: challenges from acme_order, account and nonce carried --
def _given_challenges(names=None, statuses=("pending", "valid")):
    """The challenges as acme_order returns them (only the pending ones are listed)."""
    names = names or NAMES
    return tuple(dict(identifier=name, url=chall_url(index), status=status, type="dns-01",
                      authorization=authz_url(index), fqdn="_acme-challenge.example.test", value="v")
                 for index, (name, status) in enumerate(zip(names, statuses), start=1) if status == "pending")


def _routes_of(server):
    return [(sent["method"], sent["url"]) for sent in server.sent]


def test_given_challenges_are_answered_and_only_the_order_is_polled(server, account_key, tmp_path, hierarchy):
    clock = FakeClock()
    client = acme_client(server, account_key, clock=clock, directory_document=recorded_directory(), nonce="Y2FycmllZA")
    client.assume_account(ACCOUNT_URL)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    issued = scripted_issuance(server, hierarchy)
    # Answered first, the first read finds the order ready; the second one, after the finalization, valid.
    server.routes[("POST", ORDER_URL)] = [(200, order_body(NAMES, status="ready")),
                                          (200, order_body(NAMES, status="valid", certificate=CERT_URL))]
    request = _request(tmp_path, challenges=_given_challenges())
    result = finalize.finalize_order(client, request, clock=clock)
    assert issued["names"] == sorted(NAMES) and result["issued"] and result["answered"] == ["*.example.test"]
    # No directory read, no nonce request, no account lookup, no authorization read:
    # the challenge, the order, the finalization, the order, the certificate.
    assert _routes_of(server) == [("POST", chall_url(1)), ("POST", ORDER_URL), ("POST", FINALIZE_URL),
                                  ("POST", ORDER_URL), ("POST", CERT_URL)]
    assert all(sent["payload"] is not None for sent in server.sent)
    encoded = server.sent[0]["payload"]["protected"]
    protected = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    assert protected["kid"] == ACCOUNT_URL and protected["nonce"] == "Y2FycmllZA"
    assert clock.sleeps[0] == finalize.POLL_FIRST  # the CA validates before the first read
    assert client.unused_nonce() is not None  # the last answer's nonce, for a next step


def test_reused_authorizations_answer_nothing(server, account_key, tmp_path, hierarchy):
    clock = FakeClock()
    client = acme_client(server, account_key, clock=clock)
    client.assume_account(ACCOUNT_URL)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    scripted_issuance(server, hierarchy)
    server.routes[("POST", ORDER_URL)][:1] = []  # ready at the first read
    result = finalize.finalize_order(client, _request(tmp_path, challenges=()), clock=clock)
    assert result["issued"] and result["answered"] == []
    assert not server.requests_to(chall_url(1)) and not server.requests_to(authz_url(1))
    assert not server.requests_to(NEW_ACCOUNT)


def test_an_order_that_turns_invalid_reads_the_authorizations_to_name_the_failure(server, account_key, tmp_path):
    clock = FakeClock()
    client = acme_client(server, account_key, clock=clock)
    client.assume_account(ACCOUNT_URL)
    keys.certificate_key(str(tmp_path / "cert.key"), "ec256")
    names = ["example.test", "www.example.test"]
    server.route("POST", ORDER_URL, (200, order_body(names, status="invalid")))
    server.route("POST", authz_url(1), (200, authz_body(names[0], "invalid", error=problem(
        "dns", "NXDOMAIN looking up TXT for _acme-challenge.example.test"), index=1)))
    server.route("POST", authz_url(2), _deactivation_route(server, 2, names[1]))
    for index in (1, 2):
        server.route("POST", chall_url(index), _chall_answer(index))
    request = _request(tmp_path, challenges=_given_challenges(names, ("pending", "pending")))
    with pytest.raises(finalize.ValidationFailed) as failure:
        finalize.finalize_order(client, request, clock=clock)
    assert "validation failed for example.test: dns: NXDOMAIN" in failure.value.message
    assert failure.value.details["deactivated"] == [dict(identifier="www.example.test", authorization=authz_url(2))]
    posts = [route for route in _routes_of(server) if route[0] == "POST"]
    assert posts[:3] == [("POST", chall_url(1)), ("POST", chall_url(2)), ("POST", ORDER_URL)]
    assert len(server.requests_to(DIRECTORY_URL)) == 1 and len(server.requests_to(NEW_NONCE)) == 1
