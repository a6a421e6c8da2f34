# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import random

import pytest

from ansible_collections.certops.acme.plugins.module_utils.http_client import (
    HttpClient, NetworkError, RetryPolicy, TransientFaultError, TransportFailure, parse_retry_after,
)
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeClock, FakeTransport, json_response


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


@pytest.mark.parametrize("url", ["api.gandi.net", "", None, "https://", "http:///path", "mailto:x@example.test",
                                 "http://[::1/x"])
def test_a_value_that_is_not_an_http_url_is_refused_with_an_example(url):
    from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
    from ansible_collections.certops.acme.plugins.module_utils.http_client import require_https

    with pytest.raises(InvalidInputError) as caught:
        require_https(url, "api_url", example="https://api.example.invalid/v5")
    assert caught.value.message == "api_url: must be an https:// URL such as https://api.example.invalid/v5, got %r" % (url,)


def test_plain_http_refusal_gives_the_callers_reason():
    from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError
    from ansible_collections.certops.acme.plugins.module_utils.http_client import require_https

    require_https("http://[::1]:14000/dir", "directory", "ACME is spoken over HTTPS only")
    require_https("https://acme.example.test/dir", "directory", "ACME is spoken over HTTPS only")
    with pytest.raises(InvalidInputError) as caught:
        require_https("http://acme.example.test/dir", "directory", "ACME is spoken over HTTPS only")
    assert caught.value.message == ("directory: 'http://acme.example.test/dir' must be an https:// URL (plain http "
                                    "is accepted only for this machine): ACME is spoken over HTTPS only")


# -- hardening: redaction before the cut, bounded connection retries, explained failures, trust warning ------
SECRET = "s3cr3t-" + "k" * 40


