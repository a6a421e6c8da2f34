# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Tests of the DogeCloud emulator of the lab, against the running lab.

The requests are signed here with hmac, independently of the emulator's code,
so these tests pin the AccessToken rules of reference/dogecloud-cdn.md.
"""

import base64
import datetime
import hashlib
import hmac
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from dogecloud_emu.signature import sign as emulator_sign

PARSE_FAILED = "解析失败，请检查证书是否符合标准，请留意是否有多余的空格"
KEY_MISMATCH = "证书与私钥不匹配"
TIMEOUT = 10


def sign(secret_key, request_uri, body=b""):
    message = request_uri.encode("utf-8") + b"\n" + body
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha1).hexdigest()


# -- a small signing client ----------------------------------------------------
SIGN_IT = object()


class DogeCloud:
    """Sends raw requests; by default signs exactly what it sends."""

    def __init__(self, lab):
        self.base_url = lab["dogecloud_api_url"]
        self.access_key = lab["dogecloud_access_key"]
        self.secret_key = lab["dogecloud_secret_key"]
        self.ca_path = lab["ca_path"]

    def token(self, request_uri, body=b""):
        return f"TOKEN {self.access_key}:{sign(self.secret_key, request_uri, body)}"

    def send(self, method, uri, body=b"", content_type=None, authorization=SIGN_IT, timeout=TIMEOUT):
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if authorization is SIGN_IT:
            authorization = self.token(uri, body)
        if authorization is not None:
            headers["Authorization"] = authorization
        return requests.request(
            method, self.base_url + uri, data=body, headers=headers, verify=self.ca_path, timeout=timeout
        )

    def envelope(self, method, uri, body=b"", **options):
        response = self.send(method, uri, body, **options)
        assert response.status_code == 200, response.text
        return response.json()

    def form(self, uri, fields, **options):
        body = urlencode(fields).encode("utf-8")
        return self.envelope("POST", uri, body, content_type="application/x-www-form-urlencoded", **options)

    def json(self, uri, document, **options):
        body = json.dumps(document).encode("utf-8")
        return self.envelope("POST", uri, body, content_type="application/json", **options)

    def upload(self, issued, note="lab-cert"):
        return self.form("/cdn/cert/upload.json", {"note": note, "cert": issued.chain_pem, "private": issued.key_pem})

    def uploaded_id(self, issued, note="lab-cert"):
        answer = self.upload(issued, note)
        assert answer["code"] == 200, answer
        return answer["data"]["id"]

    def certs(self):
        return self.envelope("GET", "/cdn/cert/list.json")["data"]["certs"]

    def domains(self):
        return {item["name"]: item for item in self.envelope("GET", "/cdn/domain/list.json")["data"]["domains"]}

    def bind(self, cert_id, domain):
        return self.form("/cdn/cert/bind.json", {"id": cert_id, "domain": domain})

    def configure(self, domain, cert_id):
        return self.json(f"/cdn/domain/config.json?domain={domain}", {"cert_id": cert_id})


@pytest.fixture
def doge(lab, dogecloud_lab):
    return DogeCloud(lab)


# -- test certificates ---------------------------------------------------------
@dataclass(frozen=True)
class Issued:
    leaf: x509.Certificate
    key_pem: str
    chain_pem: str  # leaf first, then the intermediate


def _pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _key_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def _certificate(subject_cn, public_key, issuer_cert, issuer_key, names=(), ca=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject if issuer_cert else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


class SmallCA:
    """A root and an intermediate that issue leaves for the tests."""

    def __init__(self):
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = _certificate("certops test root", self.root_key.public_key(), None, self.root_key, ca=True)
        self.intermediate_key = ec.generate_private_key(ec.SECP256R1())
        self.intermediate = _certificate(
            "certops test intermediate", self.intermediate_key.public_key(), self.root, self.root_key, ca=True
        )

    def issue(self, *names, key=None):
        key = key or ec.generate_private_key(ec.SECP256R1())
        leaf = _certificate(names[0], key.public_key(), self.intermediate, self.intermediate_key, names)
        return Issued(leaf=leaf, key_pem=_key_pem(key), chain_pem=_pem(leaf) + _pem(self.intermediate))


@pytest.fixture(scope="module")
def test_ca():
    return SmallCA()


@pytest.fixture(scope="module")
def wildcard(test_ca):
    return test_ca.issue("*.example.test", "example.test")


@pytest.fixture(scope="module")
def apex_only(test_ca):
    return test_ca.issue("example.test")


@pytest.fixture(scope="module")
def root_ca_file(test_ca, tmp_path_factory):
    path = tmp_path_factory.mktemp("edge") / "root.pem"
    path.write_text(_pem(test_ca.root))
    return str(path)


def is_integer(value):
    """A JSON integer: not a string, not a boolean."""
    return isinstance(value, int) and not isinstance(value, bool)


def _expire(cert):
    return int(cert.not_valid_after_utc.timestamp())


# -- signature ----------------------------------------------------------------
def test_signing_helper_matches_documented_vector():
    vector = "bf5ec167c882d6ffa8afa4a1d2c2ed8d622beadf"
    assert sign("MY_SECRET_KEY", "/auth/upload.json?filename=a.mp4") == vector
    assert emulator_sign("MY_SECRET_KEY", b"/auth/upload.json?filename=a.mp4", b"") == vector


def test_signed_list_is_accepted_and_logged(doge, dogecloud_lab):
    answer = doge.envelope("GET", "/cdn/cert/list.json")
    assert answer == {"code": 200, "msg": "OK", "data": {"certs": []}}
    assert doge.envelope("POST", "/cdn/cert/list.json")["code"] == 200
    log = dogecloud_lab.requests()
    assert [(e["method"], e["path"], e["status"], e["code"], e["write"], e["fault"], e["auth"]) for e in log] == [
        ("GET", "/cdn/cert/list.json", 200, 200, False, None, "TOKEN"),
        ("POST", "/cdn/cert/list.json", 200, 200, False, None, "TOKEN"),
    ]
    assert log[1]["seq"] > log[0]["seq"]


def test_missing_authorization_is_unauthorized(doge, dogecloud_lab):
    answer = doge.envelope("GET", "/cdn/cert/list.json", authorization=None)
    assert answer["code"] != 200
    assert "ERROR_UNAUTHORIZED" in answer["msg"]
    assert dogecloud_lab.requests()[0]["auth"] is None


@pytest.mark.parametrize(
    "make_header",
    [
        pytest.param(lambda d, uri: d.token(uri.lstrip("/")), id="path-without-leading-slash"),
        pytest.param(lambda d, uri: f"TOKEN {d.access_key}:" + sign(d.secret_key, uri).upper(), id="upper-case-hex"),
        pytest.param(
            lambda d, uri: f"TOKEN {d.access_key}:" + base64.b64encode(bytes.fromhex(sign(d.secret_key, uri))).decode(),
            id="base64-digest",
        ),
        pytest.param(lambda d, uri: d.token("/cdn/cert/list.json?page=1"), id="query-not-signed-as-sent"),
        pytest.param(lambda d, uri: "TOKEN nosuchkey:" + sign(d.secret_key, uri), id="unknown-access-key"),
        pytest.param(lambda d, uri: f"TOKEN {d.access_key}:" + sign("wrong-secret", uri), id="wrong-secret"),
        pytest.param(lambda d, uri: f"TOKEN {d.access_key}", id="no-signature"),
    ],
)
def test_bad_signature_is_access_token_error(doge, make_header):
    uri = "/cdn/cert/list.json"
    answer = doge.envelope("GET", uri, authorization=make_header(doge, uri))
    assert answer == {"code": 403, "msg": "AccessToken Error"}


def test_json_body_sent_in_another_serialisation_is_refused(doge, dogecloud_lab):
    uri = "/cdn/domain/config.json?domain=cdn.example.test"
    signed = json.dumps({"cert_id": 0}, separators=(",", ":")).encode()
    sent = json.dumps({"cert_id": 0}).encode()
    answer = doge.envelope("POST", uri, sent, content_type="application/json", authorization=doge.token(uri, signed))
    assert answer == {"code": 403, "msg": "AccessToken Error"}
    # The same call signed over the bytes it sends is accepted.
    assert doge.envelope("POST", uri, sent, content_type="application/json")["code"] == 200
    assert [entry["write"] for entry in dogecloud_lab.requests()] == [True, True]


def test_form_body_re_encoded_after_signing_is_refused(doge, wildcard):
    fields = {"note": "lab cert", "cert": wildcard.chain_pem, "private": wildcard.key_pem}
    signed = urlencode(fields).encode()
    sent = urlencode(fields, quote_via=quote).encode()
    uri = "/cdn/cert/upload.json"
    answer = doge.envelope(
        "POST", uri, sent, content_type="application/x-www-form-urlencoded", authorization=doge.token(uri, signed)
    )
    assert answer == {"code": 403, "msg": "AccessToken Error"}
    assert doge.certs() == []


# -- upload validation -------------------------------------------------------------
@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda pem: "lab-cert", id="a-name-instead-of-a-pem"),
        pytest.param(lambda pem: pem.rstrip("\n") + "  \n", id="trailing-spaces"),
        pytest.param(lambda pem: pem + "\n", id="trailing-blank-line"),
        pytest.param(lambda pem: " " + pem, id="leading-space"),
        pytest.param(lambda pem: pem.replace("-----\n-----", "-----\n\n-----"), id="blank-line-between-blocks"),
        pytest.param(lambda pem: pem.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda pem: pem.replace("\n", "\n ", 1), id="indented-line"),
        pytest.param(lambda pem: pem[:200] + pem[260:], id="truncated-base64"),
    ],
)
def test_malformed_certificate_pem_is_a_parse_failure(doge, wildcard, mangle):
    answer = doge.form(
        "/cdn/cert/upload.json",
        {"note": "bad", "cert": mangle(wildcard.chain_pem), "private": wildcard.key_pem},
    )
    assert answer == {"code": 400, "msg": PARSE_FAILED}


def test_key_of_another_certificate_is_refused(doge, wildcard, apex_only):
    answer = doge.form("/cdn/cert/upload.json", {"note": "x", "cert": wildcard.chain_pem, "private": apex_only.key_pem})
    assert answer == {"code": 400, "msg": KEY_MISMATCH}


def test_unparsable_key_is_refused(doge, wildcard):
    answer = doge.form("/cdn/cert/upload.json", {"note": "x", "cert": wildcard.chain_pem, "private": "secret"})
    assert answer["code"] == 400
    assert answer["msg"] not in (PARSE_FAILED, KEY_MISMATCH)


def test_chain_in_wrong_order_is_refused(doge, wildcard, test_ca):
    reversed_chain = _pem(test_ca.intermediate) + _pem(wildcard.leaf)
    answer = doge.form("/cdn/cert/upload.json", {"note": "x", "cert": reversed_chain, "private": wildcard.key_pem})
    assert answer["code"] == 400


@pytest.mark.parametrize("missing", ["note", "cert", "private"])
def test_upload_without_a_field_is_refused(doge, wildcard, missing):
    fields = {"note": "x", "cert": wildcard.chain_pem, "private": wildcard.key_pem}
    del fields[missing]
    answer = doge.form("/cdn/cert/upload.json", fields)
    assert answer["code"] == 400
    assert missing in answer["msg"]


# -- upload, bind, list, delete -----------------------------------------------------
def test_upload_bind_and_list(doge, dogecloud_lab, wildcard, test_ca):
    first = doge.uploaded_id(wildcard, note="wild")
    again = doge.uploaded_id(wildcard, note="wild")
    assert is_integer(first) and is_integer(again) and again != first  # no deduplication
    rsa_cert = test_ca.issue("static.example.test", key=rsa.generate_private_key(65537, 2048))
    rsa_id = doge.uploaded_id(rsa_cert, note="rsa")

    domains = doge.domains()
    assert set(domains) == {"cdn.example.test", "static.example.test", "img.other.test", "old.example.test"}
    assert domains["old.example.test"]["status"] == "offline"
    assert all(is_integer(item["id"]) and item["cert_id"] == 0 for item in domains.values())

    assert doge.bind(first, "cdn.example.test")["code"] == 200
    by_did = doge.form("/cdn/cert/bind.json", {"id": first, "did": domains["old.example.test"]["id"]})
    assert by_did["code"] == 200

    domains = doge.domains()
    assert domains["cdn.example.test"]["cert_id"] == first
    assert domains["old.example.test"]["cert_id"] == first
    certs = {item["id"]: item for item in doge.certs()}
    assert certs[first]["domainCount"] == 2 and certs[again]["domainCount"] == 0
    assert certs[first]["note"] == "wild"
    assert certs[first]["name"] == "*.example.test"  # the common name (switch list_name=cn, the default)
    assert certs[first]["issue"] == "certops test intermediate"
    assert certs[first]["expire"] == _expire(wildcard.leaf)
    assert certs[first]["info"]["SAN"] == ["*.example.test", "example.test"]
    assert certs[first]["info"]["type"] == "ECC" and certs[rsa_id]["info"]["type"] == "RSA"
    assert " ~ " in certs[first]["info"]["period"]
    assert [entry["path"] for entry in dogecloud_lab.writes()] == [
        "/cdn/cert/upload.json", "/cdn/cert/upload.json", "/cdn/cert/upload.json",
        "/cdn/cert/bind.json", "/cdn/cert/bind.json",
    ]


def test_json_mode_upload_is_accepted(doge, wildcard):
    answer = doge.json("/cdn/cert/upload.json", {"note": "j", "cert": wildcard.chain_pem, "private": wildcard.key_pem})
    assert answer["code"] == 200 and is_integer(answer["data"]["id"])


@pytest.mark.parametrize(
    "domain, cert_name, cert_id_offset",
    [
        pytest.param("cdn.example.test", "apex", 0, id="san-does-not-cover-subdomain"),
        pytest.param("img.other.test", "wildcard", 0, id="wildcard-of-another-zone"),
        pytest.param("cdn.example.test", "tld-wildcard", 0, id="wildcard-covers-one-label-only"),
        pytest.param("nosuch.example.test", "wildcard", 0, id="unknown-domain"),
        pytest.param("cdn.example.test", "wildcard", 999, id="unknown-certificate"),
    ],
)
def test_bind_refusals(doge, test_ca, wildcard, apex_only, domain, cert_name, cert_id_offset):
    issued = {"apex": apex_only, "wildcard": wildcard, "tld-wildcard": test_ca.issue("*.test")}[cert_name]
    cert_id = doge.uploaded_id(issued) + cert_id_offset
    assert doge.bind(cert_id, domain)["code"] != 200
    assert all(item["cert_id"] == 0 for item in doge.domains().values())


def test_delete_refused_while_bound_and_allowed_after_unbinding(doge, wildcard):
    cert_id = doge.uploaded_id(wildcard)
    assert doge.configure("static.example.test", cert_id)["code"] == 200
    assert doge.domains()["static.example.test"]["cert_id"] == cert_id

    refused = doge.form("/cdn/cert/delete.json", {"id": cert_id})
    assert refused["code"] == 400 and "使用" in refused["msg"]
    assert [item["id"] for item in doge.certs()] == [cert_id]

    assert doge.configure("static.example.test", 0)["code"] == 200
    assert doge.domains()["static.example.test"]["cert_id"] == 0
    assert doge.form("/cdn/cert/delete.json", {"id": cert_id})["code"] == 200
    assert doge.certs() == []
    assert doge.form("/cdn/cert/delete.json", {"id": cert_id})["code"] != 200


def test_domain_config_requires_json_mode(doge, wildcard):
    cert_id = doge.uploaded_id(wildcard)
    answer = doge.form("/cdn/domain/config.json?domain=cdn.example.test", {"cert_id": cert_id})
    assert answer["code"] != 200
    assert doge.domains()["cdn.example.test"]["cert_id"] == 0


def test_unknown_path_is_a_not_found_envelope(doge):
    assert doge.envelope("GET", "/cdn/cert/nothing.json")["code"] == 404


def test_state_shows_store_without_private_keys(doge, dogecloud_lab, wildcard):
    cert_id = doge.uploaded_id(wildcard)
    state = dogecloud_lab.get("/state")
    assert [cert["id"] for cert in state["certs"]] == [cert_id]
    assert "PRIVATE KEY" not in json.dumps(state)
    assert len(state["domains"]) == 4


# -- faults and the request log ----------------------------------------------------
def test_http_and_envelope_faults_are_served_and_logged(doge, dogecloud_lab):
    dogecloud_lab.fault("http_502")
    dogecloud_lab.fault("http_429", retry_after=7, path="/cdn/domain/")
    dogecloud_lab.fault("envelope_500", method="POST")

    assert doge.send("GET", "/cdn/cert/list.json").status_code == 502
    throttled = doge.send("GET", "/cdn/domain/list.json")
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "7"
    assert doge.envelope("POST", "/cdn/cert/list.json")["code"] == 500
    assert doge.envelope("GET", "/cdn/cert/list.json")["code"] == 200
    assert dogecloud_lab.get("/faults")["faults"] == []

    log = [(e["path"], e["status"], e["code"], e["fault"]) for e in dogecloud_lab.requests()]
    assert log == [
        ("/cdn/cert/list.json", 502, None, "http_502"),
        ("/cdn/domain/list.json", 429, None, "http_429"),
        ("/cdn/cert/list.json", 200, 500, "envelope_500"),
        ("/cdn/cert/list.json", 200, 200, None),
    ]


def test_stalled_request_does_not_block_others(doge, dogecloud_lab):
    dogecloud_lab.fault("stall", stall_seconds=1.5, path="/cdn/domain/list.json")
    outcome = {}

    def stalled_call():
        started = time.monotonic()
        try:
            doge.send("GET", "/cdn/domain/list.json", timeout=5)
        except requests.RequestException as problem:
            outcome["error"] = problem
        outcome["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=stalled_call)
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert doge.envelope("GET", "/cdn/cert/list.json")["code"] == 200
    assert time.monotonic() - started < 1.0
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert "error" in outcome and 1.0 < outcome["seconds"] < 5
    assert [e["fault"] for e in dogecloud_lab.requests() if e["path"] == "/cdn/domain/list.json"] == ["stall"]


def test_reset_fault_closes_the_connection(doge, dogecloud_lab):
    dogecloud_lab.fault("reset")
    with pytest.raises(requests.ConnectionError):
        doge.send("GET", "/cdn/cert/list.json")
    assert [e["fault"] for e in dogecloud_lab.requests()] == ["reset"]


def test_control_calls_are_not_logged(doge, dogecloud_lab):
    dogecloud_lab.get("/health")
    dogecloud_lab.get("/state")
    assert dogecloud_lab.requests() == []


# -- the TLS edge --------------------------------------------------------------------
def edge_fetch(lab, server_name, ca_file):
    """Handshake with the edge by SNI; return (peer certificate DER, HTTP answer)."""
    host, port = lab["dogecloud_edge"].rsplit(":", 1)
    context = ssl.create_default_context(cafile=ca_file)
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            peer = tls.getpeercert(binary_form=True)
            tls.sendall(f"GET / HTTP/1.1\r\nHost: {server_name}\r\n\r\n".encode())
            answer = b""
            while len(answer) < 65536:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                answer += chunk
    return peer, answer.decode()


def test_edge_serves_the_bound_certificate_by_sni(doge, lab, wildcard, test_ca, root_ca_file):
    cert_id = doge.uploaded_id(wildcard)
    assert doge.bind(cert_id, "cdn.example.test")["code"] == 200
    peer, answer = edge_fetch(lab, "cdn.example.test", root_ca_file)
    assert peer == wildcard.leaf.public_bytes(serialization.Encoding.DER)
    assert answer.startswith("HTTP/1.1 200") and "cdn.example.test" in answer

    # A rebind takes effect on the next handshake.
    replacement = test_ca.issue("cdn.example.test")
    assert doge.bind(doge.uploaded_id(replacement), "cdn.example.test")["code"] == 200
    peer, _answer = edge_fetch(lab, "cdn.example.test", root_ca_file)
    assert peer == replacement.leaf.public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize("server_name", ["static.example.test", "unknown.example.test"])
def test_edge_refuses_unbound_and_unknown_names(doge, lab, wildcard, root_ca_file, server_name):
    doge.bind(doge.uploaded_id(wildcard), "cdn.example.test")
    with pytest.raises(ssl.SSLError):
        edge_fetch(lab, server_name, root_ca_file)


# -- switches of /_lab/config (off by default) -------------------------------------
def test_config_defaults_and_refusals(doge, dogecloud_lab):
    assert dogecloud_lab.get("/config") == {"list_name": "cn", "info_type_style": "ECC", "bind_errors_but_binds": 0}
    for bad in ({"list_name": "subject"}, {"info_type_style": "ec"}, {"bind_errors_but_binds": -1},
                {"bind_errors_but_binds": True}, {"nope": 1}):
        with pytest.raises(requests.HTTPError):
            dogecloud_lab.config(**bad)
    assert dogecloud_lab.get("/config")["list_name"] == "cn"


def test_switch_list_name_note_puts_the_note_in_name(doge, dogecloud_lab, wildcard):
    cert_id = doge.uploaded_id(wildcard, note="my-note")
    assert dogecloud_lab.config(list_name="note")["list_name"] == "note"
    item = next(item for item in doge.certs() if item["id"] == cert_id)
    assert item["name"] == item["note"] == "my-note"
    dogecloud_lab.reset()
    assert dogecloud_lab.get("/config")["list_name"] == "cn"


@pytest.mark.parametrize("style, ecc, rsa_type", [
    ("ECC", "ECC", "RSA"),
    ("ECC-detail", "ECC-secp256r1", "RSA-2048"),
    ("lower", "ecc", "rsa"),
    ("ecdsa", "ecdsa_secp256r1", "rsa_2048"),
    ("empty", "", ""),
    ("missing", None, None),
    ("unknown", "UNKNOWN", "UNKNOWN"),
])
def test_switch_info_type_style(doge, dogecloud_lab, wildcard, test_ca, style, ecc, rsa_type):
    ecc_id = doge.uploaded_id(wildcard)
    rsa_id = doge.uploaded_id(test_ca.issue("static.example.test", key=rsa.generate_private_key(65537, 2048)))
    dogecloud_lab.config(info_type_style=style)
    certs = {item["id"]: item for item in doge.certs()}
    assert certs[ecc_id]["info"].get("type") == ecc and certs[rsa_id]["info"].get("type") == rsa_type
    assert ("type" in certs[ecc_id]["info"]) is (style != "missing")
    assert certs[ecc_id]["info"]["SAN"] == ["*.example.test", "example.test"]


def test_switch_bind_errors_but_binds(doge, dogecloud_lab, wildcard):
    cert_id = doge.uploaded_id(wildcard)
    dogecloud_lab.config(bind_errors_but_binds=2)
    first = doge.bind(cert_id, "cdn.example.test")
    assert first["code"] != 200 and "绑定失败" in first["msg"]
    assert doge.domains()["cdn.example.test"]["cert_id"] == cert_id  # it took effect all the same
    assert doge.bind(cert_id, "static.example.test")["code"] != 200
    assert doge.domains()["static.example.test"]["cert_id"] == cert_id
    assert doge.bind(cert_id, "static.example.test")["code"] == 200  # the count is used up
    assert dogecloud_lab.get("/config")["bind_errors_but_binds"] == 0
    # A refused bind stays refused (and does not use up the count).
    dogecloud_lab.config(bind_errors_but_binds=1)
    assert "证书与域名不匹配" in doge.bind(cert_id, "img.other.test")["msg"]
    assert doge.domains()["img.other.test"]["cert_id"] == 0
    assert dogecloud_lab.get("/config")["bind_errors_but_binds"] == 1


def test_extra_domains_switch_adds_online_domains_that_survive_reset():
    from dogecloud_emu.store import INITIAL_DOMAINS, CdnStore

    store = CdnStore(extra_domains=["B01.example.test", "b02.example.test"])
    store.domain_by_name("b01.example.test").cert_id = 1000
    store.reset()
    names = [domain.name for domain in store.domains]
    assert names == [name for name, _status in INITIAL_DOMAINS] + ["b01.example.test", "b02.example.test"]
    assert store.domain_by_name("b01.example.test").status == "online"
    assert store.domain_by_name("b01.example.test").cert_id == 0
    assert len({domain.id for domain in store.domains}) == len(names)
