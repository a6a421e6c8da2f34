#!/usr/bin/env bash
# The role and playbook as users run them: real ansible-playbook runs of
# certops.acme.issue_and_deploy against the lab (Pebble, Gandi and DogeCloud
# emulators), then the same play through ansible-runner, then an
# ansible-builder build context. Credentials are only environment variables.
set -eu

CONFIG=../../integration_config.yml
PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/issue_and_deploy.XXXXXX")"
LOG="$WORK/run.log"
CHECK=("$PYTHON" files/labcheck.py "$CONFIG")
trap '"${CHECK[@]}" reset >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
scenario() { printf '\n##### %s\n' "$*"; }

# Credentials go to the environment only, the way AWX credential types inject them.
eval "$("$PYTHON" - "$CONFIG" <<'PY'
import json, shlex, sys
lab = json.load(open(sys.argv[1]))["lab"]
for name, key in (("GANDI_PERSONAL_ACCESS_TOKEN", "gandi_pat"), ("DOGECLOUD_ACCESS_KEY", "dogecloud_access_key"),
                  ("DOGECLOUD_SECRET_KEY", "dogecloud_secret_key")):
    print("export %s=%s" % (name, shlex.quote(lab[key])))
PY
)"
export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false ANSIBLE_NOCOLOR=1
lab_fact() { "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["lab"][sys.argv[2]])' "$CONFIG" "$1"; }

"${CHECK[@]}" reset
"${CHECK[@]}" pebble-root "$WORK/pebble-root.pem"
# The account key's directory does not exist yet: the first real run makes it (0700).
ACCOUNT="$WORK/keys/account.key"
# The runs' own temporary directory: work directories of other runs on this
# machine (other checkouts, other users of /tmp) are not this test's.
TMP="$WORK/tmp"
mkdir -p "$TMP"
export TMPDIR="$TMP"
NAMES="*.example.test,example.test,www.example.test"

# play LOGFILE ARGS...: the playbook with the lab variables; output kept in LOGFILE and shown.
play() {
    local log="$1"
    shift
    local status=0
    ansible-playbook certops.acme.issue_and_deploy -e "@$CONFIG" -e @vars/lab.yml \
        -e "issue_and_deploy_edge_ca_path=$WORK/pebble-root.pem" "$@" >"$log" 2>&1 || status=$?
    cat "$log"
    return "$status"
}
example_to() {
    local log="$1"
    shift
    play "$log" -e @vars/example.yml -e "issue_and_deploy_account_key_path=$ACCOUNT" \
        -e "issue_and_deploy_output_dir=$WORK/out" "$@"
}
example() { example_to "$LOG" "$@"; }
recap_changed() { grep -E "^$1 +: " "$LOG" | sed -E 's/.*changed=([0-9]+).*/\1/'; }
expect_in_log() { grep -qF -- "$1" "$LOG" || fail "the output lacks: $1"; }
expect_not_in_log() { if grep -qF -- "$1" "$LOG"; then fail "the output contains: $1"; fi; }
expect_once_in_log() {
    local count
    count="$(grep -cF -- "$1" "$LOG" || true)"
    [ "$count" = 1 ] || fail "expected once in the output, found $count times: $1"
}
# No work directory of the certificate left in the temporary directory.
no_workdir() {
    local left
    left="$(find "$TMP" -maxdepth 1 -name "issue_and_deploy.$1.*" -print 2>/dev/null)"
    [ -z "$left" ] || fail "work directories left behind: $left"
}

scenario "invalid role input fails in argument validation, naming the field, before any call"
"${CHECK[@]}" clear-logs
play "$LOG" -e @vars/example.yml -e "issue_and_deploy_account_key_path=$ACCOUNT" \
    -e '{"issue_and_deploy_certificates": [{"name": "bad", "dogecloud_domains": ["cdn.example.test"]}]}' \
    && fail "a certificate without domains was accepted"
expect_in_log "Validating arguments against arg spec"
expect_in_log "missing required arguments: domains found in issue_and_deploy_certificates"
play "$LOG" -e @vars/example.yml -e "issue_and_deploy_account_key_path=$ACCOUNT" \
    -e issue_and_deploy_renew_before_days=soon && fail "renew_before_days=soon was accepted"
expect_in_log "issue_and_deploy_renew_before_days"
"${CHECK[@]}" no-requests

scenario "check mode on a first run: no write call anywhere, a truthful report"
# dogecloud_bind: auto picks the online CDN domains the names cover (old.example.test is offline).
"${CHECK[@]}" clear-logs
example --check -e '{"issue_and_deploy_certificates": [{"name": "example", "dogecloud_bind": "auto",
    "domains": ["example.test", "*.example.test", "www.example.test"]}]}'
