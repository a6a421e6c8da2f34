# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Arrange and check the emulators for the provider_conformance target.

    python switches.py CONFIG COMMAND [ARGS...]

Commands: env (shell exports of the lab credentials), reset, config KEY=VALUE... (DogeCloud),
gandi-config KEY=VALUE... (Gandi),
clear-logs, no-writes, writes-include PATH..., certs DIR (throw-away certificates).
CONFIG is ansible-test's integration_config.yml (JSON with the key ``lab``).
"""

from __future__ import annotations

import datetime
import json
import os
import shlex
import sys

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

TIMEOUT = 10
# name -> SANs; "site" and "shop" share cdn.example.test, the *0 ones are their older certificates.
CERTIFICATES = {
    "site0": ["cdn.example.test", "static.example.test"], "site1": ["cdn.example.test", "static.example.test"],
    "shop0": ["cdn.example.test"], "shop1": ["cdn.example.test"],
}


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


class Lab:
    def __init__(self, config_path):
        with open(config_path) as handle:
            self.facts = json.load(handle)["lab"]

    def control(self, emulator, method, path, payload=None):
        response = requests.request(method, self.facts["control"][emulator] + path, json=payload,
                                    verify=self.facts["ca_path"], timeout=TIMEOUT)
        response.raise_for_status()
        return response.json() if response.content else None

    def dogecloud_writes(self):
        return [e for e in self.control("dogecloud", "GET", "/requests")["requests"] if e.get("write")]


def env(lab):
    for name, key in (("GANDI_PERSONAL_ACCESS_TOKEN", "gandi_pat"), ("DOGECLOUD_ACCESS_KEY", "dogecloud_access_key"),
                      ("DOGECLOUD_SECRET_KEY", "dogecloud_secret_key")):
        print("export %s=%s" % (name, shlex.quote(lab.facts[key])))


def reset(lab):
    for emulator in ("gandi", "dogecloud"):
        lab.control(emulator, "POST", "/reset")


def _switches(lab, emulator, pairs):
    values = {}
    for pair in pairs:
        key, value = pair.split("=", 1)
        values[key] = int(value) if value.isdigit() else value
    print("%s switches: %s" % (emulator, lab.control(emulator, "POST", "/config", values)))


def config(lab, *pairs):
    _switches(lab, "dogecloud", pairs)


def gandi_config(lab, *pairs):
    _switches(lab, "gandi", pairs)


def clear_logs(lab):
    for emulator in ("gandi", "dogecloud"):
        lab.control(emulator, "DELETE", "/requests")


def no_writes(lab):
    """No write call on either emulator since the logs were cleared (counted from the request logs)."""
    for emulator in ("gandi", "dogecloud"):
        writes = [e for e in lab.control(emulator, "GET", "/requests")["requests"] if e.get("write")]
        if writes:
            listed = ", ".join("%s %s" % (w["method"], w["path"]) for w in writes)
            fail("%s received %d write call(s): %s" % (emulator, len(writes), listed))
    print("0 write calls on Gandi and DogeCloud")


def writes_include(lab, *paths):
    seen = [entry["path"] for entry in lab.dogecloud_writes()]
    missing = [path for path in paths if path not in seen]
    if missing:
        fail("DogeCloud received no %s (writes: %s)" % (", ".join(missing), seen))
    print("DogeCloud writes: %s" % seen)


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _sign(subject, key, issuer, issuer_key, sans=None, ca=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                              critical=False))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def certs(lab, directory):
    """DIR/NAME.pem (leaf + intermediate) and DIR/NAME.key for every name of CERTIFICATES."""
    os.makedirs(directory, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _sign("conformance intermediate", ca_key, "conformance intermediate", ca_key, ca=True)
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    for name, sans in CERTIFICATES.items():
        key = ec.generate_private_key(ec.SECP256R1())
        leaf = _sign(sans[0], key, "conformance intermediate", ca_key, sans=sans)
        with open(os.path.join(directory, name + ".pem"), "wb") as handle:
            handle.write(leaf.public_bytes(serialization.Encoding.PEM) + ca_pem)
        fd = os.open(os.path.join(directory, name + ".key"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))


COMMANDS = {"env": env, "reset": reset, "config": config, "gandi-config": gandi_config, "clear-logs": clear_logs, "no-writes": no_writes,
            "writes-include": writes_include, "certs": certs}

if __name__ == "__main__":
    COMMANDS[sys.argv[2]](Lab(sys.argv[1]), *sys.argv[3:])
