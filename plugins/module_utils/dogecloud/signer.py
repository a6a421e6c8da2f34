# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DogeCloud AccessToken: ``Authorization: TOKEN <AccessKey>:<sign>``.

``sign`` is the lower-case hex HMAC-SHA1, keyed with the SecretKey, of the
request URI as sent (path with its leading ``/`` and the query string) followed
by one newline and the exact body bytes (empty when there is no body). There is
no timestamp or nonce: only the key pair, the URI and the body matter.
"""

from __future__ import annotations

import hashlib
import hmac

SCHEME = "TOKEN"


def _as_bytes(value: str | bytes | None) -> bytes:
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    return bytes(value)


def sign(secret_key: str | bytes, request_uri: str | bytes, body: str | bytes | None = b"") -> str:
    """Hex HMAC-SHA1 of ``request_uri + "\\n" + body`` with ``secret_key``."""
    if not _as_bytes(request_uri).startswith(b"/"):
        raise ValueError("the request URI must start with '/' (got %r)" % (request_uri,))
    message = _as_bytes(request_uri) + b"\n" + _as_bytes(body)
    return hmac.new(_as_bytes(secret_key), message, hashlib.sha1).hexdigest()


def authorization(access_key: str, secret_key: str | bytes, request_uri: str | bytes, body: str | bytes | None = b"") -> str:
    """The ``Authorization`` header value for one request."""
    return "%s %s:%s" % (SCHEME, access_key, sign(secret_key, request_uri, body))
