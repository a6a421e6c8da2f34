# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Arrange and assert lab state for the issue_and_deploy target.

    python labcheck.py CONFIG COMMAND [ARGS...]

CONFIG is ansible-test's integration_config.yml (JSON with the key ``lab``).
Every assertion exits non-zero with a message saying what was found.
"""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import sys

import requests
from cryptography import x509

TIMEOUT = 10


class Lab:
    def __init__(self, config_path):
        with open(config_path) as handle:
            self.facts = json.load(handle)["lab"]
        self.ca_path = self.facts["ca_path"]

    def control(self, emulator, method, path, payload=None):
        response = requests.request(method, self.facts["control"][emulator] + path, json=payload,
                                    verify=self.ca_path, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json() if response.content else None

    def writes(self, emulator):
        return [entry for entry in self.control(emulator, "GET", "/requests")["requests"] if entry.get("write")]

    def dogecloud_state(self):
        return self.control("dogecloud", "GET", "/state")

    def bound_ids(self, domains):
        by_name = {domain["name"]: domain["cert_id"] for domain in self.dogecloud_state()["domains"]}
        return {name: by_name[name] for name in domains}

    def txt_values(self, zone, name):
        zones = self.control("gandi", "GET", "/zones")["zones"]
        for rrset in zones[zone]["rrsets"]:
            if rrset["rrset_name"] == name and rrset["rrset_type"] == "TXT":
                return [value.strip('"') for value in rrset["rrset_values"]]
        return []


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def reset(lab):
    """Empty both emulators (no certificate, no TXT record, no fault, empty logs)."""
    for emulator in ("gandi", "dogecloud"):
        lab.control(emulator, "POST", "/reset")
    lab.control("gandi", "POST", "/config", {"propagation_delay": 0})


def clear_logs(lab):
    for emulator in ("gandi", "dogecloud"):
        lab.control(emulator, "DELETE", "/requests")


def no_writes(lab):
    """No write call on either emulator since the logs were cleared."""
    for emulator in ("gandi", "dogecloud"):
        writes = lab.writes(emulator)
        if writes:
            fail("%s received write calls: %s" % (emulator, ", ".join("%s %s" % (w["method"], w["path"]) for w in writes)))
    print("no write call on Gandi or DogeCloud")


def no_requests(lab):
    """Not a single API call on either emulator since the logs were cleared."""
    for emulator in ("gandi", "dogecloud"):
        entries = lab.control(emulator, "GET", "/requests")["requests"]
        if entries:
            fail("%s received %d call(s), expected none" % (emulator, len(entries)))
    print("no API call at all")


def served_certificate(lab, domain, root_path):
    """The leaf served by the lab edge for ``domain``, verified against ``root_path`` with SNI."""
    host, port = lab.facts["dogecloud_edge"].rsplit(":", 1)
    context = ssl.create_default_context(cafile=root_path)
    try:
        with socket.create_connection((host, int(port)), timeout=TIMEOUT) as raw:
            with context.wrap_socket(raw, server_hostname=domain) as tls:
                return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
    except (OSError, ssl.SSLError) as exc:
        fail("the edge does not serve a certificate for %s that chains to %s: %s" % (domain, root_path, exc))


def bound(lab, root_path, names, *domains):
    """Every domain is bound to one and the same certificate, which covers exactly
    ``names`` (comma-separated) and chains to the root; prints its id."""
    ids = lab.bound_ids(domains)
    if len(set(ids.values())) != 1 or 0 in ids.values():
        fail("expected one certificate bound on %s, found %s" % (", ".join(domains), ids))
    wanted = sorted(names.split(","))
    for domain in domains:
        leaf = served_certificate(lab, domain, root_path)
        sans = sorted(leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName))
        if sans != wanted:
            fail("%s serves a certificate for %s, expected %s" % (domain, sans, wanted))
    print(next(iter(ids.values())))


def bound_id(lab, cert_id, *domains):
    """Every domain is bound to the certificate ``cert_id``."""
    ids = lab.bound_ids(domains)
    if set(ids.values()) != {int(cert_id)}:
        fail("expected certificate %s on %s, found %s" % (cert_id, ", ".join(domains), ids))
    print("certificate %s is bound on %s" % (cert_id, ", ".join(domains)))


def cert_absent(lab, cert_id):
    ids = [cert["id"] for cert in lab.dogecloud_state()["certs"]]
    if int(cert_id) in ids:
        fail("certificate %s is still uploaded (certificates: %s)" % (cert_id, ids))
    print("certificate %s was pruned" % cert_id)


def txt(lab, zone, name, *expected):
    """The TXT rrset holds exactly ``expected`` (none: the rrset is gone)."""
    values = sorted(lab.txt_values(zone, name))
    if values != sorted(expected):
        fail("TXT %s in %s holds %s, expected %s" % (name, zone, values, sorted(expected)))
    print("TXT %s in %s: %s" % (name, zone, values or "no rrset"))


def seed_txt(lab, zone, name, value):
    """Put a value of another writer in an rrset, through the Gandi API with the PAT."""
    url = "%s/domains/%s/records/%s/TXT" % (lab.facts["gandi_api_url"], zone, name)
    response = requests.put(url, json={"rrset_values": [value], "rrset_ttl": 300}, verify=lab.ca_path, timeout=TIMEOUT,
                            headers={"Authorization": "Bearer " + lab.facts["gandi_pat"]})
    response.raise_for_status()


def fault(lab, emulator, kind, count, path):
    lab.control(emulator, "POST", "/faults", {"kind": kind, "count": int(count), "path": path})


def clear_faults(lab):
    for emulator in ("gandi", "dogecloud"):
        lab.control(emulator, "DELETE", "/faults")


def pebble_root(lab, path):
    response = requests.get(lab.facts["pebble_management"] + "/roots/0", verify=lab.ca_path, timeout=TIMEOUT)
    response.raise_for_status()
    with open(path, "w") as handle:
        handle.write(response.text)


# Requests of Pebble's log that change something at the CA (orders, challenge
# answers, finalizations, revocations).
CA_WRITES = re.compile(r"POST /(order-plz|chal|finalize-order|revoke-cert)\b")


def ca_write_count(lab):
    with open(os.path.join(lab.facts["state_dir"], "logs", "pebble-default.log"), errors="replace") as handle:
        return sum(1 for line in handle if CA_WRITES.search(line))


def ca_mark(lab):
    """Print how many write requests Pebble has logged so far."""
    print(ca_write_count(lab))


def no_ca_writes(lab, mark):
    """No order, challenge answer or finalization at the CA since ``mark`` (from ca-mark)."""
    count = ca_write_count(lab)
    if count != int(mark):
        fail("the CA received %d write request(s) (orders, challenge answers, finalizations)" % (count - int(mark)))
    print("no order and no other write at the CA")


def ca_orders_since(lab, mark, expected):
    """Exactly ``expected`` new orders at the CA since ``mark``."""
    with open(os.path.join(lab.facts["state_dir"], "logs", "pebble-default.log"), errors="replace") as handle:
        lines = [line for line in handle if CA_WRITES.search(line)]
    orders = sum(1 for line in lines[int(mark):] if "order-plz" in line)
    if orders != int(expected):
        fail("the CA received %d new order(s), expected %s" % (orders, expected))
    print("%d new order(s) at the CA" % orders)


COMMANDS = {
    "reset": reset, "clear-logs": clear_logs, "no-writes": no_writes, "no-requests": no_requests,
    "bound": bound, "bound-id": bound_id, "cert-absent": cert_absent, "txt": txt, "seed-txt": seed_txt,
    "fault": fault, "clear-faults": clear_faults, "pebble-root": pebble_root,
    "ca-mark": ca_mark, "no-ca-writes": no_ca_writes, "ca-orders-since": ca_orders_since,
}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    COMMANDS[argv[1]](Lab(argv[0]), *argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
