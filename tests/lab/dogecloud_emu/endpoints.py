# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""The emulated DogeCloud API calls, over already authenticated requests."""

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qs

from .pem import UploadRefused, parse_upload
from .store import ApiError

_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class ApiRequest:
    method: str
    path: str  # without the query string
    query: dict  # name -> first value
    content_type: str  # media type only, lower-case
    body: bytes

    @property
    def is_json(self):
        return self.content_type == "application/json"

    def fields(self):
        """Body fields: JSON object in json mode, else form-urlencoded."""
        if not self.body:
            return {}
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "请求体不是有效的 UTF-8") from None
        if self.is_json:
            return _json_object(text)
        return {name: values[0] for name, values in parse_qs(text, keep_blank_values=True).items()}


def _json_object(text):
    try:
        value = json.loads(text)
    except ValueError:
        raise ApiError(400, "JSON 解析失败") from None
    if not isinstance(value, dict):
        raise ApiError(400, "JSON 请求体必须是对象")
    return value


def _text_field(fields, name):
    value = fields.get(name)
    if not isinstance(value, str) or not value:
        raise ApiError(400, f"缺少参数 {name} (missing field {name!r})")
    return value


def _int_field(fields, name):
    """An integer field: a JSON integer, or a string of ASCII digits (forms)."""
    value = fields.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    if value is None or value == "":
        raise ApiError(400, f"缺少参数 {name} (missing field {name!r})")
    raise ApiError(400, f"参数 {name} 必须是整数 (field {name!r} must be an integer)")


def cert_upload(store, request):
    fields = request.fields()
    note = _text_field(fields, "note")
    cert_pem = _text_field(fields, "cert")
    key_pem = _text_field(fields, "private")
    try:
        upload = parse_upload(cert_pem, key_pem, now=datetime.now(timezone.utc))
    except UploadRefused as refusal:
        raise ApiError(400, str(refusal)) from None
    return {"id": store.add_certificate(note, upload)}


def cert_list(store, request):
    return {"certs": store.cert_list()}


def cert_bind(store, request):
    fields = request.fields()
    cert_id = _int_field(fields, "id")
    store.bind(_target_domain(store, fields), cert_id)
    store.bind_answer_error()
    return None


def _target_domain(store, fields):
    """The domain named by ``domain`` or ``did``; both must agree when both are sent."""
    has_name = fields.get("domain") not in (None, "")
    has_id = fields.get("did") not in (None, "")
    if not (has_name or has_id):
        raise ApiError(400, "缺少参数 domain 或 did (missing field 'domain' or 'did')")
    by_name = store.domain_by_name(_text_field(fields, "domain")) if has_name else None
    by_id = store.domain_by_id(_int_field(fields, "did")) if has_id else None
    if by_name and by_id and by_name is not by_id:
        raise ApiError(400, "domain 与 did 不一致 ('domain' and 'did' name different domains)")
    return by_name or by_id


def cert_delete(store, request):
    store.delete_certificate(_int_field(request.fields(), "id"))
    return None


def domain_list(store, request):
    return {"domains": [domain.as_api_item() for domain in store.domains]}


def domain_config(store, request):
    if not request.is_json:
        raise ApiError(400, "请使用 JSON 格式提交 (this call takes an application/json body)")
    name = request.query.get("domain")
    if not name:
        raise ApiError(400, "缺少参数 domain (missing query parameter 'domain')")
    domain = store.domain_by_name(name)
    store.bind(domain, _int_field(request.fields(), "cert_id"))
    return None


@dataclass(frozen=True)
class Endpoint:
    handler: object
    methods: tuple
    writes: bool


ENDPOINTS = {
    "/cdn/cert/upload.json": Endpoint(cert_upload, ("POST",), writes=True),
    "/cdn/cert/list.json": Endpoint(cert_list, ("GET", "POST"), writes=False),
    "/cdn/cert/bind.json": Endpoint(cert_bind, ("POST",), writes=True),
    "/cdn/cert/delete.json": Endpoint(cert_delete, ("POST",), writes=True),
    "/cdn/domain/list.json": Endpoint(domain_list, ("GET",), writes=False),
    "/cdn/domain/config.json": Endpoint(domain_config, ("POST",), writes=True),
}


def is_write(method, path):
    """True when the call changes, or would change, the account's state."""
    endpoint = ENDPOINTS.get(path)
    return bool(endpoint and endpoint.writes and method not in ("GET", "HEAD"))


def call(store, request):
    """Run one API call; return its ``data`` (None when the call has none)."""
    endpoint = ENDPOINTS.get(request.path)
    if endpoint is None:
        raise ApiError(404, f"API_NOT_FOUND ({request.path})")
    if request.method not in endpoint.methods:
        raise ApiError(405, f"METHOD_NOT_ALLOWED ({request.method} {request.path})")
    return endpoint.handler(store, request)
