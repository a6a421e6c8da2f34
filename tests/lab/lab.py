# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start, inspect and stop the local lab: Pebble instances, the ARI stand-in in
front of the default one, the Gandi LiveDNS emulator and the DogeCloud
emulator, on loopback only, trusting one lab CA.

    python tests/lab/lab.py up | down | status | integration-config PATH

State (keys, configs, logs, pids, lab.json) lives in ``tests/lab/.state`` or in
``$CERTOPS_LAB_STATE``. Ports default to free ones; ``LAB_<PART>_PORT``
variables pin them (see docs/lab.md).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from labca import make_lab_ca  # noqa: E402

LOOPBACK = "127.0.0.1"
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
PEBBLE = os.environ.get("LAB_PEBBLE_BINARY", "/usr/bin/pebble")

# Pebble instances: the default one plus variants that tests select by name.
PEBBLE_VARIANTS = {
    "default": {"env": {}},
    "eab": {"env": {}, "eab": True},
    "nonce_reject": {"env": {"PEBBLE_WFE_NONCEREJECT": "30"}},
    "alternate_roots": {"env": {"PEBBLE_ALTERNATE_ROOTS": "1"}},
}
ZONES = ["example.test", "other.test"]
CDN_DOMAINS = ["cdn.example.test", "static.example.test", "img.other.test", "old.example.test"]


def state_dir():
    return os.path.abspath(os.environ.get("CERTOPS_LAB_STATE") or os.path.join(HERE, ".state"))


def _path(*parts):
    return os.path.join(state_dir(), *parts)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def port(name):
    """``LAB_<NAME>_PORT`` when set, else a free port."""
    value = os.environ.get("LAB_%s_PORT" % name.upper())
    return int(value) if value else free_port()


def _random_key(length, alphabet=string.ascii_lowercase + string.digits):
    return "".join(secrets.choice(alphabet) for _position in range(length))


def _write_json(path, data, mode=0o600):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.write("\n")


def _read_json(path):
    with open(path) as handle:
        return json.load(handle)


def _pids():
    try:
        return _read_json(_path("pids.json"))
    except FileNotFoundError:
        return {}


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().split()[2] != "Z"
    except OSError:
        return True


def _spawn(name, argv, env=None):
    """Start one part in its own process group, output to logs/<name>.log."""
    log = open(_path("logs", name + ".log"), "ab")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               env=dict(os.environ, **(env or {})), start_new_session=True,
                               cwd=state_dir())
    log.close()
    pids = _pids()
    pids[name] = process.pid
    _write_json(_path("pids.json"), pids, 0o644)
    return process


def _wait_ready(name, url, ca_path):
    deadline = time.monotonic() + READY_TIMEOUT
    last = None
    while time.monotonic() < deadline:
        pid = _pids().get(name)
        if pid and not _alive(pid):
            break
        try:
            if requests.get(url, verify=ca_path, timeout=2).status_code == 200:
                return
            last = "HTTP status not 200"
        except requests.RequestException as exc:
            last = str(exc)
        time.sleep(0.1)
    log_tail = ""
    try:
        with open(_path("logs", name + ".log"), errors="replace") as handle:
            log_tail = "".join(handle.readlines()[-20:])
    except OSError:
        pass
    raise SystemExit("lab: %s did not become ready at %s (%s)\n%s" % (name, url, last, log_tail))


def _pebble_env(variant):
    env = {"PEBBLE_VA_NOSLEEP": "1"}
    env.update(variant["env"])
    if variant is PEBBLE_VARIANTS["default"]:
        # Extra switches for the default instance, e.g. LAB_PEBBLE_ENV="PEBBLE_AUTHZREUSE=0"
        for item in os.environ.get("LAB_PEBBLE_ENV", "").split():
            key, _sep, value = item.partition("=")
            env[key] = value
    return env


