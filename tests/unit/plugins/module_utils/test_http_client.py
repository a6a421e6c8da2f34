# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import random

import pytest

from ansible_collections.certops.acme.plugins.module_utils.clock import FakeClock
from ansible_collections.certops.acme.plugins.module_utils.http_client import (
    FakeTransport, HttpClient, NetworkError, RetryPolicy, TransientFaultError, TransportFailure,
    json_response, parse_retry_after,
)


def make_client(*answers, **options):
    transport = FakeTransport(answers)
    clock = FakeClock()
    options.setdefault("retry", RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=8.0, deadline=60))
    client = HttpClient("https://api.example.invalid/v5/", transport=transport, clock=clock,
                        rng=random.Random(7), **options)
    return client, transport, clock


def test_returns_the_first_non_transient_answer_without_retry():
    client, transport, clock = make_client(json_response(404, {"message": "nope"}))
    response = client.request("GET", "/domains/x")
    assert response.status == 404
    assert response.json() == {"message": "nope"}
    assert len(transport.sent) == 1
    assert clock.sleeps == []
    assert transport.sent[0]["url"] == "https://api.example.invalid/v5/domains/x"


def test_ca_path_is_passed_on_every_request():
    client, transport, _clock = make_client(json_response(200, {}), ca_path="/lab/ca.pem")
    client.request("GET", "/a")
    assert transport.sent[0]["verify"] == "/lab/ca.pem"


def test_validate_certs_false_disables_verification_explicitly():
    client, transport, _clock = make_client(json_response(200, {}), validate_certs=False, ca_path="/x")
    client.request("GET", "/a")
    assert transport.sent[0]["verify"] is False


def test_5xx_on_idempotent_call_is_retried_with_growing_backoff():
    client, transport, clock = make_client(
        json_response(502, None), json_response(503, None), json_response(200, {"ok": 1}))
    assert client.request("GET", "/a").json() == {"ok": 1}
    assert len(transport.sent) == 3
    assert len(clock.sleeps) == 2
    assert 0.5 <= clock.sleeps[0] <= 1.0
    assert 1.0 <= clock.sleeps[1] <= 2.0


def test_429_honours_retry_after_even_on_post():
    client, transport, clock = make_client(
        json_response(429, None, {"Retry-After": "5"}), json_response(201, {"message": "created"}))
    assert client.request("POST", "/a", body=b"{}").status == 201
    assert clock.sleeps == [5.0]


def test_5xx_on_post_is_not_retried_unless_declared_idempotent():
    client, transport, _clock = make_client(json_response(502, None))
    with pytest.raises(TransientFaultError) as info:
        client.request("POST", "/a", body=b"x")
    assert info.value.details["attempts"] == 1
    client, transport, _clock = make_client(json_response(502, None), json_response(200, {}))
    assert client.request("POST", "/a", body=b"x", idempotent=True).status == 200


def test_gives_up_after_max_attempts_and_says_how_many():
    client, transport, _clock = make_client(*[json_response(500, {"message": "boom"}) for _attempt in range(4)])
    with pytest.raises(TransientFaultError) as info:
        client.request("GET", "/a")
    assert "4 attempts" in str(info.value)
    assert info.value.details["attempts"] == 4
    assert len(transport.sent) == 4


def test_network_failures_are_retried_then_reported():
    client, transport, _clock = make_client(
        TransportFailure("timed out (ReadTimeout)"), TransportFailure("ConnectionResetError"), json_response(200, {}))
    assert client.request("GET", "/a").status == 200
    client, transport, _clock = make_client(*[TransportFailure("timed out") for _attempt in range(4)])
    with pytest.raises(NetworkError) as info:
        client.request("DELETE", "/a")
    assert "after 4 attempts" in str(info.value)


def test_retry_after_beyond_the_deadline_gives_up_at_once():
    client, transport, clock = make_client(json_response(429, None, {"Retry-After": "3600"}),
                                           retry=RetryPolicy(deadline=30, max_retry_after=3600))
    with pytest.raises(TransientFaultError):
        client.request("GET", "/a")
    assert clock.sleeps == []


def test_caller_can_flag_a_fault_hidden_in_a_200_envelope():
    def envelope_fault(response):
        code = response.json().get("code")
        return "envelope code %d" % code if code >= 500 else None

    client, transport, _clock = make_client(json_response(200, {"code": 500}), json_response(200, {"code": 200}))
    response = client.request("GET", "/a", is_transient=envelope_fault)
    assert response.json() == {"code": 200}
    assert len(transport.sent) == 2


def test_secrets_are_redacted_from_errors():
    client, transport, _clock = make_client(
        *[json_response(500, {"echo": "token s3cr3t-value"}) for _attempt in range(4)], secrets=["s3cr3t-value"])
    with pytest.raises(TransientFaultError) as info:
        client.request("GET", "/a?key=s3cr3t-value")
    text = str(info.value) + repr(info.value.details)
    assert "s3cr3t-value" not in text
    assert "********" in text


def test_parse_retry_after_accepts_seconds_and_http_dates():
    clock = FakeClock()
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Thu, 01 Jan 2026 00:00:30 GMT", clock.now()) == 30.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_requests_transport_passes_ca_path_despite_requests_ca_bundle(monkeypatch, tmp_path):
    """requests replaces a session-wide verify with REQUESTS_CA_BUNDLE; ours must not be replaced."""
    requests = pytest.importorskip("requests")
    from ansible_collections.certops.acme.plugins.module_utils.http_client import RequestsTransport

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "environment-bundle.pem"))
    seen = {}

    def fake_send(self, request, **kwargs):
        seen["verify"] = kwargs.get("verify")
        answer = requests.Response()
        answer.status_code = 200
        answer._content = b"{}"
        return answer

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", fake_send)
    transport = RequestsTransport()
    transport.send("GET", "https://lab.invalid/", {}, None, 5, "/lab/ca.pem")
    assert seen["verify"] == "/lab/ca.pem"


def test_a_body_that_is_not_json_is_redacted():
    from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpError, Response

    client, transport, _clock = make_client(Response(200, {}, b"<html>Bearer s3cr3t-value</html>"),
                                            secrets=["s3cr3t-value"])
    with pytest.raises(HttpError) as info:
        client.request("GET", "/a").json()
    assert "s3cr3t-value" not in str(info.value)


@pytest.mark.parametrize("url,accepted", [
    ("https://api.example.invalid", True),
    ("http://127.0.0.1:8080", True),
    ("http://localhost:8080", True),
    ("http://api.example.invalid", False),
    ("ftp://api.example.invalid", False),
])
def test_plain_http_is_refused_except_to_this_machine(url, accepted):
    from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

    if accepted:
        HttpClient(url, transport=FakeTransport())
    else:
        with pytest.raises(InvalidInputError, match="^api_url: .*https://"):
            HttpClient(url, transport=FakeTransport())
