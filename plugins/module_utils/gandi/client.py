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
import re
import urllib.parse
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError
from ansible_collections.certops.acme.plugins.module_utils.http_client import excerpt
from ansible_collections.certops.acme.plugins.module_utils.gandi.credentials import PAT, PAT_HOWTO, PERMISSIONS, SHAPES
from ansible_collections.certops.acme.plugins.module_utils.gandi.txt_plan import deepest_zone, normalize_fqdn

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ansible_collections.certops.acme.plugins.module_utils.gandi.credentials import Credential
    from ansible_collections.certops.acme.plugins.module_utils.gandi.txt_plan import RRsetKey
    from ansible_collections.certops.acme.plugins.module_utils.http_client import HttpClient, Response

DEFAULT_API_URL = "https://api.gandi.net/v5/livedns"
# GET /domains is paginated; a listing that has not ended after this many pages is a broken server.
MAX_ZONE_PAGES = 100
_LINK = re.compile(r"<([^>]*)>([^<]*)")
_REL = re.compile(r'\brel\s*=\s*"?([^";,]*)', re.IGNORECASE)


class GandiApiError(CertopsError):
    """Gandi refused a call; the message explains it without secrets."""


class GandiAuthError(GandiApiError):
    """HTTP 401 or 403: the credential, its kind or its scope is wrong."""


class RRsetConflict(GandiApiError):
    """A create (POST) found the rrset already there: someone else created it."""


@dataclasses.dataclass(frozen=True)
class RRset:
    ttl: int | None
    values: tuple[str, ...]