def _start_pebble(name, variant, tls, dns_address):
    acme_port, management_port = port("pebble_%s" % name), port("pebble_%s_management" % name)
    config = {
        "listenAddress": "%s:%d" % (LOOPBACK, acme_port),
        "managementListenAddress": "%s:%d" % (LOOPBACK, management_port),
        "certificate": tls["tls.pem"],
        "privateKey": tls["tls.key"],
        "httpPort": free_port(),
        "tlsPort": free_port(),
        "ocspResponderURL": "",
        "externalAccountBindingRequired": bool(variant.get("eab")),
    }
    facts = {}
    if variant.get("eab"):
        kid = "lab-kid-1"
        hmac_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode("ascii")
        config["externalAccountMACKeys"] = {kid: hmac_key}
        facts.update(eab_kid=kid, eab_hmac_key=hmac_key)
    config_path = _path("pebble-%s.json" % name)
    _write_json(config_path, {"pebble": config})
    process_name = "pebble-%s" % name
    _spawn(process_name, [PEBBLE, "-config", config_path, "-dnsserver", dns_address], _pebble_env(variant))
    facts.update(
        acme_directory="https://%s:%d/dir" % (LOOPBACK, acme_port),
        pebble_management="https://%s:%d" % (LOOPBACK, management_port),
        env=_pebble_env(variant),
    )
    return process_name, facts


def _start_ari_proxy(pebble, tls):
    """The ARI stand-in (tests/lab/ari_proxy.py) in front of the default Pebble."""
    upstream = pebble["acme_directory"].rsplit("/", 1)[0]
    config = {"listen": LOOPBACK, "port": port("ari"), "upstream": upstream, "ca_path": tls["ca.pem"],
              "tls_cert": tls["tls.pem"], "tls_key": tls["tls.key"]}
    _write_json(_path("ari.json"), config)
    _spawn("ari-proxy", [sys.executable, os.path.join(HERE, "ari_proxy.py"), "--config", _path("ari.json")])
    base = "https://%s:%d" % (LOOPBACK, config["port"])
    _wait_ready("ari-proxy", base + "/_lab/health", tls["ca.pem"])
    return dict(acme_directory=base + "/dir", pebble_management=pebble["pebble_management"], env=pebble["env"],
                control=base + "/_lab", process="ari-proxy")


def up():
    """Start every part; on any failure stop what was started, then fail."""
    try:
        return _start_all()
    except BaseException:
        if _pids():
            down()
        raise


