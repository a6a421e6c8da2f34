# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gandi credentials: the header scheme is chosen from the value's shape when it is clear.

A Personal Access Token (PAT) as users report it is 40 hexadecimal characters
and is sent as ``Authorization: Bearer``; a (deprecated) API key as users
report it is 24 characters of ``[a-z0-9]`` and is sent as
``Authorization: Apikey``. Users often paste one where the other is expected,
so a clear shape wins and a warning explains it.

Gandi does not document the shapes (its own example token is ``pat_abc-123``
and keys are reported in mixed case), so a value of another shape is not
refused: it is sent as the kind its option (or environment variable) names,
and a refusal by Gandi is explained with what was detected and sent. Only a
value that cannot be sent in a header at all (spaces, control characters) is
refused before any call.
"""

from __future__ import annotations

import re

from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

PAT = "personal access token"
API_KEY = "API key"

PAT_OPTION = "personal_access_token"
API_KEY_OPTION = "api_key"

_PAT_SHAPE = re.compile(r"[0-9a-fA-F]{40}")
_API_KEY_SHAPE = re.compile(r"[a-z0-9]{24}")

SHAPES = (
    "a personal access token (current) is usually 40 hexadecimal characters [0-9a-f] and is sent as "
    "'Authorization: Bearer'; an API key (deprecated by Gandi) is usually 24 characters [a-z0-9] and is "
    "sent as 'Authorization: Apikey'"
)
PERMISSIONS = "'See and renew domain names' and 'Manage domain name technical configurations'"
PAT_HOWTO = (
    "To create a personal access token with LiveDNS rights: Gandi admin > Organizations > "
    "<the organization that owns the domain> > Sharing / Personal Access Tokens > Create a token, "
    "select that organization and the domains (or all domains), and grant the permissions "
    + PERMISSIONS + "."
)
OPTION_ENV = {PAT_OPTION: "GANDI_PERSONAL_ACCESS_TOKEN", API_KEY_OPTION: "GANDI_API_KEY"}
# Characters that can be sent in an Authorization header value: printable ASCII without spaces.
_SENDABLE = re.compile(r"[\x21-\x7e]+")


class Credential:
    """A secret and the kind it is sent as. ``repr`` never shows the secret.

    ``shape_known`` says whether the kind comes from the value's shape (True)
    or, for a value of no known shape, from the option it was given in.
    """

    def __init__(self, kind: str, secret: str, option: str, shape_known: bool = True) -> None:
        self.kind = kind
        self.secret = secret
        self.option = option
        self.shape_known = shape_known

    @property
    def scheme(self) -> str:
        return "Bearer" if self.kind == PAT else "Apikey"

    def headers(self) -> dict[str, str]:
        return {"Authorization": "%s %s" % (self.scheme, self.secret)}

    def describe(self) -> str:
        """Safe text: which option, which kind was detected, which scheme is sent."""
        kind = ("an " if self.kind == API_KEY else "a ") + self.kind
        if not self.shape_known:
            return ("the value of %s (%d characters) has neither known shape, so it was sent as the kind its "
                    "option names, %s, as 'Authorization: %s'" % (self.option, len(self.secret), kind, self.scheme))
        return "the value of %s (%d characters) looks like %s and was sent as 'Authorization: %s'" % (
            self.option, len(self.secret), kind, self.scheme)

    def __repr__(self) -> str:
        return "Credential(kind=%r, option=%r, shape_known=%r, secret=<%d characters>)" % (
            self.kind, self.option, self.shape_known, len(self.secret))


def kind_of(secret: str) -> str | None:
    """``PAT``, ``API_KEY`` or ``None`` for a value of neither shape."""
    if _PAT_SHAPE.fullmatch(secret):
        return PAT
    if _API_KEY_SHAPE.fullmatch(secret):
        return API_KEY
    return None


def detect_credential(personal_access_token: str | None = None, api_key: str | None = None) -> tuple[Credential, list[str]]:
    """Pick the one credential given; return ``(Credential, warnings)``.

    Raises :class:`InvalidInputError` before any call when none or both are
    given or when the value cannot be sent in a header. A value of neither
    known shape is sent as the kind its option names. Messages never contain
    the value, only its length.
    """
    given = [(option, value) for option, value in ((PAT_OPTION, personal_access_token), (API_KEY_OPTION, api_key))
             if value is not None and value != ""]
    if not given:
        raise InvalidInputError(
            PAT_OPTION, "a Gandi credential is required: set personal_access_token (or the environment variable "
            "GANDI_PERSONAL_ACCESS_TOKEN), or the deprecated api_key (GANDI_API_KEY). %s." % SHAPES)
    if len(given) > 1:
        raise InvalidInputError(
            PAT_OPTION, "set only one of personal_access_token and api_key (also check the environment variables "
            "GANDI_PERSONAL_ACCESS_TOKEN and GANDI_API_KEY, which fill them)")
    option, raw = given[0]
    secret = raw.strip()
    if not _SENDABLE.fullmatch(secret):
        raise InvalidInputError(
            option, "the value (%d characters, from %s or the environment variable %s) contains spaces or "
            "characters that cannot be sent in an HTTP header; give the bare credential, without a scheme such "
            "as 'Bearer ' in front and without line breaks inside (%s)"
            % (len(secret), option, OPTION_ENV[option], SHAPES))
    kind = kind_of(secret)
    if kind is None:
        return Credential(PAT if option == PAT_OPTION else API_KEY, secret, option, shape_known=False), []
    return Credential(kind, secret, option), _mismatch_warnings(option, kind)


def _mismatch_warnings(option: str, kind: str) -> list[str]:
    expected = PAT if option == PAT_OPTION else API_KEY
    if kind == expected:
        return []
    better = PAT_OPTION if kind == PAT else API_KEY_OPTION
    return ["The value given as %s looks like a Gandi %s, so it was sent as 'Authorization: %s'; pass it as %s "
            "instead (%s)." % (option, kind, "Bearer" if kind == PAT else "Apikey", better, SHAPES)]
