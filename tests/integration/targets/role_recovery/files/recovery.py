# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waits and assertions of the role_recovery target, on top of the
issue_and_deploy target's labcheck.py (imported, not copied).

    python recovery.py CONFIG COMMAND [ARGS...]
"""

from __future__ import annotations

import os
import stat
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "issue_and_deploy", "files"))

import labcheck  # noqa: E402  (the lab helpers of the issue_and_deploy target)
from labcheck import Lab, fail  # noqa: E402

LEDGER = "certops-acme-ledger;"
NOTE_PREFIX = "certops-"
WAIT = 120


def ours(values):
    """Our values in an rrset: the ledger values and the values they vouch for
    (everything else was seeded by the test as foreign)."""
    return [value for value in values if value.startswith(LEDGER)]


def wait_txt_ours(lab, zone, name, pid):
    """Wait until the rrset holds a value with our ledger (the run ``pid`` published)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if ours(lab.txt_values(zone, name)):
            print("our TXT value is in %s %s: %s" % (zone, name, lab.txt_values(zone, name)))
            return
        if not alive(pid):
            fail("the run ended before it published a TXT value")
        time.sleep(0.05)
    fail("no TXT value of ours appeared in %s %s" % (zone, name))


def chal_count(lab):
    with open(os.path.join(lab.facts["state_dir"], "logs", "pebble-default.log"), errors="replace") as handle:
        return sum(1 for line in handle if "POST /chal" in line)


def chal_mark(lab):
    print(chal_count(lab))


def no_chal_since(lab, mark):
    """No challenge answer in Pebble's log since ``mark`` (from chal-mark)."""
    if chal_count(lab) != int(mark):
        fail("%d challenge answer(s) reached the CA" % (chal_count(lab) - int(mark)))
    print("no challenge answer reached the CA")


def gandi_delay(lab, seconds):
    """Values written through the API reach the emulator's name server ``seconds`` later."""
    lab.control("gandi", "POST", "/config", {"propagation_delay": float(seconds)})


def wait_chal(lab, mark, pid):
    """Wait until Pebble logs a challenge answer after ``mark`` (from chal-mark)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if chal_count(lab) > int(mark):
            print("the challenge was answered at the CA")
            return
        if not alive(pid):
            fail("the run ended before it answered a challenge")
        time.sleep(0.02)
    fail("no challenge answer in Pebble's log")


def uploads(lab, name):
    return [cert for cert in lab.dogecloud_state()["certs"]
            if (cert.get("note") or "").startswith(NOTE_PREFIX + name + ";")]


def txt_ours_count(lab, zone, name):
    """Print how many ledger values of ours the rrset holds."""
    print(len(ours(lab.txt_values(zone, name))))


def upload_ids(lab, name):
    """Print the ids of our uploads of certificate ``name`` (space-separated)."""
    print(" ".join(str(cert["id"]) for cert in uploads(lab, name)))


def wait_upload(lab, name, pid):
    """Wait until an upload of certificate ``name`` is on DogeCloud; prints its id."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = uploads(lab, name)
        if found:
            print(found[0]["id"])
            return
        if not alive(pid):
            fail("the run ended before it uploaded")
        time.sleep(0.05)
    fail("no upload of %s appeared on DogeCloud" % name)


def no_unbound_uploads(lab, name, grace):
    """No upload of ours for ``name`` that no domain uses and that is older than ``grace`` seconds."""
    bound = {domain["cert_id"] for domain in lab.dogecloud_state()["domains"]}
    now = time.time()
    old = []
    for cert in uploads(lab, name):
        fields = dict(part.split("=", 1) for part in cert["note"].split(";")[1:] if "=" in part)
        if cert["id"] not in bound and now - int(fields.get("t", now)) > float(grace):
            old.append(cert["id"])
    if old:
        fail("unbound uploads of %s older than %s s are left: %s" % (name, grace, old))
    print("no unbound upload of %s older than %s s (uploads: %s, bound: %s)"
          % (name, grace, [cert["id"] for cert in uploads(lab, name)], sorted(bound)))


def key_files(root):
    """Files under ``root`` that hold a PEM private key."""
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            try:
                with open(path, "rb") as handle:
                    if b"PRIVATE KEY-----" in handle.read(1 << 20):
                        found.append(path)
            except OSError:
                continue
    return found


def no_keys(_lab, *roots):
    """No private key anywhere under ``roots``."""
    for root in roots:
        found = key_files(root)
        if found:
            fail("private keys left under %s: %s" % (root, found))
        print("no private key under %s" % root)


def keys_only_in_workdir(_lab, tmp, cert_name, *others):
    """Every private key under ``tmp`` (the killed run's TMPDIR) sits in a 0700
    work directory issue_and_deploy.<cert_name>.*; none under ``others``; at least one."""
    found = key_files(tmp)
    if not found:
        fail("the killed run left no key under %s (expected one in its work directory)" % tmp)
    for path in found:
        top = os.path.relpath(path, tmp).split(os.sep)[0]
        workdir = os.path.join(tmp, top)
        mode = stat.S_IMODE(os.stat(workdir).st_mode)
        if not top.startswith("issue_and_deploy.%s." % cert_name) or mode != 0o700:
            fail("a private key outside a 0700 work directory: %s (directory %s, mode %o)" % (path, workdir, mode))
        print("killed run's key %s is inside %s (mode %o)" % (path, workdir, mode))
    no_keys(_lab, *others)


def write_fault(lab, emulator, kind, count, path, *methods):
    """Queue ``count`` faults for each of ``methods`` on calls whose path contains ``path``."""
    for method in methods:
        lab.control(emulator, "POST", "/faults", {"kind": kind, "count": int(count), "path": path, "method": method})


def alive(pid):
    try:
        os.kill(int(pid), 0)
    except OSError:
        return False
    with open("/proc/%d/stat" % int(pid)) as handle:
        return handle.read().split(")")[-1].split()[0] != "Z"


COMMANDS = {
    "wait-txt-ours": wait_txt_ours, "txt-ours-count": txt_ours_count, "gandi-delay": gandi_delay,
    "chal-mark": chal_mark, "no-chal-since": no_chal_since, "wait-chal": wait_chal, "upload-ids": upload_ids,
    "wait-upload": wait_upload, "no-unbound-uploads": no_unbound_uploads, "no-keys": no_keys,
    "keys-only-in-workdir": keys_only_in_workdir, "write-fault": write_fault,
}


def main(argv):
    if len(argv) >= 2 and argv[1] in labcheck.COMMANDS:
        return labcheck.main(argv)
    if len(argv) < 2 or argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    COMMANDS[argv[1]](Lab(argv[0]), *argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
