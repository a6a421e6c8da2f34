#!/usr/bin/env bash
# The role and dogecloud_certificate against DogeCloud and Gandi as they really answer (the
# emulators' switches, docs/lab.md): a run with nothing due makes no write call whatever the
# spelling of info.type, and when binds answer errors although they bind; a renewal through such
# bind errors succeeds; a renewal finds its zone on page 3 of Gandi's zone list; a token Gandi
# refuses with 403 stops the renewal before the CA is asked; certificates that share a DNS name
# never delete each other's uploads.
set -eu

CONFIG=../../integration_config.yml
PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/provider_conformance.XXXXXX")"
LOG="$WORK/run.log"
LAB=("$PYTHON" files/switches.py "$CONFIG")
trap '"${LAB[@]}" reset >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
scenario() { printf '\n##### %s\n' "$*"; }

# Credentials in the environment only, as for the issue_and_deploy target.
eval "$("${LAB[@]}" env)"
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
    "${LAB[@]}" no-writes
}

"${LAB[@]}" reset

scenario "first run issues and deploys"
role
expect_in_log "certificate conformance: issued"

# Every run from here on also has binds that answer an error although they bind.
"${LAB[@]}" config bind_errors_but_binds=3
for style in ECC ECC-detail lower ecdsa empty missing unknown; do
    scenario "info.type spelled as '$style', bind errors that bind: the run with nothing due makes 0 write calls"
    "${LAB[@]}" config "info_type_style=$style"
    "${LAB[@]}" clear-logs
    role
    expect_nothing_written "info.type style $style"
    warnings="$(grep -c '^\[WARNING\]: DogeCloud reports a key type' "$LOG" || true)"
    case "$style" in
        empty | missing | unknown) [ "$warnings" = 1 ] || fail "expected one key type warning, saw $warnings" ;;
        *) [ "$warnings" = 0 ] || fail "a key type warning for the style $style" ;;
    esac
done

scenario "a forced renewal through a bind error that took effect succeeds with a warning"
"${LAB[@]}" config info_type_style=ECC
"${LAB[@]}" clear-logs
role -e issue_and_deploy_force_renewal=true
expect_in_log "certificate conformance: renewed"
expect_in_log "[WARNING]: DogeCloud answered the binding of certificate"
"${LAB[@]}" writes-include /cdn/cert/upload.json /cdn/cert/bind.json

scenario "and the next run, with nothing due, makes 0 write calls"
"${LAB[@]}" clear-logs
role
expect_nothing_written "after the renewal"

scenario "Gandi lists its zones in pages, the lab zone on page 3: a renewal finds it, the next run writes nothing"
"${LAB[@]}" gandi-config zones_per_page=2 filler_zones=4 pagination_headers=link
"${LAB[@]}" clear-logs
role -e issue_and_deploy_force_renewal=true
expect_in_log "certificate conformance: renewed"
"${LAB[@]}" clear-logs
role
expect_nothing_written "with a paginated zone list"

scenario "Gandi answers 403 for a token it does not know: the renewal stops at the preflight, nothing written"
"${LAB[@]}" gandi-config token_refusal_status=403
"${LAB[@]}" clear-logs
GANDI_PERSONAL_ACCESS_TOKEN=0123456789abcdef0123456789abcdef01234567 role -e issue_and_deploy_force_renewal=true \
    && fail "a refused Gandi token did not fail the run"
expect_in_log "failed at: preflight checks"
expect_in_log "Gandi denied access (HTTP 403)"
"${LAB[@]}" no-writes
"${LAB[@]}" gandi-config zones_per_page=0 filler_zones=0 token_refusal_status=401

scenario "neighbours: certificates that share a DNS name never delete each other's uploads"
"${LAB[@]}" reset
"${LAB[@]}" certs "$WORK/certs"
ansible-playbook neighbours.yml -i "${INVENTORY_PATH:-localhost,}" -e "@$CONFIG" -e "cert_dir=$WORK/certs" "$@"
