# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print, as JSON, the TXT values one DNS server answers for a name (test helper)."""

from __future__ import annotations

import json
import sys

import dns.flags
import dns.message
import dns.query
import dns.rdatatype


def main(server, name):
    host, port = server.rsplit(":", 1)
    query = dns.message.make_query(name, dns.rdatatype.TXT)
    response = dns.query.udp(query, host, port=int(port), timeout=3)
    if response.flags & dns.flags.TC:
        response = dns.query.tcp(query, host, port=int(port), timeout=3)
    values = sorted(b"".join(rdata.strings).decode() for rrset in response.answer
                    if rrset.rdtype == dns.rdatatype.TXT for rdata in rrset)
    print(json.dumps(values))


if __name__ == "__main__":
    main(*sys.argv[1:3])
