# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wait until every authoritative name server answers every published TXT value.

Each server is asked directly (UDP, TCP when the answer is truncated), never a
recursive resolver whose negative cache would hide a fresh record. Rounds are
spaced by a short interval against a deadline from an injected clock, so the
wait ends as soon as the last server has the last value.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import traceback
from typing import TYPE_CHECKING, Any

from ansible_collections.certops.acme.plugins.module_utils.address import join_host_port, split_host_port
from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError, TimeoutExpired
from ansible_collections.certops.acme.plugins.module_utils.polling import Poll

try:
    import dns.exception
    import dns.flags
    import dns.message
    import dns.query
    import dns.rcode
    import dns.rdatatype
except ImportError:
    HAS_DNSPYTHON = False
    DNSPYTHON_IMPORT_ERROR: str | None = traceback.format_exc()
else:
    HAS_DNSPYTHON = True
    DNSPYTHON_IMPORT_ERROR = None

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from ansible_collections.certops.acme.plugins.module_utils.clock import Clock, Deadline

DNS_PORT = 53
QUERY_TIMEOUT = 2.0
MIN_QUERY_TIMEOUT = 0.2
NAMESERVER = "IP[:port], for example 192.0.2.53 or 192.0.2.53:5353 (an IPv6 address with a port as [addr]:port)"


@dataclasses.dataclass(frozen=True)
class Server:
    address: str
    port: int = DNS_PORT
    name: str = ""

    def __str__(self) -> str:
        where = join_host_port(self.address, self.port)
        return "%s (%s)" % (self.name, where) if self.name and self.name != self.address else where


def parse_nameserver(text: object, option: str = "nameservers") -> Server:
    """``IP``, ``IP:port``, ``[IPv6]:port`` or a bare IPv6 address -> :class:`Server`."""
    host, port = split_host_port(text, DNS_PORT, option, NAMESERVER)
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        raise InvalidInputError(option, "%r is not %s" % (str(text).strip(), NAMESERVER)) from None
    return Server(address, port)


def resolve_nameserver(hostname: str, getaddrinfo: Callable[..., Any] = socket.getaddrinfo) -> Server | None:
    """The server behind a name server host name (an IPv4 address preferred).

    An IP literal is used as is. ``None`` when the name does not resolve.
    """
    try:
        return Server(str(ipaddress.ip_address(hostname)), DNS_PORT, hostname)
    except ValueError:
        pass
    try:
        infos = getaddrinfo(hostname, DNS_PORT, 0, socket.SOCK_DGRAM)
    except (socket.gaierror, UnicodeError, OSError):
        return None
    addresses = [info[4][0] for info in infos]
    ipv4 = [address for address in addresses if ":" not in address]
    chosen = (ipv4 or addresses or [None])[0]
    return Server(chosen, DNS_PORT, hostname) if chosen else None


def query_txt(server: Server, fqdn: str, timeout: float) -> set[str]:
    """The TXT values (strings of one record joined) ``server`` answers for ``fqdn``.

    Raises :class:`LookupError` with a reason when the server gives no usable answer.
    """
    query = dns.message.make_query(fqdn.rstrip(".") + ".", dns.rdatatype.TXT)
    query.flags &= ~dns.flags.RD
    try:
        response = dns.query.udp(query, server.address, timeout=timeout, port=server.port)
        if response.flags & dns.flags.TC:
            response = dns.query.tcp(query, server.address, timeout=timeout, port=server.port)
    except dns.exception.Timeout:
        raise LookupError("no answer within %.1f s" % timeout) from None
    except (OSError, dns.exception.DNSException) as exc:
        raise LookupError("query failed: %s" % (exc or type(exc).__name__)) from None
    rcode = response.rcode()
    if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        raise LookupError("answered %s" % dns.rcode.to_text(rcode))
    values = set()
    for rrset in response.answer:
        if rrset.rdtype == dns.rdatatype.TXT:
            for rdata in rrset:
                values.add(b"".join(rdata.strings).decode("utf-8", errors="replace"))
    return values


@dataclasses.dataclass
class Check:
    """One server that must answer ``values`` for ``fqdn``."""

    server: Server
    fqdn: str
    values: frozenset[str]
    missing: frozenset[str] | None = None
    problem: str | None = None

    def describe(self) -> str:
        reason = " (last query: %s)" % self.problem if self.problem else ""
        return "%s lacks %s for %s%s" % (self.server, ", ".join(sorted(self.missing or self.values)), self.fqdn,
                                         reason)


def build_checks(servers: Iterable[Server], wanted: Mapping[str, Iterable[str]]) -> list[Check]:
    """A :class:`Check` per server and name: ``wanted`` is ``{fqdn: values}`` (unquoted)."""
    return [Check(server, fqdn, frozenset(values)) for server in servers for fqdn, values in sorted(wanted.items())]


def _run_round(checks: Sequence[Check], query: Callable[[Server, str, float], set[str]], deadline: Deadline) -> list[Check]:
    """Query every pending check once, within the deadline; return the ones still missing something."""
    pending: list[Check] = []
    for position, check in enumerate(checks):
        if position and deadline.expired():
            pending.extend(checks[position:])
            break
        try:
            answered = query(check.server, check.fqdn, max(MIN_QUERY_TIMEOUT, min(QUERY_TIMEOUT, deadline.remaining())))
            check.problem = None
        except LookupError as exc:
            answered = set()
            check.problem = str(exc)
        check.missing = check.values - answered
        if check.missing:
            pending.append(check)
    return pending


def wait_for_propagation(checks: Iterable[Check], timeout: float, interval: float, clock: Clock | None = None,
                         query: Callable[[Server, str, float], set[str]] | None = None) -> float:
    """Poll until every check is satisfied; return the seconds it took.

    Raises :class:`TimeoutExpired` naming each server and the values it lacks.
    """
    query = query or query_txt
    poll = Poll(timeout, interval, clock)
    pending = list(checks)
    for _round in poll:
        pending = _run_round(pending, query, poll.deadline)
        if not pending:
            return round(poll.elapsed(), 3)
    raise TimeoutExpired(
        "the TXT values did not reach every authoritative name server within %s seconds: %s. Raise "
        "propagation_timeout if the servers are slow, or set nameservers if these are not the zone's "
        "authoritative servers" % (_seconds(timeout), "; ".join(check.describe() for check in pending)),
        missing=[dict(server=str(check.server), fqdn=check.fqdn, values=sorted(check.missing or check.values),
                      problem=check.problem) for check in pending])


def _seconds(value: float) -> str:
    return ("%.3f" % value).rstrip("0").rstrip(".")