def _start_all():
    if any(_alive(pid) for pid in _pids().values()):
        print("lab: already running (state in %s); `lab.py down` first" % state_dir())
        return 0
    if not os.path.exists(PEBBLE):
        raise SystemExit("lab: %s is missing; install Debian's pebble (make pebble)" % PEBBLE)
    shutil.rmtree(state_dir(), ignore_errors=True)
    os.makedirs(_path("logs"))
    tls = make_lab_ca(state_dir())
    python = sys.executable

    gandi = {
        "listen": LOOPBACK, "api_port": port("gandi_api"), "dns_port": port("gandi_dns"),
        "tls_cert": tls["tls.pem"], "tls_key": tls["tls.key"],
        "pat": secrets.token_hex(20), "api_key": _random_key(24),
        "propagation_delay": float(os.environ.get("LAB_GANDI_PROPAGATION_DELAY", "0")),
    }
    dogecloud = {
        "listen": LOOPBACK, "api_port": port("dogecloud_api"), "edge_port": port("dogecloud_edge"),
        "tls_cert": tls["tls.pem"], "tls_key": tls["tls.key"],
        "access_key": _random_key(16, string.ascii_letters + string.digits),
        "secret_key": _random_key(32, string.ascii_letters + string.digits),
        # e.g. LAB_DOGECLOUD_EXTRA_DOMAINS="b01.example.test b02.example.test": more online CDN domains
        "extra_domains": os.environ.get("LAB_DOGECLOUD_EXTRA_DOMAINS", "").lower().split(),
    }
    _write_json(_path("gandi.json"), gandi)
    _write_json(_path("dogecloud.json"), dogecloud)
    _spawn("gandi", [python, os.path.join(HERE, "gandi_emulator.py"), "--config", _path("gandi.json")])
    _spawn("dogecloud", [python, os.path.join(HERE, "dogecloud_emulator.py"), "--config", _path("dogecloud.json")])

    gandi_base = "https://%s:%d" % (LOOPBACK, gandi["api_port"])
    dogecloud_base = "https://%s:%d" % (LOOPBACK, dogecloud["api_port"])
    dns_address = "%s:%d" % (LOOPBACK, gandi["dns_port"])
    variants = {}
    for name, variant in PEBBLE_VARIANTS.items():
        process_name, facts = _start_pebble(name, variant, tls, dns_address)
        variants[name] = dict(facts, process=process_name)

    _wait_ready("gandi", gandi_base + "/_lab/health", tls["ca.pem"])
    _wait_ready("dogecloud", dogecloud_base + "/_lab/health", tls["ca.pem"])
    for facts in variants.values():
        _wait_ready(facts["process"], facts["acme_directory"], tls["ca.pem"])
    variants["ari"] = _start_ari_proxy(variants["default"], tls)

    lab = {
        "state_dir": state_dir(),
        "ca_path": tls["ca.pem"],
        "acme_directory": variants["default"]["acme_directory"],
        "pebble_management": variants["default"]["pebble_management"],
        "acme_variants": {name: {k: v for k, v in facts.items() if k != "process"}
                          for name, facts in variants.items()},
        "gandi_api_url": gandi_base + "/v5/livedns",
        "gandi_pat": gandi["pat"],
        "gandi_api_key": gandi["api_key"],
        "gandi_dns": dns_address,
        "dogecloud_api_url": dogecloud_base,
        "dogecloud_access_key": dogecloud["access_key"],
        "dogecloud_secret_key": dogecloud["secret_key"],
        "dogecloud_edge": "%s:%d" % (LOOPBACK, dogecloud["edge_port"]),
        "control": {"gandi": gandi_base + "/_lab", "dogecloud": dogecloud_base + "/_lab",
                    "ari": variants["ari"]["control"]},
        "zones": ZONES,
        "cdn_domains": CDN_DOMAINS + dogecloud["extra_domains"],
    }
    _write_json(_path("lab.json"), lab)
    print("lab: up; state in %s" % _path("lab.json"))
    return 0


def down():
    pids = _pids()
    for pid in pids.values():
        try:
            os.killpg(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids.values()):
        time.sleep(0.1)
    for pid in pids.values():
        if _alive(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
    try:
        os.remove(_path("pids.json"))
    except FileNotFoundError:
        pass
    print("lab: down (%d processes stopped)" % len(pids))
    return 0


def status():
    pids = _pids()
    if not pids:
        print("lab: not running (state dir %s)" % state_dir())
        return 1
    healthy = True
    for name, pid in sorted(pids.items()):
        alive = _alive(pid)
        healthy &= alive
        print("%-24s pid %-7d %s" % (name, pid, "running" if alive else "STOPPED"))
    if os.path.exists(_path("lab.json")):
        lab = _read_json(_path("lab.json"))
        for key in ("acme_directory", "gandi_api_url", "gandi_dns", "dogecloud_api_url", "dogecloud_edge", "ca_path"):
            print("%-24s %s" % (key, lab[key]))
    return 0 if healthy else 1


def integration_config(path):
    """Write the lab facts as ``integration_config.yml`` for ansible-test (JSON is YAML)."""
    lab = _read_json(_path("lab.json"))
    _write_json(path, {"lab": lab})
    print("lab: wrote %s" % path)
    return 0


def main(argv):
    commands = {"up": up, "down": down, "status": status}
    if len(argv) == 2 and argv[0] == "integration-config":
        return integration_config(argv[1])
    if len(argv) != 1 or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
