# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fail when a lab credential appears in a playbook's output (test helper).

The output must also prove the checked runs happened, so that the test cannot
pass on an empty log.
"""

from __future__ import annotations

import json
import sys

# A well-formed personal access token unknown to the lab, used by secrets.yml.
UNKNOWN_PAT = "0123456789abcdef0123456789abcdef01234567"
# A token of neither known shape, used by secrets.yml.
UNKNOWN_SHAPE = "pat_unknown-shape-0123456789"


def main(config_path, output_path):
    with open(config_path, encoding="utf-8") as handle:
        lab = json.load(handle)["lab"]
    with open(output_path, encoding="utf-8", errors="replace") as handle:
        output = handle.read()
    secrets = {"gandi_pat": lab["gandi_pat"], "gandi_api_key": lab["gandi_api_key"], "unknown_pat": UNKNOWN_PAT,
               "unknown_shape": UNKNOWN_SHAPE}
    leaked = [name for name, secret in secrets.items() if secret in output]
    expected = ["propagation_seconds", "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", "HTTP 401", "HTTP 403",
                "has neither known shape", "See and renew domain names", "SECRETS_CHECK_DONE"]
    missing = [marker for marker in expected if marker not in output]
    if leaked or missing:
        sys.exit("secrets check failed: leaked %s; markers missing from the -vvvv output: %s" % (leaked, missing))
    print("secrets check passed: %d bytes of -vvvv output, no credential in them" % len(output))


if __name__ == "__main__":
    main(*sys.argv[1:3])
