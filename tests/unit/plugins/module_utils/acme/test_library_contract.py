# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parts of the ``acme`` and ``josepy`` libraries that plugins/module_utils/acme/client.py relies on.

The client subclasses ``acme.client.ClientNetwork`` and overrides private
methods of it (``_post_once`` is called, ``_check_response`` and ``head`` are
overridden), sets attributes on the library's exception objects, and reads
message fields. None of that is public API, so a new ``acme`` release may change
it without notice. These tests pin each piece down, by signature and by
behaviour on a fake HTTP session, so that an upgrade that breaks the seam fails
here, naming what changed, instead of failing issuance at run time. See "The
ACME seam" in docs/architecture.md.
"""

from __future__ import annotations

import datetime
import inspect
import json

import josepy as jose
import pytest
import requests
from acme import challenges, crypto_util, errors, messages
from acme.client import ClientNetwork, ClientV2
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

NONCE_URL = "https://ca.test/new-nonce"
ORDER_URL = "https://ca.test/order/1"
PROBLEM_TYPE = "application/problem+json"


def parameters(function):
    return inspect.signature(function).parameters


def response(status=200, body=None, content_type="application/json", headers=None, text=None):
    answer = requests.Response()
    answer.status_code = status
    answer.headers.update(headers or {})
    if content_type:
        answer.headers["Content-Type"] = content_type
    answer.headers.setdefault("Replay-Nonce", "bm9uY2U")
    answer._content = (text if text is not None else json.dumps(body if body is not None else {})).encode()
    answer.url = ORDER_URL
    return answer


class FakeSession:
    """Stands for ``requests.Session``: records each request and plays scripted answers."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def request(self, method, url, *args, **kwargs):
        self.calls.append((method, url, kwargs))
        return self.answers.pop(0)


class RecordingNetwork(ClientNetwork):
    """Overrides what the collection's ``CertopsNetwork`` overrides, and records the calls."""

    seen = []

    def head(self, *args, **kwargs):
        self.seen.append(("head", args))
        return super().head(*args, **kwargs)

    @classmethod
    def _check_response(cls, response, content_type=None):
        cls.seen.append(("check", response.status_code))
        try:
            return super()._check_response(response, content_type=content_type)
        except messages.Error as error:
            error.http_status = response.status_code
            error.retry_after = response.headers.get("Retry-After")
            raise


@pytest.fixture
def jwk():
    return jose.JWKEC(key=ec.generate_private_key(ec.SECP256R1()))


@pytest.fixture
def net(jwk):
    RecordingNetwork.seen = []
    return RecordingNetwork(jwk, alg=jose.ES256, verify_ssl="/lab/ca.pem", user_agent="certops.acme", timeout=7)


# -- ClientNetwork: the private methods the client overrides or calls ---------
def test_client_network_constructor_takes_the_keywords_the_client_passes():
    assert {"key", "account", "alg", "verify_ssl", "user_agent", "timeout"} <= set(parameters(ClientNetwork.__init__))


def test_post_once_is_the_single_send_the_client_retries():
    params = parameters(ClientNetwork._post_once)
    assert list(params)[:3] == ["self", "url", "obj"]
    assert "content_type" in params
    assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())  # new_nonce_url travels in kwargs


def test_check_response_is_a_classmethod_taking_content_type():
    assert isinstance(inspect.getattr_static(ClientNetwork, "_check_response"), classmethod)
    assert list(parameters(ClientNetwork._check_response)) == ["response", "content_type"]


def test_public_methods_the_client_overrides_keep_their_shape():
    assert list(parameters(ClientNetwork.get))[:2] == ["self", "url"]
    assert "content_type" in parameters(ClientNetwork.get)
    for name in ("head", "post"):
        kinds = {p.kind for p in parameters(getattr(ClientNetwork, name)).values()}
        assert inspect.Parameter.VAR_POSITIONAL in kinds and inspect.Parameter.VAR_KEYWORD in kinds, name


