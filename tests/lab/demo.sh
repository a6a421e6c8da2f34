#!/usr/bin/env bash
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
#
# `make demo`: the main job on the embedded lab. Starts the lab, runs the real
# playbook certops.acme.issue_and_deploy to issue a certificate for
# example.test, *.example.test and www.example.test (DNS-01 through the Gandi
# emulator, Pebble as the CA), deploys it to cdn.example.test and
# static.example.test on the DogeCloud emulator, checks the CDN edge with a
# real TLS handshake, runs the play again to show changed=0, and stops the lab.
# The lab is a private one, in a temporary directory: a lab started with
# `make lab-up` is left running and untouched.
#
# Needs the collection under $ANSIBLE_COLLECTIONS_PATH (the Makefile builds it).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${VENV_BIN:-$ROOT/.venv/bin}
PY=$BIN/python
LAB=(timeout 120 "$PY" "$ROOT/tests/lab/lab.py")
export ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-$ROOT/build/collections}
export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false
export ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-}
STARTED=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/certops-demo.XXXXXX")
export CERTOPS_LAB_STATE=$WORK/lab

step() { printf '\n=== %s (%ds)\n' "$*" "$(($(date +%s) - STARTED))"; }

cleanup() {
    status=$?
    step "lab down"
    "${LAB[@]}" down || true
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT

if ! "$PY" -c 'import ansible_collections.certops.acme' 2>/dev/null \
   && [ ! -d "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/certops/acme" ]; then
    echo "demo: certops.acme is not under $ANSIBLE_COLLECTIONS_PATH; run 'make demo' (it builds the collection)" >&2
    exit 1
fi

step "lab up (a private one, state in $CERTOPS_LAB_STATE)"
"${LAB[@]}" up

# The lab facts become the variable `lab`; the credentials go only into the
# environment, where the modules read them (as an AWX credential would inject them).
"$PY" "$ROOT/tests/lab/playfiles.py" "$CERTOPS_LAB_STATE/lab.json" "$WORK"
# shellcheck disable=SC1091
. "$WORK/credentials.sh"

play() {
    "$BIN/ansible-playbook" certops.acme.issue_and_deploy -i "$WORK/inventory.yml" \
        -e "@$WORK/lab.json" -e "@$WORK/demo.yml" \
        | tee "$WORK/last-run.log"
}

step "first run: issue through Pebble + Gandi, deploy to DogeCloud, check the edge"
play

step "second run: the CDN already serves a valid certificate, nothing to do"
play
if ! grep -Eq '^localhost +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$WORK/last-run.log"; then
    echo "demo: the second run changed something; it should not have" >&2
    exit 1
fi

step "done: issued, deployed, verified at the edge; the second run changed nothing"
