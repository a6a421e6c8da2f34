#!/usr/bin/env bash
# validate_certs: false warns on every run, naming the endpoint of each service;
# bad names are refused before any API call.
set -eu

CONFIG=../../integration_config.yml
PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
HARDENING_WORK_DIR="$(mktemp -d)"
export HARDENING_WORK_DIR
trap 'rm -rf "${HARDENING_WORK_DIR}"' EXIT
output="${HARDENING_WORK_DIR}/output.log"

# host:port of the three endpoints, as the warning names them
endpoints="$("${PYTHON}" - "${CONFIG}" <<'PYTHON'
import json
import sys
from urllib.parse import urlsplit

lab = json.load(open(sys.argv[1]))["lab"]
for url in (lab["gandi_api_url"], lab["dogecloud_api_url"], lab["acme_directory"]):
    parts = urlsplit(url)
    print("%s:%d" % (parts.hostname, parts.port))
PYTHON
)"

# Two runs: the warning comes on every run, not once.
for run in 1 2; do
    ansible-playbook trust.yml -e "@${CONFIG}" "$@" >"${output}" 2>&1 || { cat "${output}"; exit 1; }
    flat="$(tr -s ' \n' '  ' <"${output}")"
    for endpoint in ${endpoints}; do
        expected="validate_certs is false: the TLS certificate of ${endpoint} is not verified"
        if [[ "${flat}" != *"${expected}"* ]]; then
            cat "${output}"
            echo "run ${run}: no warning naming ${endpoint}"
            exit 1
        fi
    done
    echo "run ${run}: the warning named each of: ${endpoints//$'\n'/, }"
done

ansible-playbook bad_names.yml -e "@${CONFIG}" "$@"
