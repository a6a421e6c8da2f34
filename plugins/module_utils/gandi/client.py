# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gandi LiveDNS v5 client: zones, TXT rrsets and name servers.

It speaks through the shared :class:`HttpClient` (trust, retries, redaction)
and turns Gandi's refusals into errors that say what was sent and what to do,
never the secret.
"""

from __future__ import annotations

import dataclasses
import json
import urllib.parse

from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError
from ansible_collections.certops.acme.plugins.module_utils.http_client import excerpt
from ansible_collections.certops.acme.plugins.module_utils.gandi.credentials import PAT, PAT_HOWTO, SHAPES

DEFAULT_API_URL = "https://api.gandi.net/v5/livedns"


class GandiApiError(CertopsError):
    """Gandi refused a call; the message explains it without secrets."""


class GandiAuthError(GandiApiError):
    """HTTP 401 or 403: the credential, its kind or its scope is wrong."""


class RRsetConflict(GandiApiError):
    """A create (POST) found the rrset already there: someone else created it."""


@dataclasses.dataclass(frozen=True)
class RRset:
    ttl: int | None
    values: tuple


class GandiClient:
    """LiveDNS calls for one credential; ``http`` is an :class:`HttpClient` on the API URL."""

    def __init__(self, http, credential):
        self.http = http
        self.credential = credential
        self._zones = None

    # --- reads -------------------------------------------------------------
    def zones(self):
        """The zones (fqdn, lower case) the credential can manage; one call per client."""
        if self._zones is None:
            payload = self._call("GET", "/domains", "list the zones (GET /domains)")
            self._zones = sorted({str(item["fqdn"]).rstrip(".").lower()
                                  for item in payload or () if isinstance(item, dict) and item.get("fqdn")})
        return list(self._zones)

    def nameservers(self, zone):
        """Host names of the zone's authoritative servers."""
        payload = self._call("GET", "/domains/%s/nameservers" % _segment(zone),
                             "read the name servers of %s" % zone, zone=zone)
        return [str(host).rstrip(".") for host in payload or ()]

    def get_rrset(self, key):
        """The rrset at ``key`` or ``None`` when it does not exist."""
        payload = self._call("GET", _rrset_path(key), "read %s" % _describe(key), zone=key.zone, missing_ok=True)
        if payload is None:
            return None
        if not isinstance(payload, dict):
            raise GandiApiError("Gandi answered an unexpected body to read %s: %s" % (_describe(key), str(payload)[:200]))
        return RRset(payload.get("rrset_ttl"), tuple(payload.get("rrset_values") or ()))

    # --- writes ------------------------------------------------------------
    def create_rrset(self, key, values, ttl):
        """POST a new rrset; :class:`RRsetConflict` when it appeared meanwhile."""
        # Repeating a create is safe: a duplicate answers 409, which the caller handles.
        self._call("POST", _rrset_path(key), "create %s" % _describe(key), zone=key.zone,
                   body=_rrset_body(values, ttl), idempotent=True)

    def replace_rrset(self, key, values, ttl):
        self._call("PUT", _rrset_path(key), "replace %s" % _describe(key), zone=key.zone,
                   body=_rrset_body(values, ttl))

    def delete_rrset(self, key):
        """DELETE the rrset; one that is already gone counts as deleted."""
        self._call("DELETE", _rrset_path(key), "delete %s" % _describe(key), zone=key.zone, missing_ok=True)

    # --- plumbing ----------------------------------------------------------
    def _call(self, method, path, action, zone=None, body=None, idempotent=None, missing_ok=False):
        headers = {"Accept": "application/json"}
        headers.update(self.credential.headers())
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        response = self.http.request(method, path, body=data, headers=headers, idempotent=idempotent)
        if 200 <= response.status < 300:
            return response.json()
        if response.status == 404 and missing_ok:
            return None
        raise self._refusal(response, method, path, action, zone)

    def _refusal(self, response, method, path, action, zone):
        gandi_says = self.http.redact(_gandi_message(response))
        details = dict(status=response.status, method=method, path=path, gandi_message=gandi_says,
                       credential_kind=self.credential.kind, auth_scheme=self.credential.scheme)
        if response.status == 401:
            return GandiAuthError(self._unauthorized(action, gandi_says), **details)
        if response.status == 403:
            return GandiAuthError(self._forbidden(action, gandi_says, zone), **details)
        if response.status == 409 and method == "POST":
            return RRsetConflict("Gandi answered 409 to %s: it exists already" % action, **details)
        if response.status == 404 and zone:
            return GandiApiError(
                "Gandi answered 404 to %s (%s): the zone %s does not exist in LiveDNS for this credential; "
                "check the zone option and that the domain uses Gandi LiveDNS" % (action, gandi_says, zone), **details)
        return GandiApiError("Gandi refused to %s: HTTP %d %s" % (action, response.status, gandi_says), **details)

    def _unauthorized(self, action, gandi_says):
        return ("Gandi rejected the credential (HTTP 401) when trying to %s: %s. Gandi said: %s. Gandi accepts a "
                "personal access token only as Bearer and an API key only as Apikey: %s. If the kind is right, "
                "the value is wrong, expired or revoked. %s"
                % (action, self.credential.describe(), gandi_says, SHAPES, PAT_HOWTO))

    def _forbidden(self, action, gandi_says, zone):
        scope = ""
        if zone:
            scope = " " + self._zone_scope(zone)
        token_hint = (" A personal access token only reaches the organisation and domains chosen when it was "
                      "created." if self.credential.kind == PAT else "")
        return ("Gandi denied access (HTTP 403) when trying to %s: %s.%s Gandi said: %s.%s %s"
                % (action, self.credential.describe(), scope, gandi_says, token_hint, PAT_HOWTO))

    def _zone_scope(self, zone):
        try:
            visible = self.zones()
        except CertopsError:
            return "The zones this credential can see could not be listed."
        listing = ", ".join(visible) or "none"
        if zone in visible:
            return ("The zone %s is among the zones this credential can see (%s), so its rights on that zone "
                    "are not enough for this change." % (zone, listing))
        return ("The zone %s is outside the scope of this credential: it can only see %s."
                % (zone, listing))


def _segment(text):
    return urllib.parse.quote(text, safe="@*")


def _rrset_path(key):
    return "/domains/%s/records/%s/%s" % (_segment(key.zone), _segment(key.name), _segment(key.type))


def _rrset_body(values, ttl):
    body = {"rrset_values": list(values)}
    if ttl is not None:
        body["rrset_ttl"] = ttl
    return body


def _describe(key):
    return "the %s rrset %s in zone %s" % (key.type, key.name, key.zone)


def _gandi_message(response):
    """Gandi's own explanation from an error body (``message``, ``cause``, ``errors``)."""
    try:
        payload = response.json()
    except CertopsError:
        payload = None
    if not isinstance(payload, dict):
        return excerpt(response.redact, response.text(), 300).strip() or "(empty body)"
    parts = [str(payload[field]).rstrip(".") for field in ("message", "cause") if payload.get(field)]
    for error in payload.get("errors") or ():
        if isinstance(error, dict):
            parts.append("%s: %s" % (error.get("name", "?"), error.get("description", "")))
    return "; ".join(parts) or "(no message)"
