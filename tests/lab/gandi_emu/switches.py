# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Behaviours of the real service that the emulator shows only when switched on (POST /_lab/config)."""

import threading
from urllib.parse import urlencode

from .errors import ApiError, validation_error

PAGINATION_HEADERS = ("link_and_total_count", "link", "total_count")
TOKEN_REFUSAL_STATUSES = (401, 403)
MAX_FILLER_ZONES = 1000
DEFAULTS = {
    # GET /domains: 0 answers every zone at once; N > 0 caps per_page at N and paginates.
    "zones_per_page": 0,
    # Zones that exist only in the listing (filler-NN.test), listed before the lab zones.
    "filler_zones": 0,
    # Which pagination headers a paginated listing carries.
    "pagination_headers": "link_and_total_count",
    # Status for a Bearer token that is unknown or expired (Gandi documents 403; 401 is the strict default).
    "token_refusal_status": 401,
    # The lab's own personal access token counts as expired.
    "token_expired": False,
}


class Switches:
    """The current switch values, all off by default; thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._values = dict(DEFAULTS)

    def get(self, name):
        with self._lock:
            return self._values[name]

    def values(self):
        with self._lock:
            return dict(self._values)

    def reset(self):
        with self._lock:
            self._values = dict(DEFAULTS)

    def update(self, values):
        """Check every value first, then apply them all (400 and nothing changed on any bad value)."""
        checked = {name: _check(name, value) for name, value in values.items()}
        with self._lock:
            self._values.update(checked)


def _check(name, value):
    if name in ("zones_per_page", "filler_zones"):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_FILLER_ZONES:
            raise ApiError(400, "%s must be an integer from 0 to %d" % (name, MAX_FILLER_ZONES))
    elif name == "pagination_headers":
        if value not in PAGINATION_HEADERS:
            raise ApiError(400, "pagination_headers must be one of %s" % ", ".join(PAGINATION_HEADERS))
    elif name == "token_refusal_status":
        if isinstance(value, bool) or value not in TOKEN_REFUSAL_STATUSES:
            raise ApiError(400, "token_refusal_status must be 401 or 403")
    elif name == "token_expired":
        if not isinstance(value, bool):
            raise ApiError(400, "token_expired must be true or false")
    else:
        raise ApiError(400, "unknown setting %s" % name)
    return value


def filler_zones(count):
    return ["filler-%02d.test" % number for number in range(1, count + 1)]


def _positive_int(query, name, default):
    raw = query.get(name)
    if raw is None:
        return default
    if len(raw) != 1 or not raw[0].isdigit() or int(raw[0]) < 1:
        raise validation_error("querystring", name, "%s must be a positive integer" % name)
    return int(raw[0])


def paginate(fqdns, query, switches, list_url):
    """The page of `fqdns` asked for by `query` ({name: [values]}) and its headers."""
    max_per_page = switches.get("zones_per_page")
    if not max_per_page:
        return fqdns, {}
    page = _positive_int(query, "page", 1)
    per_page = min(_positive_int(query, "per_page", max_per_page), max_per_page)
    total = len(fqdns)
    start = (page - 1) * per_page
    items = fqdns[start:start + per_page]
    mode = switches.get("pagination_headers")
    headers = {}
    if mode in ("link_and_total_count", "total_count"):
        headers["Total-Count"] = str(total)
    if mode in ("link_and_total_count", "link"):
        links = []
        if page > 1:
            links.append('<%s?%s>; rel="prev"' % (list_url, urlencode({"page": page - 1, "per_page": per_page})))
        if start + per_page < total:
            links.append('<%s?%s>; rel="next"' % (list_url, urlencode({"page": page + 1, "per_page": per_page})))
        last = max(1, -(-total // per_page))
        links.append('<%s?%s>; rel="last"' % (list_url, urlencode({"page": last, "per_page": per_page})))
        headers["Link"] = ", ".join(links)
    return items, headers