def test_a_secret_echoed_across_the_excerpt_cut_is_redacted():
    from ansible_collections.certops.acme.plugins.module_utils.http_client import (
        BODY_EXCERPT_CHARS, HttpError, Response)

    for start in (BODY_EXCERPT_CHARS - 20, BODY_EXCERPT_CHARS - len(SECRET) // 2, BODY_EXCERPT_CHARS - 1):
        body = ("x" * start + SECRET + "y" * 300).encode()
        client, _transport, _clock = make_client(Response(200, {}, body), secrets=[SECRET])
        with pytest.raises(HttpError) as info:
            client.request("GET", "/a").json()
        assert SECRET[:8] not in str(info.value)
        client, _transport, _clock = make_client(*[Response(503, {}, body) for _attempt in range(4)], secrets=[SECRET])
        with pytest.raises(TransientFaultError) as info:
            client.request("GET", "/a")
        assert SECRET[:8] not in str(info.value) + repr(info.value.details)
        assert info.value.details["body"].endswith("...")


def test_excerpt_redacts_the_whole_text_before_cutting():
    from ansible_collections.certops.acme.plugins.module_utils.http_client import REDACTED, Redactor, excerpt

    redact = Redactor([SECRET])
    text = "a" * 95 + SECRET + "b" * 50
    assert excerpt(redact, text, 100) == "a" * 95 + REDACTED[:5] + "..."
    assert excerpt(redact, "short", 100) == "short"
    # A text somebody else cut inside a secret: the start of the secret left at its end is masked too.
    assert redact("error: " + SECRET[:20]) == "error: " + REDACTED
    assert redact("ends with s3c") == "ends with s3c"  # too short to tell from ordinary text


def test_secrets_are_found_in_the_forms_a_server_echoes_them_in():
    import json
    from urllib.parse import quote_plus

    from ansible_collections.certops.acme.plugins.module_utils.http_client import Redactor

    key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+/abc=\n-----END PRIVATE KEY-----\n"
    redact = Redactor([key])
    for echoed in (key, json.dumps({"private": key}), quote_plus(key)):
        assert "MIGHAgEAMBMG" not in redact("the server said: " + echoed)


def test_a_refused_connection_is_tried_at_most_twice_even_for_a_post():
    from ansible_collections.certops.acme.plugins.module_utils.http_client import REFUSED

    client, transport, clock = make_client(*[TransportFailure("refused", REFUSED) for _attempt in range(4)])
    with pytest.raises(NetworkError) as info:
        client.request("GET", "/a")
    assert len(transport.sent) == 2 and info.value.details["attempts"] == 2
    assert len(clock.sleeps) == 1
    client, transport, _clock = make_client(TransportFailure("refused", REFUSED), json_response(201, {}))
    assert client.request("POST", "/a").status == 201  # the request never reached the server
    assert len(transport.sent) == 2


def test_a_failed_tls_verification_is_not_retried():
    from ansible_collections.certops.acme.plugins.module_utils.http_client import TLS

    client, transport, clock = make_client(*[TransportFailure("TLS verification failed", TLS) for _attempt in range(4)])
    with pytest.raises(NetworkError, match="after 1 attempt: TLS verification failed"):
        client.request("GET", "/a")
    assert len(transport.sent) == 1 and clock.sleeps == []


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CountingTransport:
    def __init__(self):
        from ansible_collections.certops.acme.plugins.module_utils.http_client import RequestsTransport

        self.inner = RequestsTransport()
        self.calls = 0

    def send(self, *args):
        self.calls += 1
        return self.inner.send(*args)


def test_a_real_refused_connection_is_explained_and_tried_twice():
    port = _free_port()
    transport = CountingTransport()
    client = HttpClient("http://127.0.0.1:%d" % port, transport=transport, clock=FakeClock(),
                        retry=RetryPolicy(max_attempts=5))
    with pytest.raises(NetworkError) as info:
        client.request("GET", "/a")
    assert transport.calls == 2
    message = str(info.value)
    assert "connection to 127.0.0.1:%d was refused" % port in message
    assert "check the host and port" in message and "HTTPS_PROXY" in message
    assert "Max retries exceeded" not in message and "urllib3" not in message  # no raw library text


@pytest.fixture(scope="module")
def untrusted_tls_server():
    """An HTTPS server on loopback whose self-signed certificate no store trusts."""
    import datetime
    import http.server
    import ssl
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    import tempfile

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "untrusted.test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    with tempfile.TemporaryDirectory() as directory:
        cert_path, key_path = directory + "/cert.pem", directory + "/key.pem"
        with open(cert_path, "wb") as handle:
            handle.write(cert.public_bytes(serialization.Encoding.PEM))
        with open(key_path, "wb") as handle:
            handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()
            server.server_close()


def test_a_real_tls_verification_failure_is_explained_and_not_retried(untrusted_tls_server):
    transport = CountingTransport()
    client = HttpClient("https://localhost:%d" % untrusted_tls_server, transport=transport, clock=FakeClock(),
                        retry=RetryPolicy(max_attempts=5))
    with pytest.raises(NetworkError) as info:
        client.request("GET", "/a")
    assert transport.calls == 1
    message = str(info.value)
    assert "TLS verification failed for localhost:%d (certificate verify failed" % untrusted_tls_server in message
    assert "ca_path" in message and "HTTPSConnectionPool" not in message


@pytest.mark.parametrize("make_error, kind, words", [
    (lambda r: r.exceptions.ConnectionError(ConnectionRefusedError(111, "Connection refused")), "refused",
     ["api.example.invalid:443 was refused", "check the host and port"]),
    (lambda r: r.exceptions.ConnectionError(__import__("socket").gaierror(-2, "Name or service not known")),
     "unresolved", ["does not resolve", "spelling of the URL"]),
    (lambda r: r.exceptions.ProxyError("Unable to connect to proxy"), "proxy", ["HTTPS_PROXY", "the proxy itself"]),
    (lambda r: r.exceptions.SSLError("[SSL: WRONG_VERSION_NUMBER] wrong version number"), "tls",
     ["TLS handshake with api.example.invalid:443 failed (WRONG_VERSION_NUMBER)", "ca_path"]),
    (lambda r: r.exceptions.ConnectTimeout("connect timeout=3"), "timeout", ["timed out connecting", "raise timeout"]),
    (lambda r: r.exceptions.ReadTimeout("Read timed out. (read timeout=30)"), "timeout",
     ["timed out waiting for api.example.invalid:443"]),
    (lambda r: r.exceptions.ConnectionError(ConnectionResetError(104, "Connection reset by peer")), "reset",
     ["ConnectionError: the connection to api.example.invalid:443 was reset by peer"]),
])
def test_transport_failures_say_what_to_check(make_error, kind, words):
    import requests

    from ansible_collections.certops.acme.plugins.module_utils.http_client import (
        attempt_limit, describe_transport_error, transport_failure_kind)

    error = make_error(requests)
    assert transport_failure_kind(error) == kind
    text = describe_transport_error(error, "https://api.example.invalid/v5/x")
    for word in words:
        assert word in text
    assert attempt_limit(error, 5) == {"tls": 1, "refused": 2, "unresolved": 2, "proxy": 2}.get(kind, 5)


@pytest.fixture
def python_warnings():
    from ansible_collections.certops.acme.plugins.module_utils import http_client

    previous = http_client.set_warning_handler(None)
    yield
    http_client.set_warning_handler(previous)


def test_validate_certs_false_warns_naming_the_endpoint_on_every_client(python_warnings):
    from ansible_collections.certops.acme.plugins.module_utils.http_client import UntrustedEndpointWarning

    for _run in range(2):
        with pytest.warns(UntrustedEndpointWarning, match=r"TLS certificate of api\.example\.invalid is not verified"):
            make_client(validate_certs=False)
    with pytest.warns(UntrustedEndpointWarning, match=r"127\.0\.0\.1:8443 .*ca_path"):
        HttpClient("https://127.0.0.1:8443/v5", validate_certs=False, transport=FakeTransport())


def test_verified_clients_do_not_warn(python_warnings):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_client()
        make_client(ca_path="/lab/ca.pem")


def test_the_warning_handler_receives_the_text():
    from ansible_collections.certops.acme.plugins.module_utils import http_client

    seen = []
    previous = http_client.set_warning_handler(seen.append)
    try:
        make_client(validate_certs=False)
    finally:
        http_client.set_warning_handler(previous)
    assert len(seen) == 1 and "api.example.invalid" in seen[0]
