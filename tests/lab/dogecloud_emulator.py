# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""DogeCloud CDN emulator of the lab.

    python tests/lab/dogecloud_emulator.py --config STATE/dogecloud.json

Config keys: listen, api_port, edge_port, tls_cert, tls_key, access_key,
secret_key; optional extra_domains (more online CDN domains). Serves the signed DogeCloud API and the ``/_lab/`` control API on
https://LISTEN:API_PORT and the CDN TLS edge on LISTEN:EDGE_PORT. Stops
cleanly on SIGTERM or SIGINT.
"""

import argparse
import json
import shutil
import signal
import sys
import threading

from dogecloud_emu.edge import make_edge_server
from dogecloud_emu.http_api import ApiHandler
from dogecloud_emu.labstate import Lab
from dogecloud_emu.tls import TLSThreadingServer, server_context

REQUIRED_KEYS = ("listen", "api_port", "edge_port", "tls_cert", "tls_key", "access_key", "secret_key")
POLL_INTERVAL = 0.2


def load_config(path):
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    missing = [key for key in REQUIRED_KEYS if key not in config]
    if missing:
        raise SystemExit(f"{path}: missing config keys: {', '.join(missing)}")
    return config


def start_servers(config, lab):
    """Start the API and edge servers in threads; return (servers, edge work dir)."""
    api_context = server_context(config["tls_cert"], config["tls_key"])
    api = TLSThreadingServer((config["listen"], config["api_port"]), ApiHandler, api_context, lab=lab)
    edge, edge_work_dir = make_edge_server((config["listen"], config["edge_port"]), lab)
    for server in (api, edge):
        threading.Thread(target=server.serve_forever, args=(POLL_INTERVAL,), daemon=True).start()
    return (api, edge), edge_work_dir


def wait_for_stop_signal():
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(POLL_INTERVAL):
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description="DogeCloud CDN emulator of the lab")
    parser.add_argument("--config", required=True, help="JSON config file")
    config = load_config(parser.parse_args(argv).config)
    lab = Lab(access_key=config["access_key"], secret_key=config["secret_key"],
              extra_domains=config.get("extra_domains", []))
    servers, edge_work_dir = start_servers(config, lab)
    print(
        f"dogecloud emulator: API https://{config['listen']}:{config['api_port']}"
        f" edge {config['listen']}:{config['edge_port']}",
        flush=True,
    )
    try:
        wait_for_stop_signal()
    finally:
        lab.stopping.set()  # releases stalled requests
        for server in servers:
            server.shutdown()
            server.server_close()
        shutil.rmtree(edge_work_dir, ignore_errors=True)
    print("dogecloud emulator: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
