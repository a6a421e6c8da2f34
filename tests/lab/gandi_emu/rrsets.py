# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Rrsets as the LiveDNS API sees them, and validation of what clients send."""

import json
import re
from dataclasses import dataclass, field

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdataset
import dns.rdatatype

from .errors import ApiError, validation_error

SUPPORTED_TYPES = frozenset({"A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SRV", "TXT"})
MIN_TTL = 300
MAX_TTL = 2592000
DEFAULT_TTL = 10800
APEX = "@"

_TXT_STRING_LIMIT = 255
_LABEL = re.compile(r"^(?:\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$")
_BODY_KEYS = frozenset({"rrset_values", "rrset_ttl", "rrset_name", "rrset_type"})


@dataclass(frozen=True)
class RRset:
    """One rrset of a zone. `values` is the API form (TXT values quoted)."""

    name: str
    rtype: str
    ttl: int
    values: tuple
    rdataset: dns.rdataset.Rdataset = field(compare=False, repr=False)

    @property
    def key(self):
        return (self.name, self.rtype)


def make_rrset(name, rtype, ttl, values, origin):
    """Build an rrset from already normalised values (raises ValueError if one does not parse)."""
    rdatas = [dns.rdata.from_text(dns.rdataclass.IN, rtype, value, origin=origin, relativize=False) for value in values]
    rdataset = dns.rdataset.from_rdata_list(ttl, rdatas)
    return RRset(name=name, rtype=rtype, ttl=ttl, values=tuple(values), rdataset=rdataset)


def owner_name(name, origin):
    """The absolute DNS name of a relative rrset name."""
    return origin if name == APEX else dns.name.from_text(name, origin=origin)


def relative_name(raw_name, zone):
    """Validate the {name} of a records URL and return it relative to `zone`."""
    name = raw_name.lower()
    if name.endswith("."):
        absolute = name[:-1]
        if absolute == zone:
            return APEX
        if not absolute.endswith("." + zone):
            raise ApiError(400, "Absolute rrset_name must end with %s." % zone)
        name = absolute[:-(len(zone) + 1)]
    if name == APEX:
        return APEX
    labels = name.split(".")
    valid = all(_LABEL.match(label) for label in labels) and "*" not in labels[1:]
    if not valid or len(name) + len(zone) + 1 > 253:
        raise validation_error("path", "rrset_name", "Invalid rrset_name: %r" % raw_name)
    return name


def record_type(raw_type):
    """Validate the {type} of a records URL."""
    rtype = raw_type.upper()
    if rtype not in SUPPORTED_TYPES:
        raise validation_error("path", "rrset_type", "Unsupported rrset_type: %r" % raw_type)
    return rtype


def quote_txt(value):
    """Return the quoted presentation form of a TXT value written quoted or not.

    An unquoted value is taken literally and split into 255-octet strings.
    """
    if value.startswith('"'):
        return value
    strings = []
    current, size = [], 0
    for char in value:
        char_size = len(char.encode("utf-8"))
        if size + char_size > _TXT_STRING_LIMIT:
            strings.append("".join(current))
            current, size = [], 0
        current.append(char.replace("\\", "\\\\").replace('"', '\\"'))
        size += char_size
    strings.append("".join(current))
    return " ".join('"%s"' % string for string in strings)


def parse_write(raw_body, content_type, name, rtype, origin):
    """Parse and validate the body of a POST/PUT on /records/{name}/{type}.

    Returns (ttl, values) with values normalised to the stored form.
    """
    document = _json_object(raw_body, content_type)
    unknown = sorted(set(document) - _BODY_KEYS)
    if unknown:
        raise validation_error("body", unknown[0], "Unrecognized field")
    _check_echoed_field(document, "rrset_name", name)
    _check_echoed_field(document, "rrset_type", rtype)
    ttl = _ttl(document.get("rrset_ttl", DEFAULT_TTL))
    values = _values(document.get("rrset_values"), name, rtype, origin)
    return ttl, values


def _json_object(raw_body, content_type):
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise validation_error("header", "Content-Type", "Content-Type must be application/json")
    try:
        document = json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise validation_error("body", "body", "Invalid JSON body") from None
    if not isinstance(document, dict):
        raise validation_error("body", "body", "The body must be a JSON object")
    return document


def _check_echoed_field(document, key, expected):
    # Some clients repeat the name and type of the URL in the body; they must agree.
    if key not in document:
        return
    value = document[key]
    if not isinstance(value, str) or value.lower() != expected.lower():
        raise validation_error("body", key, "%s does not match the URL" % key)


def _ttl(ttl):
    if isinstance(ttl, bool) or not isinstance(ttl, int):
        raise validation_error("body", "rrset_ttl", "rrset_ttl must be an integer")
    if not MIN_TTL <= ttl <= MAX_TTL:
        raise validation_error("body", "rrset_ttl", "%d is not between %d and %d" % (ttl, MIN_TTL, MAX_TTL))
    return ttl


def _values(values, name, rtype, origin):
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise validation_error("body", "rrset_values", "rrset_values must be a list of strings")
    if not values:
        raise validation_error("body", "rrset_values", "rrset_values must not be empty")
    if rtype == "CNAME" and (len(values) > 1 or name == APEX):
        raise validation_error("body", "rrset_values", "A CNAME rrset holds one value and cannot be at the apex")
    normalised = []
    for value in values:
        value = value.strip()
        if rtype == "TXT":
            value = quote_txt(value)
        if not value or not _parses(rtype, value, origin):
            raise validation_error("body", "rrset_values", "Invalid %s value: %r" % (rtype, value))
        if value not in normalised:
            normalised.append(value)
    return tuple(normalised)


def _parses(rtype, value, origin):
    try:
        dns.rdata.from_text(dns.rdataclass.IN, rtype, value, origin=origin, relativize=False)
    except (dns.exception.DNSException, ValueError):
        return False
    return True


def rrset_json(rrset, zone, base_url):
    return {
        "rrset_name": rrset.name,
        "rrset_type": rrset.rtype,
        "rrset_ttl": rrset.ttl,
        "rrset_values": list(rrset.values),
        "rrset_href": "%s/domains/%s/records/%s/%s" % (base_url, zone, rrset.name, rrset.rtype),
    }
