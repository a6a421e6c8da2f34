# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted ACME server behind a ``requests`` adapter, and certificate factories.

The real ``acme`` library runs against it: the tests prove what is sent
(URLs, ``verify``, timeouts) and how answers are interpreted, with no network.
"""

from __future__ import annotations

import base64
import datetime
import json

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from requests.structures import CaseInsensitiveDict

from ansible_collections.certops.acme.plugins.module_utils import pem

BASE = "https://ca.test"
NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def recorded_directory(renewal_info=True, profiles=None, eab_required=False):
    """A directory as a production CA serves it (Let's Encrypt's shape)."""
    directory = {
        "newNonce": BASE + "/acme/new-nonce",
        "newAccount": BASE + "/acme/new-acct",
        "newOrder": BASE + "/acme/new-order",
        "revokeCert": BASE + "/acme/revoke-cert",
        "keyChange": BASE + "/acme/key-change",
        "meta": {"termsOfService": BASE + "/terms.pdf", "website": BASE, "caaIdentities": ["ca.test"]},
    }
    if renewal_info:
        directory["renewalInfo"] = BASE + "/acme/renewal-info"
    if profiles is not None:
        directory["meta"]["profiles"] = profiles
    if eab_required:
        directory["meta"]["externalAccountRequired"] = True
    return directory


class ScriptedAcmeServer(requests.adapters.BaseAdapter):
    """Answers from ``routes``: ``{(method, url): [answer, ...]}``; an answer is
    ``(status, json_or_text, headers)`` or a callable ``request -> answer``. The
    last answer of a route repeats. Every request is recorded in ``sent``."""

    def __init__(self):
        super().__init__()
        self.routes = {}
        self.sent = []
        self._nonce = 0

    def route(self, method, url, *answers):
        self.routes.setdefault((method, url), []).extend(answers)
        return self

    def requests_to(self, url, method=None):
        return [sent for sent in self.sent if sent["url"] == url and (method is None or sent["method"] == method)]

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        payload = json.loads(request.body) if request.body else None
        self.sent.append(dict(method=request.method, url=request.url, verify=verify, timeout=timeout,
                              payload=payload))
        answers = self.routes.get((request.method, request.url))
        if not answers:
            raise AssertionError("unexpected request %s %s" % (request.method, request.url))
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if callable(answer):
            answer = answer(request)
        return self._response(request, *answer)

    def _response(self, request, status, body=None, headers=None):
        self._nonce += 1
        response = requests.Response()
        response.status_code = status
        nonce = base64.urlsafe_b64encode(b"nonce-%06d" % self._nonce).decode("ascii").rstrip("=")
        response.headers = CaseInsensitiveDict({"Replay-Nonce": nonce})
        if isinstance(body, (dict, list)):
            content_type = "application/problem+json" if status >= 400 else "application/json"
            response.headers["Content-Type"] = content_type
            body = json.dumps(body)
        response.headers.update(headers or {})
        response._content = (body or "").encode("utf-8")
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


def jws_payload(sent):
    """The decoded JSON payload of a JWS request body recorded by the server."""
    data = sent["payload"]["payload"]
    if not data:
        return None
    return json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def problem(kind, detail, status=400, identifier=None, subproblems=None):
    body = {"type": "urn:ietf:params:acme:error:" + kind, "detail": detail, "status": status}
    if identifier:
        body["identifier"] = {"type": "dns", "value": identifier}
    if subproblems:
        body["subproblems"] = subproblems
    return body


def make_name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def issue_certificate(sans, key=None, issuer="Lab Intermediate", issuer_key=None, not_after=None,
                      serial=0x0123456789ABCDEF, aki=True, ca=False, subject=None):
    """A certificate for ``sans`` (with an Authority Key Identifier by default)."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    issuer_key = issuer_key or ec.generate_private_key(ec.SECP256R1())
    not_after = not_after or NOW + datetime.timedelta(days=60)
    builder = (x509.CertificateBuilder()
               .subject_name(make_name(subject or (sans[0] if sans else "ca")))
               .issuer_name(make_name(issuer)).public_key(key.public_key()).serial_number(serial)
               .not_valid_before(not_after - datetime.timedelta(days=90)).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    if aki:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


DIRECTORY_URL = BASE + "/directory"
NEW_NONCE = BASE + "/acme/new-nonce"
NEW_ACCOUNT = BASE + "/acme/new-acct"
NEW_ORDER = BASE + "/acme/new-order"
ACCOUNT_URL = BASE + "/acme/acct/1"


def acme_client(server, key, directory=None, **options):
    """An :class:`AcmeClient` whose real ``ClientNetwork`` talks to ``server``."""
    from ansible_collections.certops.acme.plugins.module_utils.acme.client import AcmeClient

    server.route("GET", DIRECTORY_URL, (200, directory or recorded_directory()))
    server.route("HEAD", NEW_NONCE, (200, ""))
    client = AcmeClient(DIRECTORY_URL, key, **options)
    client.net.session.mount("https://", server)
    return client


def existing_account(server, contact=("mailto:admin@example.test",)):
    """Route the ``onlyReturnExisting`` lookup to an existing account."""
    server.route("POST", NEW_ACCOUNT, (200, {"status": "valid", "contact": list(contact)}, {"Location": ACCOUNT_URL}))


ORDER_URL = BASE + "/acme/order/1"
FINALIZE_URL = ORDER_URL + "/finalize"
CERT_URL = BASE + "/acme/cert/1"
TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"


def authz_url(index):
    return BASE + "/acme/authz/%d" % index


def chall_url(index):
    return BASE + "/acme/chall/%d" % index


def order_body(names, status="pending", certificate=None, error=None):
    body = {"status": status, "expires": "2026-06-08T00:00:00Z",
            "identifiers": [{"type": "dns", "value": name} for name in names],
            "authorizations": [authz_url(index) for index, _name in enumerate(names, start=1)],
            "finalize": FINALIZE_URL}
    if certificate:
        body["certificate"] = certificate
    if error:
        body["error"] = error
    return body


def authz_body(name, status="pending", chall_status=None, error=None, index=1):
    wildcard = name.startswith("*.")
    challenge = {"type": "dns-01", "url": chall_url(index), "token": TOKEN, "status": chall_status or status}
    if error:
        challenge["error"] = error
    body = {"status": status, "expires": "2026-06-08T00:00:00Z",
            "identifier": {"type": "dns", "value": name[2:] if wildcard else name},
            "challenges": [challenge, {"type": "http-01", "url": chall_url(100 + index), "token": TOKEN,
                                       "status": "pending"}]}
    if wildcard:
        body["wildcard"] = True
        body["challenges"] = [challenge]
    return body


class Hierarchy:
    """Two roots that cross-sign one intermediate key: a default and an alternate chain."""

    def __init__(self):
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.alt_root_key = ec.generate_private_key(ec.SECP256R1())
        self.inter_key = ec.generate_private_key(ec.SECP256R1())
        self.root = issue_certificate([], key=self.root_key, issuer="Lab Root A", issuer_key=self.root_key, ca=True,
                                      subject="Lab Root A")
        self.alt_root = issue_certificate([], key=self.alt_root_key, issuer="Lab Root B", issuer_key=self.alt_root_key,
                                          ca=True, subject="Lab Root B")
        self.inter = issue_certificate([], key=self.inter_key, issuer="Lab Root A", issuer_key=self.root_key, ca=True,
                                       subject="Lab Intermediate")
        self.alt_inter = issue_certificate([], key=self.inter_key, issuer="Lab Root B", issuer_key=self.alt_root_key,
                                           ca=True, subject="Lab Intermediate")

    def chains_for(self, public_key_owner, names):
        leaf = issue_certificate(names, key=public_key_owner, issuer="Lab Intermediate", issuer_key=self.inter_key)
        return pem.dump_certificates([leaf, self.inter]), pem.dump_certificates([leaf, self.alt_inter])


class _PublicKeyOwner:
    """Lets ``issue_certificate`` sign a public key taken from a CSR."""

    def __init__(self, public_key):
        self._public_key = public_key

    def public_key(self):
        return self._public_key


def _csr_from(request):
    payload = json.loads(request.body)["payload"]
    csr_b64 = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["csr"]
    return x509.load_der_x509_csr(base64.urlsafe_b64decode(csr_b64 + "=" * (-len(csr_b64) % 4)))


ISSUANCE_NAMES = ["*.example.test", "example.test"]


def scripted_issuance(server, hierarchy, statuses=("pending", "valid"), names=None):
    """Routes for a whole issuance of ``names``; the CA signs whatever key the CSR carries."""
    names = names or ISSUANCE_NAMES
    issued = {}

    def finalize_answer(request):
        csr = _csr_from(request)
        issued["names"] = sorted(n.value for n in csr.extensions.get_extension_for_class(
            x509.SubjectAlternativeName).value)
        issued["chains"] = hierarchy.chains_for(_PublicKeyOwner(csr.public_key()), issued["names"])
        return 200, order_body(names, status="processing")

    def certificate_answer(_request):
        return 200, issued["chains"][0], {"Content-Type": "application/pem-certificate-chain",
                                          "Link": '<%s/alt>;rel="alternate"' % CERT_URL}

    server.route("POST", ORDER_URL, (200, order_body(names)), (200, order_body(names, status="ready")),
                 (200, order_body(names, status="processing")),
                 (200, order_body(names, status="valid", certificate=CERT_URL)))
    for index, (name, status) in enumerate(zip(names, statuses), start=1):
        server.route("POST", authz_url(index), (200, authz_body(name, status, index=index)),
                     (200, authz_body(name, "valid", index=index)))
        server.route("POST", chall_url(index), (200, {"type": "dns-01", "url": chall_url(index), "token": TOKEN,
                                                      "status": "processing"},
                                                {"Link": '<%s>;rel="up"' % authz_url(index)}))
    server.route("POST", FINALIZE_URL, finalize_answer)
    server.route("POST", CERT_URL, certificate_answer)
    server.route("POST", CERT_URL + "/alt", lambda _request: (200, issued["chains"][1]))
    return issued
