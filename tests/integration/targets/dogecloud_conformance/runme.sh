#!/usr/bin/env bash
# The role and dogecloud_certificate against DogeCloud as it really answers (the emulator's
# switches, docs/lab.md): a run with nothing due makes no write call whatever the spelling of
# info.type, and when binds answer errors although they bind; a renewal through such bind
# errors succeeds; certificates that share a DNS name never delete each other's uploads.
set -eu

CONFIG=../../integration_config.yml
PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dogecloud_conformance.XXXXXX")"
LOG="$WORK/run.log"
DOGE=("$PYTHON" files/doge.py "$CONFIG")
trap '"${DOGE[@]}" reset >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
scenario() { printf '\n##### %s\n' "$*"; }

# Credentials in the environment only, as for the issue_and_deploy target.
eval "$("${DOGE[@]}" env)"
export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false ANSIBLE_NOCOLOR=1

role() {
    local status=0
    ansible-playbook certops.acme.issue_and_deploy -e "@$CONFIG" -e @vars/lab.yml \
        -e "issue_and_deploy_account_key_path=$WORK/account.key" "$@" >"$LOG" 2>&1 || status=$?
    cat "$LOG"
    return "$status"
}
changed() { grep -E '^localhost +: ' "$LOG" | sed -E 's/.*changed=([0-9]+).*/\1/'; }
expect_in_log() { grep -qF -- "$1" "$LOG" || fail "the output lacks: $1"; }
expect_nothing_written() {
    [ "$(changed)" = 0 ] || fail "the run reported changed=$(changed) ($*)"
    expect_in_log "certificate conformance: up to date"
    "${DOGE[@]}" no-writes
}

"${DOGE[@]}" reset

scenario "first run issues and deploys"
role
expect_in_log "certificate conformance: issued"

# Every run from here on also has binds that answer an error although they bind.
"${DOGE[@]}" config bind_errors_but_binds=3
for style in ECC ECC-detail lower ecdsa empty missing unknown; do
    scenario "info.type spelled as '$style', bind errors that bind: the run with nothing due makes 0 write calls"
    "${DOGE[@]}" config "info_type_style=$style"
    "${DOGE[@]}" clear-logs
    role
    expect_nothing_written "info.type style $style"
    warnings="$(grep -c '^\[WARNING\]: DogeCloud reports a key type' "$LOG" || true)"
    case "$style" in
        empty | missing | unknown) [ "$warnings" = 1 ] || fail "expected one key type warning, saw $warnings" ;;
        *) [ "$warnings" = 0 ] || fail "a key type warning for the style $style" ;;
    esac
done

scenario "a forced renewal through a bind error that took effect succeeds with a warning"
"${DOGE[@]}" config info_type_style=ECC
"${DOGE[@]}" clear-logs
role -e issue_and_deploy_force_renewal=true
expect_in_log "certificate conformance: renewed"
expect_in_log "[WARNING]: DogeCloud answered the binding of certificate"
"${DOGE[@]}" writes-include /cdn/cert/upload.json /cdn/cert/bind.json

scenario "and the next run, with nothing due, makes 0 write calls"
"${DOGE[@]}" clear-logs
role
expect_nothing_written "after the renewal"

scenario "neighbours: certificates that share a DNS name never delete each other's uploads"
"${DOGE[@]}" reset
"${DOGE[@]}" certs "$WORK/certs"
ansible-playbook neighbours.yml -i "${INVENTORY_PATH:-localhost,}" -e "@$CONFIG" -e "cert_dir=$WORK/certs" "$@"
