# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Authoritative DNS over UDP and TCP for the zones of the emulator."""

import socket
import socketserver
import struct
from dataclasses import dataclass, field

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from .zones import SOA_TIMERS

OUR_UDP_PAYLOAD = 1232
PLAIN_UDP_LIMIT = 512
MAX_CNAME_CHAIN = 8
TCP_IDLE_TIMEOUT = 10.0
_WILDCARD = dns.name.Name((b"*",))


@dataclass
class Answer:
    rcode: int = dns.rcode.NOERROR
    authoritative: bool = True
    answer: list = field(default_factory=list)
    authority: list = field(default_factory=list)


def resolve(version, qname, qtype):
    """Answer `qname`/`qtype` from one visible zone version (RFC 1034 4.3.2, trimmed to one zone)."""
    result = Answer()
    for _link in range(MAX_CNAME_CHAIN):
        cut = _delegation(version, qname)
        if cut is not None:
            result.authoritative = bool(result.answer)  # a referral is not authoritative
            result.authority = [version.nodes[cut][dns.rdatatype.NS]]
            return result
        node = _find_node(version, qname)
        if node is None:
            result.rcode = dns.rcode.NXDOMAIN
        if not node:  # no such name, or an empty non-terminal (NODATA)
            result.authority = [_negative_soa(version)]
            return result
        if qtype == dns.rdatatype.ANY:
            result.answer.extend(_at_owner(rrset, qname) for rrset in node.values())
            return result
        if qtype in node:
            result.answer.append(_at_owner(node[qtype], qname))
            return result
        cname = node.get(dns.rdatatype.CNAME)
        if cname is None:
            result.authority = [_negative_soa(version)]
            return result
        result.answer.append(_at_owner(cname, qname))
        qname = cname[0].target
        if not qname.is_subdomain(version.zone.origin):
            return result
    return result


def _delegation(version, qname):
    """The zone cut (NS rrset below the apex) above or at qname, if any."""
    name = qname
    while name != version.zone.origin and name.is_subdomain(version.zone.origin):
        if dns.rdatatype.NS in version.nodes.get(name, {}):
            return name
        name = name.parent()
    return None


def _find_node(version, qname):
    """The rrsets at qname or at the wildcard that covers it (RFC 4592); None when the name does not exist."""
    if qname in version.nodes:
        return version.nodes[qname]
    if qname in version.existing_names:
        return {}  # an empty non-terminal
    encloser = qname.parent()
    while encloser not in version.existing_names:
        encloser = encloser.parent()
    return version.nodes.get(_WILDCARD.concatenate(encloser))


def _at_owner(rrset, owner):
    if rrset.name == owner:
        return rrset
    return dns.rrset.from_rdata_list(owner, rrset.ttl, list(rrset))


def _negative_soa(version):
    soa = version.soa()
    soa.update_ttl(min(soa.ttl, SOA_TIMERS[3]))
    return soa


def build_response(store, wire):
    """The response to a query in wire format, as a Message, or None to drop it."""
    try:
        query = dns.message.from_wire(wire)
    except dns.exception.DNSException:
        return None
    if query.flags & dns.flags.QR:
        return None
    response = dns.message.make_response(query, our_payload=OUR_UDP_PAYLOAD)
    response.flags &= ~dns.flags.AA
    if query.opcode() != dns.opcode.QUERY:
        response.set_rcode(dns.rcode.NOTIMP)
    elif query.edns > 0:
        response.set_rcode(dns.rcode.BADVERS)
    elif len(query.question) != 1:
        response.set_rcode(dns.rcode.FORMERR)
    else:
        _answer_question(store, query.question[0], response)
    return response


def _answer_question(store, question, response):
    version = store.dns_version(question.name) if question.rdclass == dns.rdataclass.IN else None
    if version is None:
        response.set_rcode(dns.rcode.REFUSED)
        return
    result = resolve(version, question.name, question.rdtype)
    response.set_rcode(result.rcode)
    if result.authoritative:
        response.flags |= dns.flags.AA
    response.answer.extend(result.answer)
    response.authority.extend(result.authority)


def udp_limit(response):
    """Largest UDP answer the client accepts (RFC 6891), read from our response to its query."""
    if response.edns < 0:
        return PLAIN_UDP_LIMIT
    return max(PLAIN_UDP_LIMIT, min(response.request_payload, OUR_UDP_PAYLOAD))


class _UDPHandler(socketserver.BaseRequestHandler):
    def handle(self):
        wire, sock = self.request
        response = build_response(self.server.store, wire)
        if response is not None:
            # Too large: send what fits with TC set, so the client retries over TCP.
            sock.sendto(response.to_wire(max_size=udp_limit(response), prefer_truncation=True), self.client_address)


class _TCPHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(TCP_IDLE_TIMEOUT)
        try:
            while True:
                wire = self._read_message()
                if wire is None:
                    return
                response = build_response(self.server.store, wire)
                if response is None:
                    return
                self.request.sendall(response.to_wire(max_size=65535, prepend_length=True, prefer_truncation=True))
        except OSError:
            return

    def _read_message(self):
        header = self._read_exactly(2)
        if header is None:
            return None
        return self._read_exactly(struct.unpack("!H", header)[0])

    def _read_exactly(self, size):
        chunks, remaining = [], size
        while remaining:
            chunk = self.request.recv(remaining)
            if not chunk:
                return None
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)


class _UDPServer(socketserver.ThreadingUDPServer):
    daemon_threads = True
    allow_reuse_address = True


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    address_family = socket.AF_INET


def make_dns_servers(listen, port, store):
    """A UDP and a TCP server on (listen, port); call serve_forever on each in its own thread."""
    servers = [_UDPServer((listen, port), _UDPHandler), _TCPServer((listen, port), _TCPHandler)]
    for server in servers:
        server.store = store
    return servers