expect_in_log "certificate example: would issue"
expect_in_log "reason: no current certificate"
"${CHECK[@]}" no-writes
[ ! -e "$ACCOUNT" ] || fail "check mode created the account key"
[ ! -e "$WORK/keys" ] || fail "check mode created the account key directory"
[ ! -e "$WORK/out" ] || fail "check mode created the output directory"
no_workdir example

scenario "preflight: each user mistake fails before the CA is asked for anything, in check mode and in a real run"
# mistake EXPECTED-MESSAGE ARGS...: both runs fail at the same step, with the message
# once (in the summary), no write call anywhere, nothing at the CA, nothing left behind.
mistake() {
    local expected="$1" step="$2" mode mark
    shift 2
    for mode in --check real; do
        "${CHECK[@]}" clear-logs
        mark="$("${CHECK[@]}" ca-mark)"
        if [ "$mode" = --check ]; then
            example --check "$@" && fail "check mode accepted the mistake ($expected)"
        else
            example "$@" && fail "the run accepted the mistake ($expected)"
        fi
        expect_in_log "certificate example: failed"
        expect_once_in_log "failed at: $step"
        expect_once_in_log "$expected"
        expect_in_log "issue_and_deploy failed for example (the summary above says which step failed and why)"
        expect_not_in_log "Ensure the ACME account"
        expect_not_in_log "Order a certificate for example"
        "${CHECK[@]}" no-writes
        "${CHECK[@]}" no-ca-writes "$mark"
        no_workdir example
        [ ! -e "$ACCOUNT" ] || fail "a failed preflight created the account key"
    done
}
mistake "issue_and_deploy_certificates[name=example].dogecloud_domains: cdn.example.test is not covered by any name in issue_and_deploy_certificates[name=example].domains" \
    "preflight checks" \
    -e '{"issue_and_deploy_certificates": [{"name": "example", "domains": ["www.example.test"],
         "dogecloud_domains": ["cdn.example.test"]}]}'
mistake "issue_and_deploy_certificates[name=example].dogecloud_domains: old.example.test not online on DogeCloud" \
    "preflight checks" \
    -e '{"issue_and_deploy_certificates": [{"name": "example", "domains": ["*.example.test"],
         "dogecloud_domains": ["old.example.test"]}]}'
mistake "issue_and_deploy_certificates[name=example].domains: no Gandi LiveDNS zone that the credential can see holds the DNS-01 record of img.other.test (it sees: example.test)" \
    "preflight checks" \
    -e '{"issue_and_deploy_certificates": [{"name": "example", "domains": ["img.other.test"],
         "dogecloud_domains": ["img.other.test"]}]}'
# with_gandi_token VALUE COMMAND...: COMMAND with another Gandi credential in the environment.
with_gandi_token() {
    local saved="$GANDI_PERSONAL_ACCESS_TOKEN"
    GANDI_PERSONAL_ACCESS_TOKEN="$1"
    shift
    "$@"
    GANDI_PERSONAL_ACCESS_TOKEN="$saved"
}
with_gandi_token 0123456789abcdef0123456789abcdef01234567 \
    mistake "Gandi rejected the credential (HTTP 401) when trying to list the zones" "preflight checks"
# Wrong kind: a DogeCloud secret where the Gandi token belongs is sent as the kind its variable
# names (its shape tells nothing), refused by Gandi, and explained.
with_gandi_token "$DOGECLOUD_SECRET_KEY" \
    mistake "has neither known shape, so it was sent as the kind its option names" "preflight checks"
# An API key that is not the lab's, in the token's variable: sent as Apikey (by its shape) and refused.
with_gandi_token abcdefghij0123456789klmn \
    mistake "Gandi rejected the credential (HTTP 401)" "preflight checks"
