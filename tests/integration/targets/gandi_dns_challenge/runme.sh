#!/usr/bin/env bash
# Drives ansible-playbook directly: the race test needs ten forks and the
# secrets test needs the -vvvv output.
set -eu

CONFIG=../../integration_config.yml
PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"

ansible-playbook main.yml -e "@${CONFIG}" "$@"

# The zones of gandi_zone_info given to gandi_dns_challenge: no listing, one read and one write per rrset.
ansible-playbook zones.yml -e "@${CONFIG}" "$@"

# Ten hosts (forks) publish into one rrset at once, then withdraw at once.
ansible-playbook race.yml -i inventory.race -f 10 -e "@${CONFIG}" "$@"
# The same with read_back=when_unseen, as the role runs it: one read and one write per writer.
ansible-playbook race.yml -i inventory.race -f 10 -e "@${CONFIG}" -e race_read_back=when_unseen "$@"

# Nothing secret in the most verbose output, failures included.
output="$(mktemp)"
trap 'rm -f "${output}"' EXIT
ansible-playbook secrets.yml -e "@${CONFIG}" -vvvv >"${output}" 2>&1 || { cat "${output}"; exit 1; }
"${PYTHON}" files/no_secrets.py "${CONFIG}" "${output}"

# Recovery without local state: a run killed with SIGKILL right after publication
# and a run whose withdrawal keeps failing leave values behind; the next run for
# the same name, in a fresh HOME and TMPDIR, leaves none of ours and keeps the rest.
ansible-playbook recovery_setup.yml -e "@${CONFIG}" "$@"
setsid ansible-playbook recovery_killed.yml -e "@${CONFIG}" "$@" >"${output}" 2>&1 &
killed=$!
if ! "${PYTHON}" files/wait_for_value.py "${CONFIG}" _acme-challenge.recover killed-run-token 120; then
    kill -9 -- "-${killed}" 2>/dev/null || true
    cat "${output}"
    exit 1
fi
kill -9 -- "-${killed}"
wait "${killed}" || true
ansible-playbook recovery_stuck.yml -e "@${CONFIG}" "$@"
sleep 2  # longer than the grace period (stale_after) that recovery_fresh.yml sets
fresh="$(mktemp -d)"
trap 'rm -f "${output}"; rm -rf "${fresh}"' EXIT
mkdir "${fresh}/home" "${fresh}/tmp"
env -u XDG_RUNTIME_DIR -u CERTOPS_ACME_LOCK_DIR HOME="${fresh}/home" TMPDIR="${fresh}/tmp" \
    ansible-playbook recovery_fresh.yml -e "@${CONFIG}" "$@"
