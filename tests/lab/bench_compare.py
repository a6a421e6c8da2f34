# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark on the lab: certops.acme side by side with certbot, the floor of
ansible-playbook, and the same flow at 20 certificates.

    python tests/lab/bench_compare.py          (make bench)
    BENCH_QUICK=1 make bench                   (skips the 20-certificate part)
    BENCH_KEEP=1 make bench                    (keeps the work directory and its run logs)

Starts a private lab in a temporary work directory (removed at the end) and
measures, on the same Pebble, Gandi emulator and DogeCloud emulator:

- certbot + certbot-dns-gandi (installed from PyPI into their own virtualenv
  under build/bench-certbot/, never into the project's) issuing the
  certificate for example.test, *.example.test and www.example.test, its Gandi
  API base pointed at the emulator (the plugin has no setting for it: this
  file, run as ``python bench_compare.py certbot ARGS`` with certbot's Python,
  replaces the plugin's URL function, then runs certbot's main);
- the playbook certops.acme.issue_and_deploy, cold (issue the same
  certificate and deploy it to 2 CDN domains) and again with nothing to do;
- the floor: ansible-playbook running one ansible.builtin.stat on localhost;
- 20 certificates, one inventory host each: cold with forks 1 and 10, the
  no-op of all 20, and one and 20 certificates under a 10 s emulated DNS
  propagation delay.

Per run: wall time, CPU seconds of the whole process tree (user + system from
wait4(): the run's process and every descendant it waited for), peak RSS of the
module processes (sampled from /proc), ACME requests (Pebble's log) and Gandi
and DogeCloud calls (the emulators' request logs). Prints one table with the
targets and writes bench/results.json.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.dirname(sys.executable)

CERTBOT_REQUIREMENTS = ("certbot==5.8.0", "certbot-dns-gandi==1.6.2")
CERTBOT_VENV = os.path.join(ROOT, "build", "bench-certbot", "venv")
CERTBOT_PROPAGATION_SECONDS = 10  # certbot's default for DNS plugins; certbot-dns-gandi keeps it
NAMES = ["example.test", "*.example.test", "www.example.test"]
SCALE = 20
SCALE_HOSTS = ["b%02d" % number for number in range(1, SCALE + 1)]
SCALE_DELAY = 10
FLOOR_RUNS = 3
SAMPLE_SECONDS = 0.05
RESULTS = os.path.join(ROOT, "bench", "results.json")
ACME_REQUEST = re.compile(r"^Pebble \S+ \S+ (GET|POST|HEAD) (\S+) -> calling handler")
GANDI_URL_VARIABLE = "CERTOPS_BENCH_GANDI_API_URL"

TARGETS = {
    "cold_vs_certbot": 0.7,
    "cold_acme_requests": 17,  # 14 for the flow + 3 names
    "cold_gandi_calls": 10,
    "noop_vs_floor": 2.0,
    "cold_cpu_per_cert": 3.0,
    "noop_cpu_per_cert": 0.5,
    "scale_delay_vs_one": 3.0,
    "scale_noop_dogecloud_reads": 2,
}

FLOOR_PLAY = """\
- name: Floor
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Stat one file
      ansible.builtin.stat:
        path: /
"""


# -- certbot, run through this file with certbot's own Python -------------------------
def certbot_wrapper(args):
    """certbot's main, with certbot-dns-gandi talking to the Gandi API at $CERTOPS_BENCH_GANDI_API_URL."""
    from certbot.main import main as certbot_main
    from certbot_dns_gandi import gandi_api

    base = os.environ[GANDI_URL_VARIABLE].rstrip("/")
    gandi_api._get_url = lambda *segments: "%s/%s" % (base, "/".join(segments))
    return certbot_main(args)


def certbot_python():
    """certbot's virtualenv, made once under build/ with the pinned releases."""
    marker = os.path.join(CERTBOT_VENV, ".installed")
    wanted = "\n".join(CERTBOT_REQUIREMENTS) + "\n"
    try:
        with open(marker) as handle:
            if handle.read() == wanted:
                return os.path.join(CERTBOT_VENV, "bin", "python")
    except FileNotFoundError:
        pass
    print("bench: installing %s into %s" % (" ".join(CERTBOT_REQUIREMENTS), CERTBOT_VENV), flush=True)
    shutil.rmtree(CERTBOT_VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", CERTBOT_VENV], check=True)
    subprocess.run([os.path.join(CERTBOT_VENV, "bin", "pip"), "install", "--quiet"] + list(CERTBOT_REQUIREMENTS),
                   check=True)
    with open(marker, "w") as handle:
        handle.write(wanted)
    return os.path.join(CERTBOT_VENV, "bin", "python")


# -- measuring one run ---------------------------------------------------------
class ModuleMemory(threading.Thread):
    """Peak RSS (VmHWM) of the module and worker processes under one process, sampled from /proc.

    A module process runs an ``AnsiballZ_*`` payload; a worker is a forked
    ``ansible-playbook`` below the run's own process (it runs one task, and a
    module that runs in-process runs in it).
    """

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peaks = {}
        self.worker_peaks = {}
        self.stop = threading.Event()

    @staticmethod
    def _children(pid):
        found = []
        try:
            for task in os.listdir("/proc/%d/task" % pid):
                with open("/proc/%d/task/%s/children" % (pid, task)) as handle:
                    found.extend(int(child) for child in handle.read().split())
        except OSError:
            pass
        return found

    def _sample(self):
        pending, seen = [self.pid], set()
        while pending:
            pid = pending.pop()
            if pid in seen:
                continue
            seen.add(pid)
            pending.extend(self._children(pid))
            try:
                with open("/proc/%d/cmdline" % pid, "rb") as handle:
                    command = handle.read()
                if b"AnsiballZ_" in command:
                    peaks = self.peaks
                elif pid != self.pid and b"ansible-playbook" in command:
                    peaks = self.worker_peaks
                else:
                    continue
                with open("/proc/%d/status" % pid) as handle:
                    for line in handle:
                        if line.startswith("VmHWM:"):
                            kib = int(line.split()[1])
                            peaks[pid] = max(kib, peaks.get(pid, 0))
            except (OSError, ValueError):
                pass

    def run(self):
        while not self.stop.wait(SAMPLE_SECONDS):
            self._sample()

    @staticmethod
    def _peak_mib(peaks):
        return round(max(peaks.values()) / 1024.0, 1) if peaks else None

    def peak_mib(self):
        return self._peak_mib(self.peaks)

    def worker_peak_mib(self):
        return self._peak_mib(self.worker_peaks)


class Lab:
    """The running lab's facts, its emulators' control API and Pebble's log."""

    def __init__(self):
        from labclient import control, load_lab

        self.facts = load_lab()
        self.gandi = control(self.facts, "gandi")
        self.dogecloud = control(self.facts, "dogecloud")
        self.pebble_log = os.path.join(self.facts["state_dir"], "logs", "pebble-default.log")
        self.offset = 0

    def mark(self):
        self.gandi.clear_requests()
        self.dogecloud.clear_requests()
        self.offset = os.path.getsize(self.pebble_log)

    def counts(self):
        with open(self.pebble_log, errors="replace") as handle:
            handle.seek(self.offset)
            acme = [match.groups() for match in map(ACME_REQUEST.match, handle) if match]
        counts = {"acme_requests": len(acme),
                  "acme_new_orders": sum(1 for _method, path in acme if path.startswith("/order-plz"))}
        for name, ctl in (("gandi", self.gandi), ("dogecloud", self.dogecloud)):
            entries = ctl.requests()
            writes = sum(1 for entry in entries if entry.get("write"))
            counts[name + "_reads"] = len(entries) - writes
            counts[name + "_writes"] = writes
        return counts

    def fresh(self, propagation_delay=0):
        """Back to a lab where nothing is deployed and no TXT record is left."""
        self.gandi.reset()
        self.dogecloud.reset()
        if propagation_delay:
            self.gandi.config(propagation_delay=propagation_delay)


def measure(label, argv, env, lab, work, certificates=1):
    """Run ``argv`` once; wall time, CPU of the process tree, memory and API calls."""
    lab.mark()
    log_path = os.path.join(work, "logs", re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") + ".log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    with open(log_path, "wb") as log:
        started = time.monotonic()
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        memory = ModuleMemory(process.pid)
        memory.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        memory.stop.set()
        memory.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        with open(log_path, errors="replace") as handle:
            sys.stdout.write(handle.read()[-6000:])
        raise SystemExit("bench: %s failed (exit %d)" % (label, process.returncode))
    cpu = usage.ru_utime + usage.ru_stime
    result = {
        "run": label,
        "load_1min_after": round(os.getloadavg()[0], 2),
        "certificates": certificates,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "cpu_s_per_cert": round(cpu / certificates, 2),
        "module_peak_rss_mib": memory.peak_mib(),
        "worker_peak_rss_mib": memory.worker_peak_mib(),
        "tree_max_rss_mib": round(usage.ru_maxrss / 1024.0, 1),
    }
    result.update(lab.counts())
    print("bench: %-44s %6.1f s wall  %6.1f s CPU" % (label, wall, cpu), flush=True)
    return result


# -- what the runs need ----------------------------------------------------------
def common_vars(work):
    return {
        "issue_and_deploy_directory": "{{ lab.acme_directory }}",
        "issue_and_deploy_ca_path": "{{ lab.ca_path }}",
        "issue_and_deploy_gandi_api_url": "{{ lab.gandi_api_url }}",
        "issue_and_deploy_dogecloud_api_url": "{{ lab.dogecloud_api_url }}",
        "issue_and_deploy_dns_nameservers": ["{{ lab.gandi_dns }}"],
        "issue_and_deploy_account_key_path": os.path.join(work, "account.key"),
        "issue_and_deploy_contact_email": "demo@example.test",
        "issue_and_deploy_terms_agreed": True,
        "issue_and_deploy_output_dir": os.path.join(work, "certificates"),
        "issue_and_deploy_verify_edge": True,
        "issue_and_deploy_edge_ca_path": os.path.join(work, "pebble-root.pem"),
    }


def write_json(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        json.dump(data, handle, indent=2)
    return path


class Runs:
    """Command lines of every run, each cold run with its own account key and files."""

    def __init__(self, lab, work, root_pem):
        self.lab = lab
        self.work = work
        self.root_pem = root_pem
        self.lab_json = write_json(os.path.join(work, "lab.json"), {"lab": lab.facts})
        self.floor_yml = os.path.join(work, "floor.yml")
        with open(self.floor_yml, "w") as handle:
            handle.write(FLOOR_PLAY)

    def _run_dir(self, name):
        path = os.path.join(self.work, name)
        os.makedirs(path, exist_ok=True)
        shutil.copy(self.root_pem, os.path.join(path, "pebble-root.pem"))
        return path

    def floor(self):
        return [os.path.join(BIN, "ansible-playbook"), self.floor_yml]

    def single(self, name):
        """The demo certificate on cdn.example.test and static.example.test."""
        path = self._run_dir(name)
        edge = self.lab.facts["dogecloud_edge"]
        variables = dict(common_vars(path), issue_and_deploy_hosts="localhost",
                         issue_and_deploy_edge_addresses={"cdn.example.test": edge, "static.example.test": edge},
                         issue_and_deploy_certificates=[{
                             "name": "example", "domains": NAMES,
                             "dogecloud_domains": ["cdn.example.test", "static.example.test"]}])
        vars_file = write_json(os.path.join(path, "vars.json"), variables)
        return [os.path.join(BIN, "ansible-playbook"), "certops.acme.issue_and_deploy",
                "-e", "@" + self.lab_json, "-e", "@" + vars_file]

    def scale(self, name, forks):
        """20 inventory hosts, one certificate each (bNN.example.test on the CDN domain of that name)."""
        path = self._run_dir(name)
        edge = self.lab.facts["dogecloud_edge"]
        hosts = {host: {"issue_and_deploy_certificates": [{
            "name": host, "domains": ["%s.example.test" % host], "dogecloud_domains": ["%s.example.test" % host]}]}
            for host in SCALE_HOSTS}
        # Like implicit localhost: modules run with the controller's Python.
        variables = dict(common_vars(path), ansible_python_interpreter="{{ ansible_playbook_python }}",
                         issue_and_deploy_edge_addresses={"%s.example.test" % host: edge for host in SCALE_HOSTS})
        inventory = write_json(os.path.join(path, "inventory.yml"), {"all": {"hosts": hosts, "vars": variables}})
        return [os.path.join(BIN, "ansible-playbook"), "certops.acme.issue_and_deploy", "-i", inventory,
                "-f", str(forks), "-e", "@" + self.lab_json]

    def certbot(self, python):
        path = self._run_dir("certbot")
        credentials = os.path.join(path, "gandi.ini")
        fd = os.open(credentials, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("dns_gandi_token = %s\n" % self.lab.facts["gandi_pat"])
        argv = [python, os.path.abspath(__file__), "certbot", "certonly", "--non-interactive", "--agree-tos",
                "--email", "demo@example.test", "--server", self.lab.facts["acme_directory"],
                "--config-dir", os.path.join(path, "config"), "--work-dir", os.path.join(path, "work"),
                "--logs-dir", os.path.join(path, "logs"),
                "--authenticator", "dns-gandi", "--dns-gandi-credentials", credentials,
                "--key-type", "ecdsa", "--elliptic-curve", "secp256r1", "--cert-name", "example"]
        for name in NAMES:
            argv += ["-d", name]
        return argv


# -- the table -----------------------------------------------------------------------
def verdict(value, limit):
    if value is None:
        return "not measured"
    return "met" if value <= limit else "NOT met"


def fmt(value, unit=""):
    if value is None:
        return "–"
    if isinstance(value, float):
        return "%.2f%s" % (value, unit) if value < 10 else "%.1f%s" % (value, unit)
    return "%s%s" % (value, unit)


def calls(run, service):
    total = run[service + "_reads"] + run[service + "_writes"]
    return "%d (%d r / %d w)" % (total, run[service + "_reads"], run[service + "_writes"])


def table_rows(runs):
    """Rows of measure, certbot, certops.acme, floor, ratio, target, result."""
    rows = []
    certbot, cold, noop, floor = runs["certbot_cold"], runs["cold"], runs["noop"], runs["floor"]
    sleep = CERTBOT_PROPAGATION_SECONDS
    ratio = cold["wall_s"] / certbot["wall_s"]
    rows.append(["cold run, wall s (certbot: includes its %d s sleep)" % sleep, fmt(certbot["wall_s"]),
                 fmt(cold["wall_s"]), "", "%.2f× certbot" % ratio, "≤ %.1f× certbot" % TARGETS["cold_vs_certbot"],
                 verdict(ratio, TARGETS["cold_vs_certbot"])])
    rows.append(["cold run, wall s less certbot's %d s sleep" % sleep, fmt(certbot["wall_s"] - sleep),
                 fmt(cold["wall_s"]), "", "%.2f× certbot" % (cold["wall_s"] / (certbot["wall_s"] - sleep)),
                 "(for information)", ""])
    rows.append(["cold run, ACME requests", fmt(certbot["acme_requests"]), fmt(cold["acme_requests"]), "",
                 "", "≤ %d" % TARGETS["cold_acme_requests"],
                 verdict(cold["acme_requests"], TARGETS["cold_acme_requests"])])
    gandi_total = cold["gandi_reads"] + cold["gandi_writes"]
    rows.append(["cold run, Gandi API calls", calls(certbot, "gandi"), calls(cold, "gandi"), "", "",
                 "≤ %d" % TARGETS["cold_gandi_calls"], verdict(gandi_total, TARGETS["cold_gandi_calls"])])
    rows.append(["cold run, DogeCloud API calls (certbot does not deploy)", "–", calls(cold, "dogecloud"), "", "",
                 "", ""])
    # The CPU targets are per certificate at 20 certificates (below); one certificate carries the
    # whole fixed cost of ansible-playbook (the floor column), so it is shown for information.
    rows.append(["cold run, CPU s (one certificate)", fmt(certbot["cpu_s_per_cert"]), fmt(cold["cpu_s_per_cert"]),
                 fmt(floor["cpu_s"]), "", "(for information; target at 20 certs)", ""])
    rows.append(["cold run, peak RSS MiB: module process / worker / whole tree",
                 "– / – / %s" % fmt(certbot["tree_max_rss_mib"]),
                 "%s / %s / %s" % (fmt(cold["module_peak_rss_mib"]), fmt(cold.get("worker_peak_rss_mib")),
                                   fmt(cold["tree_max_rss_mib"])),
                 "%s / %s / %s" % (fmt(floor["module_peak_rss_mib"]), fmt(floor.get("worker_peak_rss_mib")),
                                   fmt(floor["tree_max_rss_mib"])), "", "", ""])
    noop_ratio = noop["wall_s"] / floor["wall_s"]
    rows.append(["no-op run, wall s", "", fmt(noop["wall_s"]), fmt(floor["wall_s"]), "%.2f× floor" % noop_ratio,
                 "≤ %.1f× floor" % TARGETS["noop_vs_floor"], verdict(noop_ratio, TARGETS["noop_vs_floor"])])
    rows.append(["no-op run, CPU s (one certificate)", "", fmt(noop["cpu_s_per_cert"]), fmt(floor["cpu_s"]), "",
                 "(for information; target at 20 certs)", ""])
    rows.append(["no-op run, calls ACME / Gandi / DogeCloud", "",
                 "%d / %d / %d" % (noop["acme_requests"], noop["gandi_reads"] + noop["gandi_writes"],
                                   noop["dogecloud_reads"] + noop["dogecloud_writes"]), "", "", "", ""])
    if "scale_cold_f1" not in runs:
        rows.append(["20 certificates", "", "skipped (BENCH_QUICK)", "", "", "", ""])
        return rows
    f1, f10, snoop = runs["scale_cold_f1"], runs["scale_cold_f10"], runs["scale_noop"]
    rows.append(["20 certs cold, forks 1: wall s; CPU s per cert", "",
                 "%s; %s" % (fmt(f1["wall_s"]), fmt(f1["cpu_s_per_cert"])), "", "", "≤ 3 s CPU per cert",
                 verdict(f1["cpu_s_per_cert"], TARGETS["cold_cpu_per_cert"])])
    rows.append(["20 certs cold, forks 10: wall s; CPU s per cert", "",
                 "%s; %s" % (fmt(f10["wall_s"]), fmt(f10["cpu_s_per_cert"])), "",
                 "%.2f× forks 1" % (f10["wall_s"] / f1["wall_s"]), "≤ 3 s CPU per cert",
                 verdict(f10["cpu_s_per_cert"], TARGETS["cold_cpu_per_cert"])])
    rows.append(["20 certs cold, forks 10: ACME / Gandi / DogeCloud calls", "",
                 "%d / %d / %d" % (f10["acme_requests"], f10["gandi_reads"] + f10["gandi_writes"],
                                   f10["dogecloud_reads"] + f10["dogecloud_writes"]), "", "", "", ""])
    rows.append(["20 certs no-op, forks 10: wall s; CPU s per cert", "",
                 "%s; %s" % (fmt(snoop["wall_s"]), fmt(snoop["cpu_s_per_cert"])), fmt(floor["wall_s"]),
                 "%.2f× floor" % (snoop["wall_s"] / floor["wall_s"]), "≤ 0.5 s CPU per cert",
                 verdict(snoop["cpu_s_per_cert"], TARGETS["noop_cpu_per_cert"])])
    rows.append(["20 certs no-op: DogeCloud reads in total", "", fmt(snoop["dogecloud_reads"]), "", "",
                 "≤ %d" % TARGETS["scale_noop_dogecloud_reads"],
                 verdict(snoop["dogecloud_reads"], TARGETS["scale_noop_dogecloud_reads"])])
    if "delay_one" in runs:
        one, many = runs["delay_one"], runs["delay_scale_f10"]
        delay_ratio = many["wall_s"] / one["wall_s"]
        rows.append(["%d s propagation delay: 1 cert, then 20 certs forks 10, wall s" % SCALE_DELAY, "",
                     "%s, then %s" % (fmt(one["wall_s"]), fmt(many["wall_s"])), "", "%.2f× one" % delay_ratio,
                     "≤ %.0f× one" % TARGETS["scale_delay_vs_one"],
                     verdict(delay_ratio, TARGETS["scale_delay_vs_one"])])
    return rows


def render(rows, markdown=False):
    header = ["measure", "certbot", "certops.acme", "floor", "ratio", "target", "result"]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in [header] + rows)


# -- main ----------------------------------------------------------------------
def run_all(lab, work, quick):
    import requests

    root = requests.get(lab.facts["pebble_management"] + "/roots/0", verify=lab.facts["ca_path"], timeout=10)
    root.raise_for_status()
    root_pem = os.path.join(work, "pebble-root.pem")
    with open(root_pem, "w") as handle:
        handle.write(root.text)
    plan = Runs(lab, work, root_pem)
    env = dict(os.environ, GANDI_PERSONAL_ACCESS_TOKEN=lab.facts["gandi_pat"],
               DOGECLOUD_ACCESS_KEY=lab.facts["dogecloud_access_key"],
               DOGECLOUD_SECRET_KEY=lab.facts["dogecloud_secret_key"], ANSIBLE_NOCOLOR="1")
    certbot_env = dict(os.environ, REQUESTS_CA_BUNDLE=lab.facts["ca_path"],
                       **{GANDI_URL_VARIABLE: lab.facts["gandi_api_url"]})
    python = certbot_python()
    runs = {}

    floors = [measure("floor %d: ansible-playbook, one stat" % (number + 1), plan.floor(), env, lab, work)
              for number in range(FLOOR_RUNS)]
    runs["floor_runs"] = floors
    runs["floor"] = sorted(floors, key=lambda run: run["wall_s"])[len(floors) // 2]  # the median run
    lab.fresh()
    runs["certbot_cold"] = measure("certbot cold", plan.certbot(python), certbot_env, lab, work)
    lab.fresh()
    runs["cold"] = measure("certops.acme cold", plan.single("single"), env, lab, work)
    runs["noop"] = measure("certops.acme no-op", plan.single("single"), env, lab, work)
    if quick:
        return runs
    lab.fresh()
    runs["scale_cold_f1"] = measure("20 certs cold, forks 1", plan.scale("scale-f1", 1), env, lab, work, SCALE)
    lab.fresh()
    runs["scale_cold_f10"] = measure("20 certs cold, forks 10", plan.scale("scale-f10", 10), env, lab, work, SCALE)
    runs["scale_noop"] = measure("20 certs no-op, forks 10", plan.scale("scale-f10", 10), env, lab, work, SCALE)
    lab.fresh(SCALE_DELAY)
    runs["delay_one"] = measure("1 cert cold, %d s delay" % SCALE_DELAY, plan.single("delay-one"), env, lab, work)
    lab.fresh(SCALE_DELAY)
    runs["delay_scale_f10"] = measure("20 certs cold, forks 10, %d s delay" % SCALE_DELAY,
                                      plan.scale("delay-f10", 10), env, lab, work, SCALE)
    return runs


def main():
    sys.path.insert(0, HERE)
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    work = tempfile.mkdtemp(prefix="certops-bench.")
    # Pebble refuses 5 % of nonces at random by default: each refusal adds a request and certbot
    # gives up on some, so the benchmark's Pebble refuses none (the nonce_reject variant of the lab
    # is where refusals are tested).
    lab_env = dict(os.environ, CERTOPS_LAB_STATE=os.path.join(work, "lab"),
                   LAB_DOGECLOUD_EXTRA_DOMAINS=" ".join("%s.example.test" % host for host in SCALE_HOSTS),
                   LAB_PEBBLE_ENV=("%s PEBBLE_WFE_NONCEREJECT=0" % os.environ.get("LAB_PEBBLE_ENV", "")).strip())
    os.environ["CERTOPS_LAB_STATE"] = lab_env["CERTOPS_LAB_STATE"]
    lab_command = [sys.executable, os.path.join(HERE, "lab.py")]
    started = time.monotonic()
    try:
        subprocess.run(lab_command + ["up"], check=True, stdout=subprocess.DEVNULL, env=lab_env)
        try:
            runs = run_all(Lab(), work, quick)
        finally:
            subprocess.run(lab_command + ["down"], check=False, stdout=subprocess.DEVNULL, env=lab_env)
    finally:
        if os.environ.get("BENCH_KEEP", "") not in ("", "0"):
            print("bench: kept the work directory %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)

    rows = table_rows(runs)
    loads = [run["load_1min_after"] for key, run in runs.items() if key != "floor_runs"]
    heading = ("certops.acme vs certbot on the lab, %s, %d cores, Python %s, %.0f s in all, "
               "1-min load average %.1f to %.1f" % (
                   datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), os.cpu_count(),
                   platform.python_version(), time.monotonic() - started, min(loads), max(loads)))
    notes = [
        "certbot %s + certbot-dns-gandi %s, --dns-gandi-propagation-seconds left at its default (%d s sleep)"
        % (CERTBOT_REQUIREMENTS[0].split("==")[1], CERTBOT_REQUIREMENTS[1].split("==")[1],
           CERTBOT_PROPAGATION_SECONDS),
        "floor: median of %d runs; CPU s = user + system of the whole process tree (wait4)" % FLOOR_RUNS,
        "peak RSS: module process = largest VmHWM of an AnsiballZ process, worker = of a forked ansible-playbook "
        "worker (where in-process modules run), sampled every %d ms; whole tree = "
        "ru_maxrss from wait4 (the largest single process, usually ansible-playbook itself)"
        % (SAMPLE_SECONDS * 1000),
    ]
    print()
    print(heading)
    print(render(rows))
    for note in notes:
        print("  " + note)
    write_json(RESULTS, {"heading": heading, "notes": notes, "targets": TARGETS, "runs": runs,
                         "table": rows, "markdown": render(rows, markdown=True)})
    print("bench: wrote %s" % os.path.relpath(RESULTS, ROOT))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "certbot":
        sys.exit(certbot_wrapper(sys.argv[2:]))
    sys.exit(main())
