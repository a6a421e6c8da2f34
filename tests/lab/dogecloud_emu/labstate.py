# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Shared state of the emulator: the account, the request log, queued faults."""

import threading

from .store import CdnStore

HTTP_FAULT_STATUS = {"http_429": 429, "http_500": 500, "http_502": 502, "http_503": 503}
FAULT_KINDS = frozenset(HTTP_FAULT_STATUS) | {"stall", "envelope_500", "reset"}
DEFAULT_STALL_SECONDS = 30.0


class ControlError(Exception):
    """A control API request that cannot be honoured (answered with HTTP 400)."""


class RequestLog:
    def __init__(self):
        self.entries = []
        self.next_seq = 1

    def clear(self):
        self.entries = []

    def add(self, **entry):
        self.entries.append(dict(seq=self.next_seq, **entry))
        self.next_seq += 1


def _optional(spec, name, kind, description):
    value = spec.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ControlError(f"{name} must be {description}")
    return value


def normalise_fault(spec):
    """Validate a fault from ``POST /_lab/faults`` and fill in its defaults."""
    if not isinstance(spec, dict):
        raise ControlError("the body must be a JSON object")
    kind = spec.get("kind")
    if kind not in FAULT_KINDS:
        raise ControlError(f"kind must be one of {sorted(FAULT_KINDS)}")
    count = _optional(spec, "count", int, "an integer")
    if count is not None and count < 1:
        raise ControlError("count must be at least 1")
    method = _optional(spec, "method", str, "a string")
    stall_seconds = _optional(spec, "stall_seconds", (int, float), "a number")
    return {
        "kind": kind,
        "count": 1 if count is None else count,
        "path": _optional(spec, "path", str, "a string"),
        "method": method.upper() if method else None,
        "retry_after": _optional(spec, "retry_after", int, "an integer"),
        "stall_seconds": DEFAULT_STALL_SECONDS if stall_seconds is None else float(stall_seconds),
    }


class FaultQueue:
    def __init__(self):
        self.pending = []

    def clear(self):
        self.pending = []

    def add(self, spec):
        self.pending.append(normalise_fault(spec))

    def take(self, method, path):
        """Consume one use of the first fault matching the request, or None."""
        for fault in self.pending:
            if fault["method"] not in (None, method):
                continue
            if fault["path"] is not None and fault["path"] not in path:
                continue
            fault["count"] -= 1
            if fault["count"] == 0:
                self.pending.remove(fault)
            return dict(fault)
        return None


class Lab:
    """Everything the servers share; hold ``lock`` around any access."""

    def __init__(self, access_key, secret_key, extra_domains=()):
        self.access_key = access_key
        self.secret_key = secret_key
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.store = CdnStore(extra_domains)
        self.requests = RequestLog()
        self.faults = FaultQueue()

    def reset(self):
        self.store.reset()
        self.requests.clear()
        self.faults.clear()