def test_post_once_reads_the_nonce_through_head_and_checks_every_answer_through_the_class(net):
    net.session = FakeSession(response(200, text="", content_type=None), response(200, {"status": "valid"}))
    net._post_once(ORDER_URL, None, new_nonce_url=NONCE_URL)
    assert ("head", (NONCE_URL,)) in net.seen  # the client's head() override sees the nonce request
    assert [entry for entry in net.seen if entry[0] == "check"] == [("check", 200), ("check", 200)]
    assert [call[0] for call in net.session.calls] == ["HEAD", "POST"]


def test_unused_nonces_are_kept_decoded_in_the_nonces_set(net):
    # The client hands an unused nonce on to the next step and takes one in
    # (and the nonce of a refusal) through ``_nonces``.
    assert net._nonces == set()
    net._nonces.add(jose.decode_b64jose("Y2FycmllZA"))
    net.session = FakeSession(response(200, {"status": "valid"}, headers={"Replay-Nonce": "bmV4dA"}))
    net._post_once(ORDER_URL, None, new_nonce_url=NONCE_URL)
    assert [call[0] for call in net.session.calls] == ["POST"]  # the kept nonce, no HEAD
    assert json.loads(jose.b64decode(json.loads(net.session.calls[0][2]["data"])["protected"]))["nonce"] == "Y2FycmllZA"
    assert net._nonces == {jose.decode_b64jose("bmV4dA")}
    assert jose.encode_b64jose(net._nonces.pop()) == "bmV4dA"


def test_get_checks_its_answer_through_the_class(net):
    net.session = FakeSession(response(200, {"a": 1}))
    net.get("https://ca.test/renewal-info/x", content_type="application/json")
    assert net.seen == [("check", 200)]


def test_every_request_carries_verify_and_timeout(net):
    # ca_path must win over REQUESTS_CA_BUNDLE: requests only lets a per-request verify= do that.
    net.session = FakeSession(response(200, {"a": 1}))
    net.get("https://ca.test/directory")
    kwargs = net.session.calls[0][2]
    assert kwargs["verify"] == "/lab/ca.pem"
    assert kwargs["timeout"] == 7
    assert kwargs["headers"]["User-Agent"] == "certops.acme"


def test_account_is_a_plain_attribute_the_client_sets(net):
    assert net.account is None
    net.account = messages.RegistrationResource(uri="https://ca.test/acct/1", body=messages.Registration())
    assert net.account.uri == "https://ca.test/acct/1"


# -- exceptions: what the client reads from them and sets on them -------------
def test_a_problem_answer_raises_messages_error_that_takes_attributes(net):
    problem = {"type": "urn:ietf:params:acme:error:rateLimited", "detail": "too many", "status": 429}
    net.session = FakeSession(response(429, problem, content_type=PROBLEM_TYPE, headers={"Retry-After": "30"}))
    with pytest.raises(messages.Error) as caught:
        net.get(ORDER_URL)
    error = caught.value
    assert isinstance(error, errors.Error)  # the client catches acme.errors.Error
    assert (error.code, error.detail, error.http_status, error.retry_after) == ("rateLimited", "too many", 429, "30")
    error.attempts, error.repeatable = 3, False  # set by the client's retry loop
    assert (error.attempts, error.repeatable) == (3, False)
    for field in ("typ", "title", "description", "identifier", "subproblems"):
        assert hasattr(error, field), field


def test_a_problem_with_subproblems_exposes_their_identifiers():
    error = messages.Error.from_json({
        "type": "urn:ietf:params:acme:error:malformed", "detail": "bad names",
        "subproblems": [{"type": "urn:ietf:params:acme:error:rejectedIdentifier", "detail": "no",
                         "identifier": {"type": "dns", "value": "bad.test"}}]})
    assert error.subproblems[0].identifier.value == "bad.test"
    assert str(error.typ) == "urn:ietf:params:acme:error:malformed"


def test_a_non_json_error_page_raises_client_error_carrying_the_response(net):
    page = response(502, text="<html>bad gateway</html>", content_type="text/html")
    net.session = FakeSession(page)
    with pytest.raises(errors.ClientError) as caught:
        net.get(ORDER_URL)
    assert caught.value.args[0] is page


