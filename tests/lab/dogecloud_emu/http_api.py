# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""HTTPS front of the emulator: the DogeCloud API and the ``/_lab/`` control API."""

import json
import socket
import struct
import sys
import traceback
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from . import endpoints
from .labstate import HTTP_FAULT_STATUS, ControlError
from .signature import auth_scheme, check_authorization
from .store import ApiError

CONTROL_PREFIX = "/_lab/"
MAX_BODY = 1 << 20
NO_RESPONSE = 0  # logged status of a request that was stalled or reset


class ApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DogeCloudLab/1.0"
    timeout = 60  # idle keep-alive connections are dropped after this

    # self.server is a TLSThreadingServer with a ``lab`` attribute.
    @property
    def lab(self):
        return self.server.lab

    def do_GET(self):
        body = self._read_body()
        if body is None:
            return
        if urlsplit(self.path).path.startswith(CONTROL_PREFIX):
            self._serve_control(body)
        else:
            self._serve_api(body)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        sys.stderr.write(f"{self.address_string()} {format % args}\n")

    # -- transport --------------------------------------------------------
    def _read_body(self):
        """Exactly Content-Length raw bytes; None after refusing the request."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._send(411, b"Content-Length required\n", "text/plain")
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._send(400, b"bad Content-Length\n", "text/plain")
            return None
        return self.rfile.read(length)

    def _send(self, status, payload, content_type, extra_headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _send_json(self, status, document, extra_headers=()):
        payload = json.dumps(document, ensure_ascii=False).encode("utf-8")
        self._send(status, payload, "application/json; charset=utf-8", extra_headers)

    def _drop_connection(self, reset):
        """Close without answering; with ``reset`` the peer gets a TCP RST."""
        self.close_connection = True
        if reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    # -- DogeCloud API ----------------------------------------------------
    def _serve_api(self, body):
        authorization = self.headers.get("Authorization")
        entry = {
            "method": self.command,
            "path": self.path,
            "write": endpoints.is_write(self.command, urlsplit(self.path).path),
            "auth": auth_scheme(authorization),
        }
        with self.lab.lock:
            fault = self.lab.faults.take(self.command, self.path)
        if fault:
            self._serve_fault(fault, entry)
            return
        status, envelope = self._api_envelope(authorization, body)
        self._log_request(entry, status=status, code=envelope.get("code"), fault=None)
        self._send_json(status, envelope)

    def _api_envelope(self, authorization, body):
        """(HTTP status, envelope) for one API call; refusals are HTTP 200."""
        try:
            check_authorization(
                authorization,
                self.lab.access_key,
                self.lab.secret_key,
                request_uri=self.path.encode("latin-1"),
                body=body,
            )
            request = self._api_request(body)
            with self.lab.lock:
                data = endpoints.call(self.lab.store, request)
        except ApiError as refusal:
            return 200, {"code": refusal.code, "msg": refusal.msg}
        except Exception:  # a bug in the emulator must not hang the client
            traceback.print_exc()
            return 500, {"code": 500, "msg": "emulator error (see its log)"}
        envelope = {"code": 200, "msg": "OK"}
        if data is not None:
            envelope["data"] = data
        return 200, envelope

    def _api_request(self, body):
        url = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        content_type = self.headers.get("Content-Type", "application/x-www-form-urlencoded")
        return endpoints.ApiRequest(
            method=self.command,
            path=url.path,
            query=query,
            content_type=content_type.split(";")[0].strip().lower(),
            body=body,
        )

    def _serve_fault(self, fault, entry):
        kind = fault["kind"]
        if kind in ("stall", "reset"):
            self._log_request(entry, status=NO_RESPONSE, code=None, fault=kind)
            if kind == "stall":
                self.lab.stopping.wait(fault["stall_seconds"])
            self._drop_connection(reset=kind == "reset")
        elif kind == "envelope_500":
            self._log_request(entry, status=200, code=500, fault=kind)
            self._send_json(200, {"code": 500, "msg": "服务器内部错误 (injected lab fault)"})
        else:
            status = HTTP_FAULT_STATUS[kind]
            headers = [("Retry-After", str(fault["retry_after"]))] if fault["retry_after"] is not None else []
            self._log_request(entry, status=status, code=None, fault=kind)
            self._send(status, f"injected lab fault: {kind}\n".encode(), "text/plain", headers)

    def _log_request(self, entry, **outcome):
        with self.lab.lock:
            self.lab.requests.add(**entry, **outcome)

    # -- control API ------------------------------------------------------
    def _serve_control(self, body):
        route = CONTROL_ROUTES.get((self.command, urlsplit(self.path).path))
        if route is None:
            self._send_json(404, {"error": f"no control endpoint {self.command} {self.path}"})
            return
        try:
            document = json.loads(body) if body else {}
            with self.lab.lock:
                answer = route(self.lab, document)
        except (ValueError, ControlError) as problem:
            self._send_json(400, {"error": str(problem)})
            return
        self._send_json(200, answer)


def _health(lab, _document):
    return {"ok": True}


def _list_requests(lab, _document):
    return {"requests": [dict(entry) for entry in lab.requests.entries]}


def _clear_requests(lab, _document):
    lab.requests.clear()
    return {"ok": True}


def _list_faults(lab, _document):
    return {"faults": [dict(fault) for fault in lab.faults.pending]}


def _add_fault(lab, document):
    lab.faults.add(document)
    return _list_faults(lab, document)


def _clear_faults(lab, _document):
    lab.faults.clear()
    return {"ok": True}


def _reset(lab, _document):
    lab.reset()
    return {"ok": True}


def _get_config(lab, _document):
    return dict(lab.store.options)


def _set_config(lab, document):
    if not isinstance(document, dict):
        raise ControlError("the body must be a JSON object")
    try:
        return lab.store.configure(document)
    except ValueError as problem:
        raise ControlError(str(problem)) from None


def _state(lab, _document):
    return lab.store.snapshot()


CONTROL_ROUTES = {
    ("GET", "/_lab/health"): _health,
    ("GET", "/_lab/requests"): _list_requests,
    ("DELETE", "/_lab/requests"): _clear_requests,
    ("GET", "/_lab/faults"): _list_faults,
    ("POST", "/_lab/faults"): _add_fault,
    ("DELETE", "/_lab/faults"): _clear_faults,
    ("POST", "/_lab/reset"): _reset,
    ("GET", "/_lab/state"): _state,
    ("GET", "/_lab/config"): _get_config,
    ("POST", "/_lab/config"): _set_config,
}
