# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark on the lab: what a first run, a no-op run and a DNS publication cost.

    python tests/lab/bench.py          (a DNS-01 publication under a propagation delay)

Starts a private lab, runs the playbook ``certops.acme.issue_and_deploy`` twice
(issue + deploy, then nothing to do), then publishes DNS-01 values with
``certops.acme.gandi_dns_challenge`` under a propagation delay, and prints wall
times, API calls per service (reads/writes, from the emulators' request logs)
and ACME requests (from Pebble's log). It prints figures; it asserts nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from labclient import control, load_lab  # noqa: E402
from playfiles import credential_environment, write_play_files  # noqa: E402

BIN = os.path.dirname(sys.executable)
PROPAGATION_DELAY = 3.0
ACME_REQUEST = re.compile(r"^Pebble \S+ \S+ (GET|POST|HEAD) (\S+) -> calling handler")


class AcmeLog:
    """Counts the ACME requests Pebble logged since the last mark."""

    def __init__(self, path):
        self.path = path
        self.offset = 0

    def mark(self):
        self.offset = os.path.getsize(self.path)

    def since_mark(self):
        with open(self.path, errors="replace") as handle:
            handle.seek(self.offset)
            requests = [m.groups() for m in map(ACME_REQUEST.match, handle) if m]
        return len(requests), sum(1 for _method, path in requests if path.startswith("/order-plz"))


def api_calls(ctl):
    entries = ctl.requests()
    writes = sum(1 for entry in entries if entry.get("write"))
    return "%d/%d" % (len(entries) - writes, writes)


def measured(label, argv, env, controls, acme_log):
    for ctl in controls.values():
        ctl.clear_requests()
    acme_log.mark()
    started = time.monotonic()
    completed = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if completed.returncode != 0:
        sys.stdout.write(completed.stdout[-4000:] + completed.stderr[-2000:])
        raise SystemExit("bench: %s failed" % label)
    acme_requests, orders = acme_log.since_mark()
    row = [label, "%.1f" % seconds, api_calls(controls["gandi"]), api_calls(controls["dogecloud"]),
           str(acme_requests), str(orders)]
    return row, completed.stdout


def publication_args(lab, value):
    return json.dumps({
        "api_url": lab["gandi_api_url"], "ca_path": lab["ca_path"], "nameservers": [lab["gandi_dns"]],
        "challenges": [{"fqdn": "_acme-challenge.bench.example.test", "value": value}],
        "state": "present",
    })


def main():
    work = tempfile.mkdtemp(prefix="certops-bench.")
    os.environ["CERTOPS_LAB_STATE"] = os.path.join(work, "lab")
    lab_command = [sys.executable, os.path.join(HERE, "lab.py")]
    try:
        subprocess.run(lab_command + ["up"], check=True, stdout=subprocess.DEVNULL)
        lab = load_lab()
        paths = write_play_files(lab, work)
        env = dict(os.environ, **credential_environment(lab))
        controls = {name: control(lab, name) for name in ("gandi", "dogecloud")}
        acme_log = AcmeLog(os.path.join(lab["state_dir"], "logs", "pebble-default.log"))
        play = [os.path.join(BIN, "ansible-playbook"), "certops.acme.issue_and_deploy", "-i", paths["inventory.yml"],
                "-e", "@" + paths["lab.json"], "-e", "@" + paths["demo.yml"]]
        rows = [["run", "wall s", "Gandi reads/writes", "DogeCloud reads/writes", "ACME requests", "new orders"]]
        rows.append(measured("first run (issue + deploy + edge check)", play, env, controls, acme_log)[0])
        rows.append(measured("second run (nothing to do)", play, env, controls, acme_log)[0])

        controls["gandi"].config(propagation_delay=PROPAGATION_DELAY)
        publish = [os.path.join(BIN, "ansible"), "localhost", "-i", paths["inventory.yml"], "-o", "-m", "certops.acme.gandi_dns_challenge",
                   "-a", publication_args(lab, "bench-value-1")]
        row, output = measured("DNS-01 publish, %.0f s propagation delay" % PROPAGATION_DELAY,
                               publish, env, controls, acme_log)
        rows.append(row)
        result = json.loads(output.split("=>", 1)[1])
        propagation = result["propagation_seconds"]
    finally:
        subprocess.run(lab_command + ["down"], check=False, stdout=subprocess.DEVNULL)
        # The work directory holds the account key, the lab credentials and the certificates.
        shutil.rmtree(work, ignore_errors=True)

    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print("certops.acme benchmark on the lab (%d cores)" % os.cpu_count())
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
    print("propagation: waited %.2f s for a %.1f s delay (overhead %.2f s)"
          % (propagation, PROPAGATION_DELAY, propagation - PROPAGATION_DELAY))
    return 0


if __name__ == "__main__":
    sys.exit(main())
