# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""The DogeCloud AccessToken: ``TOKEN <AccessKey>:<hex HMAC-SHA1>``."""

import hashlib
import hmac

from .store import ApiError

UNAUTHORIZED = ApiError(401, "ERROR_UNAUTHORIZED")
TOKEN_ERROR = ApiError(403, "AccessToken Error")


def sign(secret_key, request_uri, body):
    """Lower-case hex HMAC-SHA1 of ``REQUEST_URI + "\\n" + BODY`` (bytes)."""
    message = request_uri + b"\n" + body
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha1).hexdigest()


def check_authorization(header, access_key, secret_key, request_uri, body):
    """Raise the CDN's refusal unless the header signs this exact request.

    request_uri and body are the raw bytes as received on the wire.
    """
    if not header:
        raise UNAUTHORIZED
    scheme, _space, token = header.partition(" ")
    if scheme != "TOKEN":
        raise UNAUTHORIZED
    sent_key, separator, sent_sign = token.partition(":")
    expected = sign(secret_key, request_uri, body)
    # Header values arrive decoded as latin-1; compare the bytes as sent.
    key_ok = hmac.compare_digest(sent_key.encode("latin-1"), access_key.encode("utf-8"))
    sign_ok = hmac.compare_digest(sent_sign.encode("latin-1"), expected.encode("ascii"))
    if not (separator and key_ok and sign_ok):
        raise TOKEN_ERROR


def auth_scheme(header):
    """The scheme word of an Authorization header (never the secret), or None."""
    if not header:
        return None
    return header.split(" ", 1)[0] or None
