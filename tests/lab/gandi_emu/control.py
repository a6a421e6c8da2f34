# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""The lab control API under /_lab: request log, fault queue, reset and settings."""

import json
import threading

from .errors import ApiError, error_body, not_found
from .exchange import RESET, STALL, Response

CONTROL_PREFIX = "/_lab"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_STALL_SECONDS = 30.0
_HTTP_FAULTS = {"http_429": 429, "http_500": 500, "http_502": 502, "http_503": 503}
FAULT_KINDS = frozenset(_HTTP_FAULTS) | {STALL, RESET}


class RequestLog:
    """Every request of the emulated API, in arrival order."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []
        self._seq = 0

    def record(self, method, target, status, fault, auth):
        with self._lock:
            self._seq += 1
            self._entries.append({
                "seq": self._seq, "method": method, "path": target, "status": status, "code": None,
                "write": method in WRITE_METHODS, "fault": fault, "auth": auth,
            })

    def entries(self):
        with self._lock:
            return [dict(entry) for entry in self._entries]

    def clear(self):
        with self._lock:
            self._entries = []


class FaultQueue:
    """Faults waiting for the next matching requests."""

    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def add(self, fault):
        with self._lock:
            self._faults.append(fault)

    def take(self, method, target):
        """Consume one use of the first fault matching the request; None when none matches."""
        with self._lock:
            for fault in self._faults:
                if _matches(fault, method, target):
                    fault["count"] -= 1
                    if fault["count"] <= 0:
                        self._faults.remove(fault)
                    return dict(fault)
        return None

    def list(self):
        with self._lock:
            return [dict(fault) for fault in self._faults]

    def clear(self):
        with self._lock:
            self._faults = []


def _matches(fault, method, target):
    if fault.get("method") and fault["method"].upper() != method:
        return False
    return not fault.get("path") or fault["path"] in target


def parse_fault(raw_body):
    """Validate a POST /_lab/faults body and return the fault to queue."""
    try:
        spec = json.loads(raw_body or b"{}")
    except ValueError:
        raise ApiError(400, "body is not JSON") from None
    if not isinstance(spec, dict) or spec.get("kind") not in FAULT_KINDS:
        raise ApiError(400, "kind must be one of %s" % ", ".join(sorted(FAULT_KINDS)))
    fault = {"kind": spec["kind"], "count": spec.get("count", 1), "path": spec.get("path"), "method": spec.get("method")}
    if isinstance(fault["count"], bool) or not isinstance(fault["count"], int) or fault["count"] < 1:
        raise ApiError(400, "count must be a positive integer")
    for key in ("path", "method"):
        if fault[key] is not None and not isinstance(fault[key], str):
            raise ApiError(400, "%s must be a string" % key)
    _optional_number(spec, fault, "retry_after", int)
    _optional_number(spec, fault, "stall_seconds", (int, float))
    return fault


def _optional_number(spec, fault, key, types):
    value = spec.get(key)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, types) or value < 0:
        raise ApiError(400, "%s must be a non-negative number" % key)
    fault[key] = value


def fault_response(fault):
    """What the emulator does instead of processing a request hit by `fault`."""
    kind = fault["kind"]
    if kind == STALL:
        return Response(0, action=STALL, stall_seconds=float(fault.get("stall_seconds", DEFAULT_STALL_SECONDS)))
    if kind == RESET:
        return Response(0, action=RESET)
    status = _HTTP_FAULTS[kind]
    headers = {}
    if status == 429 and fault.get("retry_after") is not None:
        headers["Retry-After"] = str(fault["retry_after"])
    messages = {429: "Too many requests", 500: "Internal server error", 502: "Bad gateway", 503: "Service unavailable"}
    return Response(status, error_body(status, messages[status]), headers)


class ControlApi:
    """Routes under CONTROL_PREFIX; `lab` provides the state the routes act on."""

    def __init__(self, lab):
        self._lab = lab
        self._routes = {
            ("GET", "health"): lambda request: {"ok": True},
            ("GET", "requests"): lambda request: {"requests": lab.log.entries()},
            ("DELETE", "requests"): lambda request: _ok(lab.log.clear()),
            ("GET", "faults"): lambda request: {"faults": lab.faults.list()},
            ("POST", "faults"): self._add_fault,
            ("DELETE", "faults"): lambda request: _ok(lab.faults.clear()),
            ("POST", "reset"): lambda request: _ok(lab.reset()),
            ("GET", "config"): lambda request: lab.settings(),
            ("POST", "config"): self._configure,
            ("GET", "zones"): lambda request: {"zones": lab.store.dump()},
        }

    def handle(self, request):
        try:
            segments = request.segments(CONTROL_PREFIX)
            route = self._routes.get((request.method, "/".join(segments or [])))
            if route is None:
                raise not_found()
            return Response(200, route(request))
        except ApiError as error:
            return Response(error.status, error.body(), error.headers)

    def _add_fault(self, request):
        fault = parse_fault(request.body)
        self._lab.faults.add(fault)
        return {"ok": True, "fault": fault}

    def _configure(self, request):
        try:
            values = json.loads(request.body or b"{}")
        except ValueError:
            raise ApiError(400, "body is not JSON") from None
        if not isinstance(values, dict):
            raise ApiError(400, "body must be a JSON object of settings")
        values = dict(values)
        delay = values.pop("propagation_delay", None)
        if delay is not None and (isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0):
            raise ApiError(400, "propagation_delay must be a non-negative number")
        self._lab.switches.update(values)  # checks every switch first
        if delay is not None:
            self._lab.store.set_propagation_delay(delay)
        return self._lab.settings()


def _ok(_ignored_result):
    return {"ok": True}
