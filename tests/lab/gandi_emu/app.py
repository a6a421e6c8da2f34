# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""The emulator as a whole: configuration, state, and the dispatch of HTTPS requests."""

import json
import re
import threading

from .api import LiveDnsApi, auth_scheme, lab_credentials
from .control import CONTROL_PREFIX, ControlApi, FaultQueue, RequestLog, fault_response
from .switches import Switches
from .zones import ZoneStore

ZONES = ("example.test", "other.test")
PAT_ZONES = ("example.test",)
_REQUIRED = {"listen": str, "api_port": int, "dns_port": int, "tls_cert": str, "tls_key": str, "pat": str, "api_key": str}


def load_config(path):
    """Read and check gandi.json."""
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    for key, kind in _REQUIRED.items():
        if not isinstance(config.get(key), kind):
            raise ValueError("%s: %r must be a %s" % (path, key, kind.__name__))
    if not re.match(r"^[0-9a-f]{40}$", config["pat"]) or not re.match(r"^[a-z0-9]{24}$", config["api_key"]):
        raise ValueError("%s: pat must be 40 lower-case hex digits and api_key 24 characters [a-z0-9]" % path)
    config.setdefault("propagation_delay", 0.0)
    return config


class GandiLab:
    """Everything the HTTPS and DNS servers share; each part guards itself with its lock."""

    def __init__(self, config):
        self.config = config
        self.stopping = threading.Event()
        self.store = ZoneStore(ZONES, config["propagation_delay"])
        self.log = RequestLog()
        self.faults = FaultQueue()
        self.switches = Switches()
        base_url = "https://%s:%d" % (config["listen"], config["api_port"])
        credentials = lab_credentials(config["pat"], config["api_key"], PAT_ZONES)
        self.api = LiveDnsApi(self.store, credentials, base_url, self.switches)
        self.control = ControlApi(self)

    def handle(self, request):
        """The response to one HTTPS request; API requests are logged, control requests are not."""
        if request.segments(CONTROL_PREFIX) is not None:
            return self.control.handle(request)
        fault = self.faults.take(request.method, request.target)
        response = fault_response(fault) if fault else self.api.handle(request)
        self.log.record(request.method, request.target, response.status,
                        fault["kind"] if fault else None, auth_scheme(request.headers))
        return response

    def reset(self):
        self.faults.clear()
        self.switches.reset()
        self.store.reset(self.config["propagation_delay"])
        self.log = RequestLog()

    def settings(self):
        return dict(self.switches.values(), propagation_delay=self.store.propagation_delay)