# A directory that is none: the decision reports it, and the preflight lists it with nothing ordered.
mistake "issue_and_deploy_directory: $(lab_fact dogecloud_api_url)/_lab/state does not answer with an ACME directory" \
    "preflight checks" \
    -e "issue_and_deploy_directory={{ lab.dogecloud_api_url }}/_lab/state"
mistake "issue_and_deploy_directory: $(lab_fact gandi_api_url)/domains does not answer with an ACME directory" \
    "preflight checks" \
    -e "issue_and_deploy_directory={{ lab.gandi_api_url }}/domains"
: >"$WORK/not-a-directory"
mistake "issue_and_deploy_account_key_path: cannot create the directory $WORK/not-a-directory" \
    "Decide whether a new certificate is due for example" \
    -e "issue_and_deploy_account_key_path=$WORK/not-a-directory/account.key"

scenario "first run issues and deploys; both CDN domains serve it, chained to Pebble's root"
example
expect_in_log "certificate example: issued"
expect_in_log "edge check: cdn.example.test serves the new certificate"
expect_in_log "edge check: static.example.test serves the new certificate"
FIRST_ID="$("${CHECK[@]}" bound "$WORK/pebble-root.pem" "$NAMES" cdn.example.test static.example.test)"
"${CHECK[@]}" txt example.test _acme-challenge
"${CHECK[@]}" txt example.test _acme-challenge.www
[ "$(stat -c %a "$WORK/out/example/privkey.pem")" = 600 ] || fail "the local key copy is not mode 0600"
[ "$(stat -c %a "$WORK/out/example")" = 700 ] || fail "the local copy's directory is not mode 0700"
[ "$(stat -c %a "$WORK/keys")" = 700 ] || fail "the account key directory was not made with mode 0700"
[ "$(stat -c %a "$ACCOUNT")" = 600 ] || fail "the account key is not mode 0600"
no_workdir example

scenario "second run: changed=0, no write call, no new ACME order"
"${CHECK[@]}" clear-logs
example
[ "$(recap_changed localhost)" = 0 ] || fail "the second run reported changes"
expect_in_log "certificate example: up to date"
expect_not_in_log "Order a certificate for example"
"${CHECK[@]}" no-writes
"${CHECK[@]}" bound-id "$FIRST_ID" cdn.example.test static.example.test

scenario "DogeCloud reports only the key family: ECC is up to date for ec384, a change to RSA is due (check mode)"
"${CHECK[@]}" clear-logs
example --check -e issue_and_deploy_key_type=ec384
expect_in_log "certificate example: up to date"
example --check -e issue_and_deploy_key_type=rsa2048
expect_in_log "certificate example: would renew"
expect_in_log "reason: key type ECC on the current certificate differs from the requested rsa2048"
"${CHECK[@]}" no-writes

scenario "a new controller (empty output directory, no account key file) does not renew"
"${CHECK[@]}" clear-logs
play "$LOG" -e @vars/example.yml -e "issue_and_deploy_account_key_path=$WORK/fresh/account.key" \
    -e "issue_and_deploy_output_dir=$WORK/fresh/out"
[ "$(recap_changed localhost)" = 0 ] || fail "the run on a fresh controller reported changes"
expect_in_log "certificate example: up to date"
expect_not_in_log "Order a certificate for example"
"${CHECK[@]}" no-writes

scenario "nothing secret in the -vvvv output (account key as content, credentials in the environment)"
SECRETS="$WORK/secrets.yml"
(umask 077 && "$PYTHON" - "$ACCOUNT" >"$SECRETS" <<'PY'
import json, sys
print(json.dumps({"issue_and_deploy_account_key_content": open(sys.argv[1]).read(),
                  "issue_and_deploy_eab_hmac_key": "eab-hmac-never-printed"}))
PY
)
play "$LOG" -vvvv -e @vars/example.yml -e "@$SECRETS" >/dev/null
[ "$(recap_changed localhost)" = 0 ] || fail "the run with the key as content reported changes"
while read -r line; do
    case "$line" in -----*|"") continue ;; esac
    expect_not_in_log "$line"
done <"$ACCOUNT"
for secret in "$GANDI_PERSONAL_ACCESS_TOKEN" "$DOGECLOUD_SECRET_KEY" eab-hmac-never-printed; do
    expect_not_in_log "$secret"
