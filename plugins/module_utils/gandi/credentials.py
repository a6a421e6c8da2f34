# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gandi credentials: the kind is decided by the value's shape, not the option.

A Personal Access Token (PAT) is 40 hexadecimal characters and is sent as
``Authorization: Bearer``; a (deprecated) API key is 24 characters of
``[a-z0-9]`` and is sent as ``Authorization: Apikey``. Users often paste one
where the other is expected, so the shape wins and a warning explains it.
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
    "a personal access token (current) is 40 hexadecimal characters [0-9a-f] and is sent as "
    "'Authorization: Bearer'; an API key (deprecated by Gandi) is 24 characters [a-z0-9] and is "
    "sent as 'Authorization: Apikey'"
)
PAT_HOWTO = (
    "To create a personal access token with LiveDNS rights: Gandi admin > Organizations > "
    "<the organization that owns the domain> > Sharing / Personal Access Tokens > Create a token, "
    "select that organization and the domains (or all domains), and grant the permission "
    "'Manage domain name technical configurations'."
)


class Credential:
    """A secret and what its shape says it is. ``repr`` never shows the secret."""

    def __init__(self, kind, secret, option):
        self.kind = kind
        self.secret = secret
        self.option = option

    @property
    def scheme(self):
        return "Bearer" if self.kind == PAT else "Apikey"

    def headers(self):
        return {"Authorization": "%s %s" % (self.scheme, self.secret)}

    def describe(self):
        """Safe text: which option, which kind was detected, which scheme is sent."""
        return "the value of %s (%d characters) looks like a %s and was sent as 'Authorization: %s'" % (
            self.option, len(self.secret), self.kind, self.scheme)

    def __repr__(self):
        return "Credential(kind=%r, option=%r, secret=<%d characters>)" % (self.kind, self.option, len(self.secret))


def kind_of(secret):
    """``PAT``, ``API_KEY`` or ``None`` for a value of neither shape."""
    if _PAT_SHAPE.fullmatch(secret):
        return PAT
    if _API_KEY_SHAPE.fullmatch(secret):
        return API_KEY
    return None


def detect_credential(personal_access_token=None, api_key=None):
    """Pick the one credential given; return ``(Credential, warnings)``.

    Raises :class:`InvalidInputError` before any call when none or both are
    given or when the value has neither shape. Messages never contain the
    value, only its length.
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
    kind = kind_of(secret)
    if kind is None:
        raise InvalidInputError(
            option, "the value (%d characters) is neither a Gandi personal access token nor an API key: %s. "
            "Check for a truncated or wrong value. %s" % (len(secret), SHAPES, PAT_HOWTO))
    return Credential(kind, secret, option), _mismatch_warnings(option, kind)


def _mismatch_warnings(option, kind):
    expected = PAT if option == PAT_OPTION else API_KEY
    if kind == expected:
        return []
    better = PAT_OPTION if kind == PAT else API_KEY_OPTION
    return ["The value given as %s looks like a Gandi %s, so it was sent as 'Authorization: %s'; pass it as %s "
            "instead (%s)." % (option, kind, "Bearer" if kind == PAT else "Apikey", better, SHAPES)]
