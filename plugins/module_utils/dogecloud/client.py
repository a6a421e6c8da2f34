# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""DogeCloud CDN certificate and domain calls over the shared HTTP layer.

Every call serialises its body once, signs exactly those bytes together with
the request URI as it goes on the wire, and sends the same bytes. Answers are
checked twice: the HTTP status and the envelope's ``code``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus, urlencode, urlsplit

from ansible_collections.certops.acme.plugins.module_utils.dogecloud.signer import authorization
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError
from ansible_collections.certops.acme.plugins.module_utils.http_client import excerpt

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient, Response
    from ansible_collections.certops.acme.plugins.module_utils.retry import Retry

DEFAULT_API_URL = "https://api.dogecloud.com"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
OK = 200
ACCESS_KEY_HINT_CHARS = 4
MSG_EXCERPT_CHARS = 300
CERT_PARSE_FAILED = "解析失败"


class DogeCloudApiError(CertopsError):
    """DogeCloud refused a call or answered something unexpected."""


class AccessTokenError(DogeCloudApiError):
    """The signature of a request did not match (``403 AccessToken Error``)."""


@dataclass(frozen=True)
class RemoteCertificate:
    """One item of ``/cdn/cert/list.json``.

    ``note`` comes from the item's ``note`` field only (empty when absent): the
    item's ``name`` is most likely the certificate's common name, never the note.
    ``key_type`` is ``info.type`` as listed, in no documented spelling.
    """

    id: int
    note: str
    sans: tuple[str, ...]
    expire: int  # unix seconds
    domain_count: int
    key_type: str | None = None


@dataclass(frozen=True)
class CdnDomain:
    """One item of ``/cdn/domain/list.json``; ``cert_id`` is 0 when none is bound."""

    id: int
    name: str
    status: str
    cert_id: int


def encode_form(fields: Mapping[str, Any]) -> bytes:
    return urlencode(fields).encode("ascii")


def encode_json(document: object) -> bytes:
    return json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")


def envelope_fault(response: Response) -> str | None:
    """``is_transient`` hook: a 5xx ``code`` inside an HTTP 200 envelope."""
    envelope = _decode_envelope(response)
    code = envelope.get("code") if isinstance(envelope, dict) else None
    if isinstance(code, int) and code >= 500:
        return "envelope code %d (%s)" % (code, str(envelope.get("msg", ""))[:MSG_EXCERPT_CHARS])
    return None


