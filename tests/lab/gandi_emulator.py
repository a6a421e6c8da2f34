# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Gandi LiveDNS emulator of the lab: the HTTPS API v5 and authoritative DNS (UDP and TCP).

Usage: python tests/lab/gandi_emulator.py --config STATE/gandi.json
Runs until SIGTERM or SIGINT. See gandi_emu/ for the parts.
"""

import argparse
import signal
import sys
import threading
import time

from gandi_emu.app import GandiLab, load_config
from gandi_emu.dns_service import make_dns_servers
from gandi_emu.https_server import HTTPSServer

POLL_INTERVAL = 0.2


def log_line(message):
    print("%s gandi-emulator %s" % (time.strftime("%H:%M:%S"), message), flush=True)


def serve(config):
    lab = GandiLab(config)
    servers = [HTTPSServer((config["listen"], config["api_port"]), lab, config["tls_cert"], config["tls_key"], log_line)]
    servers += make_dns_servers(config["listen"], config["dns_port"], lab.store)
    threads = [threading.Thread(target=server.serve_forever, args=(POLL_INTERVAL,), daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    log_line("API on https://%s:%d, DNS on %s:%d (UDP and TCP)"
             % (config["listen"], config["api_port"], config["listen"], config["dns_port"]))

    def stop(signum, _frame):
        log_line("signal %d: stopping" % signum)
        lab.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not lab.stopping.wait(POLL_INTERVAL):
        pass
    for server in servers:
        server.shutdown()
        server.server_close()
    for thread in threads:
        thread.join(timeout=5)
    log_line("stopped")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Gandi LiveDNS emulator of the certops.acme lab")
    parser.add_argument("--config", required=True, help="path of gandi.json")
    args = parser.parse_args(argv)
    serve(load_config(args.config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
