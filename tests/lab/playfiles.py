# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write what a run of the playbook ``certops.acme.issue_and_deploy`` against
the lab needs, into one work directory:

- ``lab.json``: the lab facts as the variable ``lab``;
- ``credentials.sh``: the credentials as the environment variables the modules
  read (as an AWX credential type would inject them), never as play variables;
- ``pebble-root.pem``: Pebble's current root, to verify the CDN edge;
- ``demo.yml``: the role variables of the demo certificate;
- ``inventory.yml``: ``localhost`` on the local connection, so that a run
  parses an inventory (and warns about none).

    python tests/lab/playfiles.py LAB_JSON WORK_DIR
"""

from __future__ import annotations

import json
import os
import shlex
import sys

import requests

CREDENTIAL_VARIABLES = (
    ("GANDI_PERSONAL_ACCESS_TOKEN", "gandi_pat"),
    ("DOGECLOUD_ACCESS_KEY", "dogecloud_access_key"),
    ("DOGECLOUD_SECRET_KEY", "dogecloud_secret_key"),
)

DEMO_VARS = """\
issue_and_deploy_hosts: localhost
issue_and_deploy_directory: "{{{{ lab.acme_directory }}}}"
issue_and_deploy_ca_path: "{{{{ lab.ca_path }}}}"
issue_and_deploy_gandi_api_url: "{{{{ lab.gandi_api_url }}}}"
issue_and_deploy_dogecloud_api_url: "{{{{ lab.dogecloud_api_url }}}}"
issue_and_deploy_dns_nameservers: ["{{{{ lab.gandi_dns }}}}"]
issue_and_deploy_account_key_path: {work}/account.key
issue_and_deploy_contact_email: demo@example.test
issue_and_deploy_terms_agreed: true
issue_and_deploy_output_dir: {work}/certificates
issue_and_deploy_verify_edge: true
issue_and_deploy_edge_ca_path: {work}/pebble-root.pem
issue_and_deploy_edge_addresses:
  cdn.example.test: "{{{{ lab.dogecloud_edge }}}}"
  static.example.test: "{{{{ lab.dogecloud_edge }}}}"
issue_and_deploy_certificates:
  - name: example
    domains: [example.test, "*.example.test", www.example.test]
    dogecloud_domains: [cdn.example.test, static.example.test]
"""


INVENTORY = """\
all:
  hosts:
    localhost:
      ansible_connection: local
      ansible_python_interpreter: "{{ ansible_playbook_python }}"
"""


def credential_environment(lab):
    return {name: lab[key] for name, key in CREDENTIAL_VARIABLES}


def write_play_files(lab, work):
    """Write the play files into ``work``; return their paths by name."""
    paths = {name: os.path.join(work, name)
             for name in ("lab.json", "credentials.sh", "pebble-root.pem", "demo.yml", "inventory.yml")}
    with open(paths["lab.json"], "w") as handle:
        json.dump({"lab": lab}, handle)
    root = requests.get(lab["pebble_management"] + "/roots/0", verify=lab["ca_path"], timeout=10)
    root.raise_for_status()
    with open(paths["pebble-root.pem"], "w") as handle:
        handle.write(root.text)
    fd = os.open(paths["credentials.sh"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        for name, value in credential_environment(lab).items():
            handle.write("export %s=%s\n" % (name, shlex.quote(value)))
    with open(paths["demo.yml"], "w") as handle:
        handle.write(DEMO_VARS.format(work=work))
    with open(paths["inventory.yml"], "w") as handle:
        handle.write(INVENTORY)
    return paths


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    with open(argv[0]) as handle:
        lab = json.load(handle)
    write_play_files(lab, argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