def test_validation_and_timeout_errors_keep_their_shape():
    assert "failed_authzrs" in parameters(errors.ValidationError.__init__)
    assert errors.ValidationError([]).failed_authzrs == []
    assert issubclass(errors.TimeoutError, errors.Error)


# -- ClientV2: the calls the client makes -------------------------------------
@pytest.mark.parametrize("name, expected", [
    ("get_directory", ["url", "net"]),
    ("__init__", ["self", "directory", "net"]),
    ("new_account", ["self", "new_account"]),
    ("new_order", ["self", "csr_pem", "profile"]),
    ("answer_challenge", ["self", "challb", "response"]),
    ("poll_authorizations", ["self", "orderr", "deadline"]),
    ("finalize_order", ["self", "orderr", "deadline", "fetch_alternative_chains"]),
    ("poll_finalization", ["self", "orderr", "deadline", "fetch_alternative_chains"]),
])
def test_client_v2_methods(name, expected):
    assert list(parameters(getattr(ClientV2, name))) == expected


def test_deadlines_are_naive_datetimes(net):
    # The client passes datetime.now() + timeout: the library must compare with a naive now().
    directory = messages.Directory.from_json({"newNonce": NONCE_URL})
    client = ClientV2(directory, net)
    order = messages.OrderResource(uri=ORDER_URL, body=messages.Order(authorizations=["https://ca.test/authz/1"]))
    with pytest.raises(errors.TimeoutError):
        client.poll_authorizations(order, datetime.datetime.now() - datetime.timedelta(seconds=1))


# -- messages, challenges, crypto_util and josepy ----------------------------
def test_message_fields_the_client_reads_and_writes():
    assert messages.NewRegistration(only_return_existing=True).only_return_existing is True
    registration = messages.NewRegistration.from_data(contact=("mailto:a@example.test",), terms_of_service_agreed=True,
                                                      external_account_binding=None)
    assert registration.contact == ("mailto:a@example.test",)
    assert messages.UpdateRegistration(status=messages.STATUS_DEACTIVATED).status == messages.STATUS_DEACTIVATED
    assert {"account_public_key", "kid", "hmac_key", "directory"} <= set(parameters(messages.ExternalAccountBinding.from_data))
    order = messages.OrderResource(uri=ORDER_URL, body=messages.Order(), authorizations=[])
    updated = order.update(csr_pem=b"csr", fullchain_pem="chain", alternative_fullchains_pem=["alt"])
    assert (updated.csr_pem, updated.fullchain_pem, updated.alternative_fullchains_pem) == (b"csr", "chain", ["alt"])
    assert messages.AuthorizationResource(uri="u", body=messages.Authorization()).uri == "u"
    for field in ("identifier", "challenges", "status", "wildcard"):
        assert field in messages.Authorization._fields, field
    for field in ("identifiers", "authorizations", "certificate", "status"):
        assert field in messages.Order._fields, field
    assert messages.STATUS_PENDING.name == "pending"
    assert issubclass(messages.CertificateRequest, jose.JSONObjectWithFields)


def test_directory_meta_profiles_and_renewal_info():
    directory = messages.Directory.from_json({"newNonce": NONCE_URL, "meta": {"profiles": {"classic": "x"}}})
    assert directory.meta.profiles == {"classic": "x"}
    assert directory["newNonce"] == NONCE_URL
    with pytest.raises(KeyError):
        directory["renewalInfo"]
    info = messages.RenewalInfo.from_json(
        {"suggestedWindow": {"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z"}})
    assert info.suggested_window.start < info.suggested_window.end


def test_dns01_challenge_and_csr(jwk):
    challenge = challenges.DNS01(token=b"x" * 16)
    assert isinstance(challenge.validation(jwk), str)
    assert isinstance(challenge.response(jwk), challenges.ChallengeResponse)
    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    assert crypto_util.make_csr(key, ["example.test"]).startswith(b"-----BEGIN CERTIFICATE REQUEST-----")


def test_josepy_keys_and_algorithms():
    for name in ("JWKEC", "JWKRSA", "ES256", "ES384", "ES512", "RS256", "DeserializationError"):
        assert hasattr(jose, name), name
