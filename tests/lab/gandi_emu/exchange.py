# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Plain request/response values passed between the HTTPS server and the handlers."""

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # path plus query, exactly as received
    headers: dict  # header names lower-cased
    body: bytes = b""

    @property
    def path(self):
        return urlsplit(self.target).path

    def segments(self, prefix):
        """Decoded path segments after `prefix`, or None when the path is not under it."""
        path = self.path
        if path != prefix and not path.startswith(prefix + "/"):
            return None
        rest = path[len(prefix) + 1:]
        return [unquote(segment) for segment in rest.split("/")] if rest else []


# What the server does instead of answering (fault injection).
STALL = "stall"
RESET = "reset"


@dataclass
class Response:
    status: int
    body: object = None  # JSON-serialisable, or None for an empty body
    headers: dict = field(default_factory=dict)
    action: str = None  # STALL or RESET: do not answer at all
    stall_seconds: float = 0.0