done
echo "no secret in $(wc -l <"$LOG") lines of -vvvv output"

scenario "a due certificate is renewed, bound and the old one pruned"
example -e '{"issue_and_deploy_renew_before_days": 3650}'
expect_in_log "certificate example: renewed"
expect_in_log "pruned DogeCloud certificates: $FIRST_ID"
SECOND_ID="$("${CHECK[@]}" bound "$WORK/pebble-root.pem" "$NAMES" cdn.example.test static.example.test)"
[ "$SECOND_ID" != "$FIRST_ID" ] || fail "the renewal did not bind a new certificate"
"${CHECK[@]}" cert-absent "$FIRST_ID"

scenario "a DogeCloud bind that keeps failing leaves the old certificate bound and no TXT value"
"${CHECK[@]}" fault dogecloud http_502 20 /cdn/cert/bind.json
example -e '{"issue_and_deploy_force_renewal": true}' && fail "the run succeeded although every bind failed"
"${CHECK[@]}" clear-faults
expect_in_log "certificate example: failed"
"${CHECK[@]}" bound-id "$SECOND_ID" cdn.example.test static.example.test
"${CHECK[@]}" txt example.test _acme-challenge
"${CHECK[@]}" txt example.test _acme-challenge.www

scenario "two certificates as two inventory hosts with forks=2 share the _acme-challenge rrset"
"${CHECK[@]}" reset
"${CHECK[@]}" seed-txt example.test _acme-challenge "v=spf1 -all"
mkdir -p "$WORK/two"
play "$LOG" -i inventory.two.yml -f 2 -e "issue_and_deploy_account_key_path=$WORK/two/account.key"
expect_in_log "certificate apex: issued"
expect_in_log "certificate wildcard: issued"
grep -Eq '^apex +: .*failed=0' "$LOG" || fail "host apex failed"
grep -Eq '^wildcard +: .*failed=0' "$LOG" || fail "host wildcard failed"
"${CHECK[@]}" bound "$WORK/pebble-root.pem" "cdn.example.test,example.test" cdn.example.test >/dev/null
"${CHECK[@]}" bound "$WORK/pebble-root.pem" "*.example.test" static.example.test >/dev/null
"${CHECK[@]}" txt example.test _acme-challenge "v=spf1 -all"

scenario "two runs of one certificate at once: one issues, the other waits and finds it deployed"
"${CHECK[@]}" reset
MARK="$("${CHECK[@]}" ca-mark)"
# Work directories of killed runs (their run is gone) are removed at the next start, once
# old enough; a recent one and one that is not ours stay.
"$PYTHON" - "$TMP" <<'PY'
import json, os, subprocess, sys, time
tmp = sys.argv[1]
dead = subprocess.Popen(["true"])
dead.wait()
for name, owner, age in (("stale", {"pid": dead.pid, "start": 1}, 7200), ("recent", {"pid": dead.pid, "start": 1}, 0),
                         ("foreign", None, 7200)):
    path = os.path.join(tmp, "issue_and_deploy.example.%s-test" % name)
    os.makedirs(path, mode=0o700, exist_ok=True)
    if owner:
        with open(os.path.join(path, ".certops-owner.json"), "w") as handle:
            json.dump({"owner": owner, "created": time.time() - age}, handle)
    with open(os.path.join(path, "privkey.pem"), "w") as handle:
        handle.write("not a key\n")
    os.utime(path, (time.time() - age, time.time() - age))
PY
example_to "$WORK/first.log" >/dev/null &
FIRST=$!
example_to "$WORK/second.log" >/dev/null || fail "the second of two concurrent runs failed: $(cat "$WORK/second.log")"
wait "$FIRST" || fail "the first of two concurrent runs failed: $(cat "$WORK/first.log")"
cat "$WORK/first.log" "$WORK/second.log" >"$LOG"
[ "$(grep -c "certificate example: issued" "$LOG")" = 1 ] || fail "expected exactly one run to issue"
[ "$(grep -c "certificate example: up to date" "$LOG")" = 1 ] || fail "expected the other run to find it up to date"
"${CHECK[@]}" ca-orders-since "$MARK" 1
[ ! -e "$TMP/issue_and_deploy.example.stale-test" ] || fail "the work directory of a killed run was not removed"
[ -e "$TMP/issue_and_deploy.example.recent-test" ] || fail "a recent work directory was removed"
[ -e "$TMP/issue_and_deploy.example.foreign-test" ] || fail "a directory without our owner record was removed"
rm -rf "$TMP/issue_and_deploy.example.recent-test" "$TMP/issue_and_deploy.example.foreign-test"
no_workdir example

