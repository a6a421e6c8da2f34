#!/usr/bin/env bash
# Drives ansible-playbook directly: the race test needs ten forks and the
# secrets test needs the -vvvv output.
set -eu

CONFIG=../../integration_config.yml
PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"

ansible-playbook main.yml -e "@${CONFIG}" "$@"

# Ten hosts (forks) publish into one rrset at once, then withdraw at once.
ansible-playbook race.yml -i inventory.race -f 10 -e "@${CONFIG}" "$@"

# Nothing secret in the most verbose output, failures included.
output="$(mktemp)"
trap 'rm -f "${output}"' EXIT
ansible-playbook secrets.yml -e "@${CONFIG}" -vvvv >"${output}" 2>&1 || { cat "${output}"; exit 1; }
"${PYTHON}" files/no_secrets.py "${CONFIG}" "${output}"
