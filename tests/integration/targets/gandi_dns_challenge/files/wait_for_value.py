# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wait until an rrset of example.test holds a value in the Gandi emulator (test helper).

Usage: wait_for_value.py CONFIG RRSET_NAME VALUE TIMEOUT. Reads the emulator's
state through its control API; exits 1 when the value did not appear in time.
"""

from __future__ import annotations

import json
import ssl
import sys
import time
import urllib.request


def values(lab, name):
    context = ssl.create_default_context(cafile=lab["ca_path"])
    with urllib.request.urlopen(lab["control"]["gandi"] + "/zones", context=context, timeout=5) as response:
        zones = json.load(response)["zones"]
    for rrset in zones["example.test"]["rrsets"]:
        if rrset["rrset_name"] == name and rrset["rrset_type"] == "TXT":
            return [value.strip('"') for value in rrset["rrset_values"]]
    return []


def main(config_path, name, value, timeout):
    with open(config_path, encoding="utf-8") as handle:
        lab = json.load(handle)["lab"]
    deadline = time.monotonic() + float(timeout)
    while value not in values(lab, name):
        if time.monotonic() > deadline:
            sys.exit("%s never appeared in %s" % (value, name))
        time.sleep(0.1)
    print("%s is in %s" % (value, name))


if __name__ == "__main__":
    main(*sys.argv[1:5])