scenario "the demo play through ansible-runner, credentials only in the environment"
"${CHECK[@]}" reset
RUNNER="$WORK/runner"
mkdir -p "$RUNNER/env" "$RUNNER/project" "$RUNNER/inventory"
cp files/runner_site.yml "$RUNNER/project/site.yml"
printf 'localhost ansible_connection=local ansible_python_interpreter=%s\n' "$("$PYTHON" -c 'import sys; print(sys.executable)')" \
    >"$RUNNER/inventory/hosts"
"$PYTHON" - "$CONFIG" "$RUNNER" "$WORK" <<'PY'
import json, os, sys
import yaml
config, runner, work = sys.argv[1:]
lab = json.load(open(config))["lab"]
# env/envvars is how AWX hands credentials to the job: environment variables only.
json.dump({"GANDI_PERSONAL_ACCESS_TOKEN": lab["gandi_pat"], "DOGECLOUD_ACCESS_KEY": lab["dogecloud_access_key"],
           "DOGECLOUD_SECRET_KEY": lab["dogecloud_secret_key"],
           "ANSIBLE_COLLECTIONS_PATH": os.environ.get("ANSIBLE_COLLECTIONS_PATH", "")},
          open(os.path.join(runner, "env", "envvars"), "w"))
extravars = {"lab": lab, "issue_and_deploy_account_key_path": work + "/runner-account.key",
             "issue_and_deploy_edge_ca_path": work + "/pebble-root.pem"}
for path in ("vars/lab.yml", "vars/example.yml"):
    extravars.update(yaml.safe_load(open(path)))
json.dump(extravars, open(os.path.join(runner, "env", "extravars"), "w"))
PY
RUNNER_BIN="$(dirname "$("$PYTHON" -c 'import sys; print(sys.executable)')")/ansible-runner"
command -v "$RUNNER_BIN" >/dev/null || RUNNER_BIN=ansible-runner
(
    unset GANDI_PERSONAL_ACCESS_TOKEN DOGECLOUD_ACCESS_KEY DOGECLOUD_SECRET_KEY
    "$RUNNER_BIN" run "$RUNNER" -p site.yml >"$LOG" 2>&1
) || { cat "$LOG"; fail "ansible-runner failed"; }
cat "$LOG"
[ "$(cat "$RUNNER"/artifacts/*/status)" = successful ] || fail "ansible-runner status is not successful"
expect_in_log "certificate example: issued"
"${CHECK[@]}" bound "$WORK/pebble-root.pem" "$NAMES" cdn.example.test static.example.test >/dev/null

scenario "tls_endpoint_info against the lab edge: facts, deadline, unknown name, untrusted chain"
ansible-playbook edge_probe.yml -e "@$CONFIG" -e "edge_ca_path=$WORK/pebble-root.pem" "$@"

scenario "ansible-builder create produces a build context for an execution environment"
ROOT="$PWD"
while [ "$ROOT" != / ] && [ ! -f "$ROOT/galaxy.yml" ]; do ROOT="$(dirname "$ROOT")"; done
[ -f "$ROOT/execution-environment.yml" ] || fail "no execution-environment.yml at the collection root ($ROOT)"
BUILDER_BIN="$(dirname "$RUNNER_BIN")/ansible-builder"
command -v "$BUILDER_BIN" >/dev/null || BUILDER_BIN=ansible-builder
(cd "$ROOT" && "$BUILDER_BIN" create -f execution-environment.yml --context "$WORK/ee-context" --output-filename Containerfile)
[ -f "$WORK/ee-context/Containerfile" ] || fail "ansible-builder wrote no Containerfile"
grep -q "certops" "$WORK/ee-context/_build/requirements.yml" || fail "the build context does not install certops.acme"
echo "build context: $(find "$WORK/ee-context" -type f | wc -l) files"

echo "issue_and_deploy: all scenarios passed"
