# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""The emulated LiveDNS API v5: credentials, routes and rrset operations."""

import hmac
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from .errors import FORBIDDEN_MESSAGE, UNAUTHORIZED_MESSAGE, ApiError, not_found
from .exchange import Response
from .rrsets import parse_write, record_type, relative_name, rrset_json
from .switches import Switches, filler_zones, paginate

API_PREFIX = "/v5/livedns"
RECORD_CREATED = {"message": "DNS Record Created"}
_PAT_SHAPE = re.compile(r"^[0-9a-f]{40}$")
_API_KEY_SHAPE = re.compile(r"^[a-z0-9]{24}$")


@dataclass(frozen=True)
class Credential:
    scheme: str  # "Bearer" or "Apikey"
    shape: re.Pattern
    secret: str
    zones: frozenset = None  # None: every zone

    def may_manage(self, fqdn):
        return self.zones is None or fqdn in self.zones


def auth_scheme(headers):
    """The scheme of the Authorization header as logged ("Bearer", "Apikey") or None."""
    scheme = headers.get("authorization", "").partition(" ")[0].lower()
    return {"bearer": "Bearer", "apikey": "Apikey"}.get(scheme)


def lab_credentials(pat, api_key, pat_zones):
    """The PAT (limited to `pat_zones`) and the API key (every zone) of the lab."""
    return (
        Credential("Bearer", _PAT_SHAPE, pat, frozenset(pat_zones)),
        Credential("Apikey", _API_KEY_SHAPE, api_key),
    )


class LiveDnsApi:
    """Handles requests under API_PREFIX against a ZoneStore."""

    def __init__(self, store, credentials, base_url, switches=None):
        self._store = store
        self._credentials = credentials
        self._switches = switches or Switches()
        self._base_url = base_url.rstrip("/") + API_PREFIX
        # path pattern (None matches any one segment), handlers by method
        self._routes = [
            (["domains"], {"GET": self._list_domains}),
            (["domains", None], {"GET": self._get_domain}),
            (["domains", None, "nameservers"], {"GET": self._get_nameservers}),
            (["domains", None, "records"], {"GET": self._list_records}),
            (["domains", None, "records", None], {"GET": self._list_records_at_name}),
            (["domains", None, "records", None, None], {
                "GET": self._get_rrset, "POST": self._create_rrset,
                "PUT": self._replace_rrset, "DELETE": self._delete_rrset,
            }),
        ]

    def handle(self, request):
        try:
            segments = request.segments(API_PREFIX)
            if segments is None:
                raise not_found()
            credential = self._authenticate(request.headers)
            handler, params = self._route(request.method, segments)
            return handler(request, credential, *params)
        except ApiError as error:
            return Response(error.status, error.body(), error.headers)

    def _authenticate(self, headers):
        scheme, _space, secret = headers.get("authorization", "").partition(" ")
        secret = secret.strip()
        for credential in self._credentials:
            if (scheme.lower() == credential.scheme.lower() and credential.shape.match(secret)
                    and hmac.compare_digest(secret, credential.secret)):
                if credential.scheme == "Bearer" and self._switches.get("token_expired"):
                    break
                return credential
        if scheme.lower() == "bearer" and secret and self._switches.get("token_refusal_status") == 403:
            # Gandi documents 403 for a bearer token that "has expired, does not have enough
            # permission or does not exist".
            raise ApiError(403, FORBIDDEN_MESSAGE)
        raise ApiError(401, UNAUTHORIZED_MESSAGE)

    def _route(self, method, segments):
        for pattern, handlers in self._routes:
            if len(pattern) == len(segments) and all(p is None or p == s for p, s in zip(pattern, segments)):
                if method not in handlers:
                    allowed = ", ".join(sorted(handlers))
                    raise ApiError(405, "The method is not allowed for the requested URL.", headers={"Allow": allowed})
                params = [s for p, s in zip(pattern, segments) if p is None]
                return handlers[method], params
        raise not_found()

    def _zone(self, credential, fqdn):
        zone = self._store.zone(fqdn)
        if not credential.may_manage(zone.fqdn):
            raise ApiError(403, FORBIDDEN_MESSAGE)
        return zone

    def _domain_json(self, fqdn):
        href = "%s/domains/%s" % (self._base_url, fqdn)
        return {
            "fqdn": fqdn,
            "fqdn_unicode": fqdn,
            "domain_href": href,
            "domain_keys_href": href + "/keys",
            "domain_records_href": href + "/records",
            "automatic_snapshots": False,
        }

    def _rrsets_json(self, zone, rrsets):
        return [rrset_json(rrset, zone.fqdn, self._base_url) for rrset in rrsets]

    # --- handlers --------------------------------------------------------------
    def _list_domains(self, request, credential):
        visible = [fqdn for fqdn in self._store.fqdns() if credential.may_manage(fqdn)]
        listed = filler_zones(self._switches.get("filler_zones")) + visible
        query = parse_qs(urlsplit(request.target).query, keep_blank_values=True)
        page, headers = paginate(listed, query, self._switches, self._base_url + "/domains")
        return Response(200, [self._domain_json(fqdn) for fqdn in page], headers)

    def _get_domain(self, request, credential, fqdn):
        return Response(200, self._domain_json(self._zone(credential, fqdn).fqdn))

    def _get_nameservers(self, request, credential, fqdn):
        return Response(200, list(self._zone(credential, fqdn).nameservers))

    def _list_records(self, request, credential, fqdn):
        zone = self._zone(credential, fqdn)
        return Response(200, self._rrsets_json(zone, self._store.rrsets(zone)))

    def _list_records_at_name(self, request, credential, fqdn, name):
        zone = self._zone(credential, fqdn)
        rrsets = self._store.rrsets(zone, relative_name(name, zone.fqdn))
        if not rrsets:
            raise not_found()
        return Response(200, self._rrsets_json(zone, rrsets))

    def _get_rrset(self, request, credential, fqdn, name, rtype):
        zone, name, rtype = self._rrset_target(credential, fqdn, name, rtype)
        return Response(200, rrset_json(self._store.get_rrset(zone, name, rtype), zone.fqdn, self._base_url))

    def _create_rrset(self, request, credential, fqdn, name, rtype):
        return self._write_rrset(request, credential, fqdn, name, rtype, create_only=True)

    def _replace_rrset(self, request, credential, fqdn, name, rtype):
        return self._write_rrset(request, credential, fqdn, name, rtype, create_only=False)

    def _write_rrset(self, request, credential, fqdn, name, rtype, create_only):
        zone, name, rtype = self._rrset_target(credential, fqdn, name, rtype)
        ttl, values = parse_write(request.body, request.headers.get("content-type"), name, rtype, zone.origin)
        self._store.write_rrset(zone, name, rtype, ttl, values, create_only)
        return Response(201, RECORD_CREATED)

    def _delete_rrset(self, request, credential, fqdn, name, rtype):
        zone, name, rtype = self._rrset_target(credential, fqdn, name, rtype)
        self._store.delete_rrset(zone, name, rtype)
        return Response(204)

    def _rrset_target(self, credential, fqdn, name, rtype):
        zone = self._zone(credential, fqdn)
        return zone, relative_name(name, zone.fqdn), record_type(rtype)