class GandiClient:
    """LiveDNS calls for one credential; ``http`` is an :class:`HttpClient` on the API URL."""

    def __init__(self, http: HttpClient, credential: Credential) -> None:
        self.http = http
        self.credential = credential
        self._zones: list[str] | None = None

    # --- reads -------------------------------------------------------------
    def zones(self) -> list[str]:
        """The zones (fqdn, lower case) the credential can manage, from every page; listed once per client.

        ``GET /domains`` is paginated. The next page is the ``Link: <...>;
        rel="next"`` target when the server sends one (only on this API's own
        URL), else ``page=N+1`` with the size of the first page while fewer
        zones than the ``Total-Count`` header have been read. The listing stops
        at an empty page and fails after :data:`MAX_ZONE_PAGES` pages. Cost: one
        GET per page, once per client (so once per module call).
        """
        if self._zones is None:
            self._zones = sorted(self._list_all_zones())
        return list(self._zones)

    def zone_of(self, name: str) -> str | None:
        """The deepest zone the credential can manage that contains ``name``, or ``None``.

        ``name`` is a record name such as ``_acme-challenge.www.example.com``
        (any case, trailing dot allowed). Uses :meth:`zones`.
        """
        return deepest_zone(normalize_fqdn(name), self.zones())

    def _list_all_zones(self) -> set[str]:
        found: set[str] = set()
        path: str | None
        path, page, per_page, read, seen = "/domains", 1, None, 0, set()
        while True:
            seen.add(path)
            action = "list the zones (GET %s, page %d)" % (path, page)
            response = self._request("GET", path)
            payload = self._payload(response, "GET", path, action, None, False)
            items = [item for item in payload or () if isinstance(item, dict)]
            found.update(str(item["fqdn"]).rstrip(".").lower() for item in items if item.get("fqdn"))
            per_page = per_page or len(items)
            read += len(items)
            page += 1
            path = self._next_page(response, page, per_page, len(items), read)
            if path is None:
                return found
            if path in seen or page > MAX_ZONE_PAGES:
                raise GandiApiError(
                    "Gandi's zone listing (GET /domains) did not end after %d pages (last next page: %s); set the "
                    "zone option to skip the listing" % (page - 1, path), pages=page - 1)

    def _next_page(self, response: Response, page: int, per_page: int, items: int, read: int) -> str | None:
        """The path of the next page of ``GET /domains`` or ``None`` when the listing is complete."""
        if not items:
            return None
        link = self._link_next(response.header("Link"))
        if link:
            return link
        total = _int_header(response.header("Total-Count"))
        if total is None or read >= total:
            return None
        return "/domains?" + urllib.parse.urlencode({"page": page, "per_page": per_page})

    def _link_next(self, header: str | None) -> str | None:
        """The path (below the API URL) of a ``rel="next"`` link, ignoring links to other places."""
        targets = [target for target, params in _LINK.findall(header or "")
                   if any("next" in rel.lower().split() for rel in _REL.findall(params))]
        if not targets:
            return None
        base = self.http.base_url
        target = urllib.parse.urljoin(base + "/domains", targets[0].strip())
        if not target.startswith(base + "/"):
            # The credential is never sent anywhere but the API URL.
            return None
        return target[len(base):]

    def nameservers(self, zone: str) -> list[str]:
        """Host names of the zone's authoritative servers."""
        payload = self._call("GET", "/domains/%s/nameservers" % _segment(zone),
                             "read the name servers of %s" % zone, zone=zone)
        return [str(host).rstrip(".") for host in payload or ()]

    def get_rrset(self, key: RRsetKey) -> RRset | None:
        """The rrset at ``key`` or ``None`` when it does not exist."""
        payload = self._call("GET", _rrset_path(key), "read %s" % _describe(key), zone=key.zone, missing_ok=True)
        if payload is None:
            return None
        if not isinstance(payload, dict):
            raise GandiApiError("Gandi answered an unexpected body to read %s: %s" % (_describe(key), str(payload)[:200]))
        return RRset(payload.get("rrset_ttl"), tuple(payload.get("rrset_values") or ()))

    # --- writes ------------------------------------------------------------
    def create_rrset(self, key: RRsetKey, values: Iterable[str], ttl: int | None) -> None:
        """POST a new rrset; :class:`RRsetConflict` when it appeared meanwhile."""
        # Repeating a create is safe: a duplicate answers 409, which the caller handles.
        self._call("POST", _rrset_path(key), "create %s" % _describe(key), zone=key.zone,
                   body=_rrset_body(values, ttl), idempotent=True)

    def replace_rrset(self, key: RRsetKey, values: Iterable[str], ttl: int | None) -> None:
        self._call("PUT", _rrset_path(key), "replace %s" % _describe(key), zone=key.zone,
                   body=_rrset_body(values, ttl))

    def delete_rrset(self, key: RRsetKey) -> None:
        """DELETE the rrset; one that is already gone counts as deleted."""
        self._call("DELETE", _rrset_path(key), "delete %s" % _describe(key), zone=key.zone, missing_ok=True)

    # --- plumbing ----------------------------------------------------------
    def _call(self, method: str, path: str, action: str, zone: str | None = None, body: object = None,
              idempotent: bool | None = None, missing_ok: bool = False) -> Any:
        response = self._request(method, path, body, idempotent)
        return self._payload(response, method, path, action, zone, missing_ok)

    def _request(self, method: str, path: str, body: object = None, idempotent: bool | None = None) -> Response:
        headers = {"Accept": "application/json"}
        headers.update(self.credential.headers())
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        return self.http.request(method, path, body=data, headers=headers, idempotent=idempotent)

    def _payload(self, response: Response, method: str, path: str, action: str, zone: str | None, missing_ok: bool) -> Any:
        if 200 <= response.status < 300:
            return response.json()
        if response.status == 404 and missing_ok:
            return None
        raise self._refusal(response, method, path, action, zone)

    def _refusal(self, response: Response, method: str, path: str, action: str, zone: str | None) -> GandiApiError:
        gandi_says = self.http.redact(_gandi_message(response))
        details = dict(status=response.status, method=method, path=path, gandi_message=gandi_says,
                       credential_kind=self.credential.kind, credential_shape_known=self.credential.shape_known,
                       auth_scheme=self.credential.scheme)
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

    def _unauthorized(self, action: str, gandi_says: str) -> str:
        return ("Gandi rejected the credential (HTTP 401) when trying to %s: %s. Gandi said: %s. Gandi documents "
                "401 for a wrong API key. %s %s"
                % (action, self.credential.describe(), gandi_says, self._credential_causes(), PAT_HOWTO))

    def _forbidden(self, action: str, gandi_says: str, zone: str | None) -> str:
        scope = ""
        if zone:
            scope = " " + self._zone_scope(zone)
        return ("Gandi denied access (HTTP 403) when trying to %s: %s.%s Gandi said: %s. Gandi documents 403 for "
                "a personal access token that has expired, does not exist or lacks permission. %s %s"
                % (action, self.credential.describe(), scope, gandi_says, self._credential_causes(), PAT_HOWTO))

    def _credential_causes(self) -> str:
        """What can be wrong with the credential, for 401 and 403 alike, from what was detected and sent."""
        other = "'Authorization: Apikey'" if self.credential.kind == PAT else "'Authorization: Bearer'"
        causes = ["the value may be wrong, expired or revoked",
                  "a personal access token may lack the permissions %s, or not cover the organisation that owns "
                  "the zone or the zone itself (a token only reaches the organisation and domains chosen when it "
                  "was created)" % PERMISSIONS]
        if self.credential.shape_known:
            causes.append("Gandi accepts a personal access token only as Bearer and an API key only as Apikey: %s"
                          % SHAPES)
        else:
            causes.append("the value's shape does not tell its kind, so it was sent as %s because it came in %s; "
                          "if it is the other kind, pass it in the other option (sent as %s) (%s)"
                          % (self.credential.kind, self.credential.option, other, SHAPES))
        return "Possible causes: %s." % "; ".join(causes)

    def _zone_scope(self, zone: str) -> str:
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


def _int_header(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _segment(text: str) -> str:
    return urllib.parse.quote(text, safe="@*")


def _rrset_path(key: RRsetKey) -> str:
    return "/domains/%s/records/%s/%s" % (_segment(key.zone), _segment(key.name), _segment(key.type))


def _rrset_body(values: Iterable[str], ttl: int | None) -> dict[str, Any]:
    body: dict[str, Any] = {"rrset_values": list(values)}
    if ttl is not None:
        body["rrset_ttl"] = ttl
    return body


def _describe(key: RRsetKey) -> str:
    return "the %s rrset %s in zone %s" % (key.type, key.name, key.zone)


def _gandi_message(response: Response) -> str:
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
