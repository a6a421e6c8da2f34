# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Zones of the emulator and their versions.

Every change made through the API creates a new version of the zone with the
next SOA serial. The API always reads the newest version; DNS reads the newest
version whose `visible_at` has passed, which is how the propagation delay of
the real service is emulated.
"""

import threading
import time
from functools import cached_property

import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from .errors import ApiError, not_found
from .rrsets import APEX, DEFAULT_TTL, make_rrset, owner_name

INITIAL_SERIAL = 2026010100
SOA_TIMERS = (10800, 3600, 604800, 300)  # refresh, retry, expire, negative TTL
SOA_TTL = 10800


class ZoneVersion:
    """An immutable state of one zone, indexed for DNS lookups on first use."""

    def __init__(self, zone, serial, visible_at, rrsets):
        self.zone = zone
        self.serial = serial
        self.visible_at = visible_at
        self.rrsets = dict(rrsets)

    def soa(self):
        origin = self.zone.origin
        text = "ns1.%s hostmaster.%s %d %d %d %d %d" % ((origin, origin, self.serial) + SOA_TIMERS)
        return dns.rrset.from_text(origin, SOA_TTL, dns.rdataclass.IN, dns.rdatatype.SOA, text)

    @cached_property
    def nodes(self):
        """{owner dns.name: {rdatatype: dns.rrset.RRset}} including the SOA."""
        nodes = {}
        for rrset in self.rrsets.values():
            owner = owner_name(rrset.name, self.zone.origin)
            dns_rrset = dns.rrset.from_rdata_list(owner, rrset.ttl, list(rrset.rdataset))
            nodes.setdefault(owner, {})[dns_rrset.rdtype] = dns_rrset
        nodes.setdefault(self.zone.origin, {})[dns.rdatatype.SOA] = self.soa()
        return nodes

    @cached_property
    def existing_names(self):
        """Owner names plus the empty non-terminals between them and the apex."""
        names = set()
        for owner in self.nodes:
            while owner not in names and owner.is_subdomain(self.zone.origin):
                names.add(owner)
                if owner == self.zone.origin:
                    break
                owner = owner.parent()
        return names


class Zone:
    """One zone: its versions, newest last."""

    def __init__(self, fqdn, rrsets):
        self.fqdn = fqdn
        self.origin = dns.name.from_text(fqdn)
        self.nameservers = ["ns1.%s" % fqdn, "ns2.%s" % fqdn]
        self._versions = [ZoneVersion(self, INITIAL_SERIAL, 0.0, {r.key: r for r in rrsets})]

    @property
    def latest(self):
        return self._versions[-1]

    def visible(self, now):
        """The version DNS serves at `now`; drops versions nothing can see any more."""
        index = max(i for i, version in enumerate(self._versions) if version.visible_at <= now or i == 0)
        del self._versions[:index]
        return self._versions[0]

    @property
    def pending(self):
        return len(self._versions) - 1

    def commit(self, rrsets, now, delay):
        # Versions become visible in the order they were written, even when the
        # delay is shortened in between.
        visible_at = max(now + delay, self.latest.visible_at)
        self._versions.append(ZoneVersion(self, self.latest.serial + 1, visible_at, rrsets))


def seed_zone(fqdn):
    """A zone with only its NS rrset and A records for the apex, www and the name servers."""
    origin = dns.name.from_text(fqdn)
    rrsets = [make_rrset(APEX, "NS", DEFAULT_TTL, ("ns1.%s." % fqdn, "ns2.%s." % fqdn), origin)]
    for name in (APEX, "www", "ns1", "ns2"):
        rrsets.append(make_rrset(name, "A", DEFAULT_TTL, ("127.0.0.1",), origin))
    return Zone(fqdn, rrsets)


class ZoneStore:
    """All zones, behind one lock. API methods raise ApiError like the service does."""

    def __init__(self, fqdns, propagation_delay=0.0, clock=time.monotonic):
        self._fqdns = tuple(fqdns)
        self._clock = clock
        self._lock = threading.Lock()
        self.propagation_delay = float(propagation_delay)
        self._zones = {}
        self.reset(propagation_delay)

    def reset(self, propagation_delay):
        with self._lock:
            self._zones = {fqdn: seed_zone(fqdn) for fqdn in self._fqdns}
            self.propagation_delay = float(propagation_delay)

    def set_propagation_delay(self, delay):
        with self._lock:
            self.propagation_delay = float(delay)

    def fqdns(self):
        return list(self._fqdns)

    def zone(self, fqdn):
        """The zone named `fqdn` (404 when unknown)."""
        zone = self._zones.get(fqdn.lower())
        if zone is None:
            raise not_found()
        return zone

    # --- API side: always the newest version -------------------------------
    def rrsets(self, zone, name=None):
        with self._lock:
            found = self._zones[zone.fqdn].latest.rrsets.values()
            return sorted((r for r in found if name is None or r.name == name), key=lambda r: (r.name, r.rtype))

    def get_rrset(self, zone, name, rtype):
        with self._lock:
            rrset = self._zones[zone.fqdn].latest.rrsets.get((name, rtype))
        if rrset is None:
            raise not_found()
        return rrset

    def write_rrset(self, zone, name, rtype, ttl, values, create_only):
        """Create (POST, `create_only`) or replace (PUT) an rrset."""
        rrset = make_rrset(name, rtype, ttl, values, zone.origin)
        with self._lock:
            current = self._zones[zone.fqdn]
            rrsets = dict(current.latest.rrsets)
            if create_only and rrset.key in rrsets:
                raise ApiError(409, "A DNS Record already exists with same value")
            _check_cname_coexistence(rrsets, name, rtype)
            if rrsets.get(rrset.key) == rrset:
                return
            rrsets[rrset.key] = rrset
            current.commit(rrsets, self._clock(), self.propagation_delay)

    def delete_rrset(self, zone, name, rtype):
        with self._lock:
            current = self._zones[zone.fqdn]
            rrsets = dict(current.latest.rrsets)
            if rrsets.pop((name, rtype), None) is None:
                raise not_found()
            current.commit(rrsets, self._clock(), self.propagation_delay)

    # --- DNS side: the visible version --------------------------------------
    def dns_version(self, qname):
        """The visible version of the zone holding `qname`, or None when no zone does."""
        with self._lock:
            candidates = [z for z in self._zones.values() if qname.is_subdomain(z.origin)]
            if not candidates:
                return None
            zone = max(candidates, key=lambda z: len(z.origin))
            return zone.visible(self._clock())

    def dump(self):
        """State of every zone, for the control API."""
        now = self._clock()
        with self._lock:
            return {fqdn: _dump_zone(zone, now) for fqdn, zone in self._zones.items()}


def _dump_zone(zone, now):
    visible = zone.visible(now)
    latest = zone.latest
    return {
        "serial": latest.serial,
        "dns_serial": visible.serial,
        "pending_changes": zone.pending,
        "nameservers": list(zone.nameservers),
        "rrsets": [
            {"rrset_name": r.name, "rrset_type": r.rtype, "rrset_ttl": r.ttl, "rrset_values": list(r.values)}
            for r in sorted(latest.rrsets.values(), key=lambda r: (r.name, r.rtype))
        ],
    }


def _check_cname_coexistence(rrsets, name, rtype):
    others = {t for (n, t) in rrsets if n == name and t != rtype}
    if others and (rtype == "CNAME" or "CNAME" in others):
        raise ApiError(409, "A CNAME record cannot coexist with other records on the same name")