def _decode_envelope(response: Response) -> Any:
    try:
        return json.loads(response.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _integer(value: object, what: str) -> int:
    """Ids and counts are integers; digit strings are accepted, anything else is refused."""
    if isinstance(value, bool):
        raise DogeCloudApiError("DogeCloud answered a non-integer %s: %r" % (what, value))
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise DogeCloudApiError("DogeCloud answered a non-integer %s: %r" % (what, value))


def parse_certificate(item: Any) -> RemoteCertificate:
    """A :class:`RemoteCertificate` from a list item; unknown fields are ignored."""
    info = item.get("info") if isinstance(item.get("info"), dict) else {}
    note = item.get("note")
    key_type = info.get("type")
    return RemoteCertificate(
        id=_integer(item.get("id"), "certificate id"),
        note=note if isinstance(note, str) else "",
        sans=tuple(str(san).lower() for san in info.get("SAN") or ()),
        expire=_integer(item.get("expire", 0), "certificate expiry"),
        domain_count=_integer(item.get("domainCount", 0), "domain count"),
        key_type=str(key_type) if key_type is not None else None,
    )


def parse_domain(item: Any) -> CdnDomain:
    return CdnDomain(
        id=_integer(item.get("id"), "domain id"),
        name=str(item.get("name", "")).lower(),
        status=str(item.get("status", "")),
        cert_id=_integer(item.get("cert_id") or 0, "domain cert_id"),
    )


class DogeCloudClient:
    """Signed calls to the DogeCloud API through an ``HttpClient``."""

    def __init__(self, http: HttpClient, access_key: str, secret_key: str) -> None:
        self.http = http
        self._access_key = access_key
        self._secret_key = secret_key
        # The signed URI is the whole path on the wire, including any base path of api_url.
        self._base_path = urlsplit(http.base_url).path.rstrip("/")

    # -- reads --------------------------------------------------------------
    def list_certificates(self) -> list[RemoteCertificate]:
        data = self.call("GET", "/cdn/cert/list.json")
        return [parse_certificate(item) for item in _items(data, "certs")]

    def list_domains(self) -> list[CdnDomain]:
        data = self.call("GET", "/cdn/domain/list.json")
        return [parse_domain(item) for item in _items(data, "domains")]

    # -- writes -------------------------------------------------------------
    def upload_certificate(self, note: str, chain_pem: str, key_pem: str) -> int:
        """Upload once; a 5xx or timeout is not retried here (it may have been stored)."""
        # An error page that echoes the form body must not show the key either.
        self.http.redact.add(quote_plus(key_pem))
        data = self.call("POST", "/cdn/cert/upload.json", form={"note": note, "cert": chain_pem, "private": key_pem},
                         idempotent=False)
        if not isinstance(data, dict) or "id" not in data:
            raise DogeCloudApiError("DogeCloud accepted the upload but answered no certificate id",
                                    method="POST", path="/cdn/cert/upload.json")
        return _integer(data["id"], "certificate id")

    def bind(self, cert_id: int, domain_name: str) -> None:
        """Bind ``cert_id`` to a CDN domain (repeating it is harmless)."""
        self.call("POST", "/cdn/cert/bind.json", form={"id": cert_id, "domain": domain_name}, idempotent=True)

    def delete_certificate(self, cert_id: int) -> None:
        """Delete a certificate; one that is already gone counts as deleted.

        The call is retried on 5xx, so a first attempt that was processed
        makes the retry answer "not found".
        """
        try:
            self.call("POST", "/cdn/cert/delete.json", form={"id": cert_id}, idempotent=True)
        except DogeCloudApiError as exc:
            if exc.details.get("code") != 404:
                raise

    # -- retries above the HTTP layer -----------------------------------------
    def new_retry(self) -> Retry:
        """The retry budget of a call repeated by the caller, with the HTTP layer's own policy."""
        return self.http.new_retry()

    # -- the signed call ---------------------------------------------------
    def call(self, method: str, path: str, query: Mapping[str, Any] | None = None, form: Mapping[str, Any] | None = None,
             json_body: object = None, idempotent: bool | None = None) -> Any:
        """Send one signed call and return the envelope's ``data``."""
        request_uri = path + ("?" + urlencode(query) if query else "")
        body, content_type = _serialise(form, json_body)
        headers = {"Authorization": authorization(self._access_key, self._secret_key,
                                                  self._base_path + request_uri, body)}
        if content_type:
            headers["Content-Type"] = content_type
        response = self.http.request(method, request_uri, body=body or None, headers=headers,
                                     idempotent=idempotent, is_transient=envelope_fault)
        return self._data(method, request_uri, response)

    def _data(self, method: str, request_uri: str, response: Response) -> Any:
        envelope = _decode_envelope(response)
        code = envelope.get("code") if isinstance(envelope, dict) else None
        msg = str(envelope.get("msg", "")) if isinstance(envelope, dict) else ""
        if code == OK and 200 <= response.status < 300:
            return envelope.get("data")
        where = dict(method=method, path=request_uri, status=response.status, code=code,
                     msg=excerpt(self.http.redact, msg, MSG_EXCERPT_CHARS))
        if code == 403 and "AccessToken" in msg:
            raise AccessTokenError(self._access_token_explanation(method, request_uri), **where)
        raise DogeCloudApiError(_refusal_message(method, request_uri, response, code, msg, self.http.redact),
                                **where)

    def _access_token_explanation(self, method: str, request_uri: str) -> str:
        key_hint = (self._access_key or "")[:ACCESS_KEY_HINT_CHARS]
        return (
            "DogeCloud rejected %s %s with '403 AccessToken Error': the request was refused because its "
            "signature did not match. The request was signed with the access key starting with '%s...'. "
            "The signature covers only the key pair, the request URI and the body, with no timestamp and no "
            "region, so a clock skew or a region cannot cause this: access_key and secret_key are not a "
            "matching pair. Copy both from the same line of the DogeCloud console (User center, "
            "key management) into access_key/secret_key or DOGECLOUD_ACCESS_KEY/DOGECLOUD_SECRET_KEY."
            % (method, self._base_path + request_uri, key_hint))


def _serialise(form: Mapping[str, Any] | None, json_body: object) -> tuple[bytes, str | None]:
    """The body bytes (serialised once) and their content type."""
    if form is not None and json_body is not None:
        raise ValueError("a call has either a form or a JSON body")
    if form is not None:
        return encode_form(form), FORM
    if json_body is not None:
        return encode_json(json_body), JSON
    return b"", None


def _items(data: object, key: str) -> list[Any]:
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DogeCloudApiError("DogeCloud answered without a %r list" % key)
    return items


def _refusal_message(method: str, request_uri: str, response: Response, code: object, msg: str,
                     redact: Callable[[object], str]) -> str:
    if code is None:
        return ("DogeCloud answered %s %s with HTTP %d and no API envelope: %s"
                % (method, request_uri, response.status, excerpt(redact, response.text(), MSG_EXCERPT_CHARS)))
    message = "DogeCloud refused %s %s: code %s, %s" % (method, request_uri, code, excerpt(redact, msg, MSG_EXCERPT_CHARS))
    if not 200 <= response.status < 300:
        message += " (HTTP %d)" % response.status
    if code == 400 and CERT_PARSE_FAILED in msg:
        message += (" (the CDN could not parse the certificate or the private key; this collection uploads them "
                    "re-encoded as canonical PEM, leaf first, so check that they are a certificate chain and its "
                    "unencrypted RSA or ECDSA key)")
    if msg == "ERROR_UNAUTHORIZED":
        message += " (no usable credentials were sent: set access_key and secret_key)"
    return message
