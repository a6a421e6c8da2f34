#!/usr/bin/env bash
# Crash recovery of the role: real ansible-playbook runs of
# certops.acme.issue_and_deploy against the lab, SIGKILLed (the whole process
# group) at three points, and a run whose TXT withdrawal keeps failing. After
# each, a rerun on a "new controller" (fresh HOME and TMPDIR, no
# XDG_RUNTIME_DIR; only the inputs kept) must succeed and leave no TXT value of
# ours, every foreign value, no old unbound upload of ours and no stray key.
set -eu

CONFIG=../../integration_config.yml
PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/role_recovery.XXXXXX")"
CHECK=("$PYTHON" files/recovery.py "$CONFIG")
# On a failure, the end of every run's output is shown before the work directory goes.
trap 'status=$?; [ "$status" = 0 ] || tail -n 30 "$WORK"/*.log 2>/dev/null || true
      "${CHECK[@]}" reset >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
scenario() { printf '\n##### %s\n' "$*"; }

eval "$("$PYTHON" - "$CONFIG" <<'PY'
import json, shlex, sys
lab = json.load(open(sys.argv[1]))["lab"]
for name, key in (("GANDI_PERSONAL_ACCESS_TOKEN", "gandi_pat"), ("DOGECLOUD_ACCESS_KEY", "dogecloud_access_key"),
                  ("DOGECLOUD_SECRET_KEY", "dogecloud_secret_key")):
    print("export %s=%s" % (name, shlex.quote(lab[key])))
PY
)"
export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false ANSIBLE_NOCOLOR=1
# The account key is an input (ACCOUNT, set per scenario); every rerun keeps the killed
# run's account, as a real rerun would. After (b), (c) and the failed withdrawal the
# killed run's authorizations are valid and Pebble may reuse them (PEBBLE_AUTHZREUSE):
# the rerun then publishes no challenge, and its withdrawal still sweeps every challenge
# record of the certificate of the values of ours left behind.
ACCOUNT=
FOREIGN="v=spf1 -all"
GRACE=2
NAME=recovery

# controller DIR: a new controller's HOME and TMPDIR (nothing of an earlier run in them).
controller() { mkdir -p "$1/home" "$1/tmp"; }
# start DIR LOG ARGS...: the playbook in the background, in its own process group
# (setsid), with DIR's HOME and TMPDIR and no XDG_RUNTIME_DIR; sets PID.
start() {
    local dir="$1" log="$2"
    shift 2
    controller "$dir"
    env -u XDG_RUNTIME_DIR -u CERTOPS_ACME_LOCK_DIR HOME="$dir/home" TMPDIR="$dir/tmp" \
        setsid ansible-playbook certops.acme.issue_and_deploy -e "@$CONFIG" -e @../issue_and_deploy/vars/lab.yml \
        -e @vars/recovery.yml -e "issue_and_deploy_account_key_path=$ACCOUNT" "$@" >"$log" 2>&1 &
    PID=$!
}
# killall_run: SIGKILL the whole process group of the run (ansible-playbook, its
# workers and the module processes), as an OOM killer or a lost AWX node would.
kill_run() {
    local pgid
    pgid="$(ps -o pgid= -p "$PID" | tr -d ' ')"
    [ "$pgid" = "$PID" ] || fail "the run is not the leader of its own process group ($pgid)"
    kill -9 -- "-$pgid"
    wait "$PID" 2>/dev/null || true
    sleep 0.5
    if pgrep -g "$pgid" >/dev/null; then fail "processes of the killed run are left"; fi
    echo "killed process group $pgid"
}
# rerun DIR ARGS...: a whole run on a new controller that must succeed.
rerun() {
    local dir="$1" status=0
    shift
    start "$dir" "$dir/run.log" "$@"
    wait "$PID" || status=$?
    cat "$dir/run.log"
    [ "$status" = 0 ] || fail "the rerun after the crash failed"
    grep -q "certificate $NAME: issued\|certificate $NAME: renewed" "$dir/run.log" || fail "the rerun did not deploy"
}
# clean_after DIR: what a rerun must leave behind.
clean_after() {
    "${CHECK[@]}" txt example.test _acme-challenge "$FOREIGN"
    "${CHECK[@]}" no-unbound-uploads "$NAME" "$GRACE"
    "${CHECK[@]}" no-keys "$1/tmp" "$1/home"
    [ -z "$(find "$1/tmp" -mindepth 1 -maxdepth 1 -name "issue_and_deploy.*")" ] || fail "the rerun left its work directory"
}
# fresh_lab: no certificate on DogeCloud, only the foreign value in the challenge rrset.
fresh_lab() {
    "${CHECK[@]}" reset
    "${CHECK[@]}" seed-txt example.test _acme-challenge "$FOREIGN"
}

scenario "(a) killed right after the TXT publication"
# Deterministic point: the name server shows new values only 8 s after the write, so
# the run sits in the publication's propagation wait when the kill comes (checked:
# no challenge answer reached the CA).
fresh_lab
"${CHECK[@]}" gandi-delay 8
ACCOUNT="$WORK/a/account.key"
MARK="$("${CHECK[@]}" chal-mark)"
start "$WORK/a" "$WORK/a.log"
"${CHECK[@]}" wait-txt-ours example.test _acme-challenge "$PID"
kill_run
"${CHECK[@]}" no-chal-since "$MARK"
"${CHECK[@]}" gandi-delay 0
LEFT="$("${CHECK[@]}" txt-ours-count example.test _acme-challenge)"
[ "$LEFT" -ge 1 ] || fail "the killed run left no ledger value (nothing to recover from)"
echo "the killed run left $LEFT ledger value(s) in the rrset"
sleep "$((GRACE + 1))"
rerun "$WORK/a-rerun"
clean_after "$WORK/a-rerun"

scenario "(b) killed while acme_order_finalize waits for the CA"
# Deterministic point: the finalize module answers the challenges and then sleeps
# (POLL_FIRST, 1 s) before its first read of the order. The kill follows the first
# challenge answer in Pebble's log within a few tens of milliseconds, so it lands in
# that sleep: the order is not finalized, the new key is in the work directory and
# nothing is uploaded yet (checked below, so a late kill fails the test).
fresh_lab
ACCOUNT="$WORK/b/account.key"
MARK="$("${CHECK[@]}" chal-mark)"
start "$WORK/b" "$WORK/b.log"
"${CHECK[@]}" wait-chal "$MARK" "$PID"
kill_run
[ -z "$("${CHECK[@]}" upload-ids "$NAME")" ] || fail "the kill landed after the upload, not during finalize"
if [ -z "$(find "$WORK/b/tmp" -name privkey.pem)" ] || [ -n "$(find "$WORK/b/tmp" -name cert.pem)" ]; then
    fail "the kill did not land between key generation and the certificate download"
fi
"${CHECK[@]}" keys-only-in-workdir "$WORK/b/tmp" "$NAME" "$WORK/b/home"
sleep "$((GRACE + 1))"
rerun "$WORK/b-rerun"
clean_after "$WORK/b-rerun"

scenario "(c) killed after the upload, before the bind"
# The bind call stalls (no answer for 120 s), so the run sits between upload and bind.
fresh_lab
ACCOUNT="$WORK/c/account.key"
"${CHECK[@]}" fault dogecloud stall 1 /cdn/cert/bind.json
start "$WORK/c" "$WORK/c.log"
ORPHAN="$("${CHECK[@]}" wait-upload "$NAME" "$PID")"
kill_run
"${CHECK[@]}" clear-faults
"${CHECK[@]}" keys-only-in-workdir "$WORK/c/tmp" "$NAME" "$WORK/c/home"
sleep "$((GRACE + 1))"
rerun "$WORK/c-rerun"
clean_after "$WORK/c-rerun"
"${CHECK[@]}" cert-absent "$ORPHAN"

scenario "a TXT withdrawal that keeps failing; the next deployment removes what it left"
fresh_lab
ACCOUNT="$WORK/w/account.key"
start "$WORK/w" "$WORK/w.log"
"${CHECK[@]}" wait-txt-ours example.test _acme-challenge "$PID"
# From now on every write to the rrset fails: the withdrawal (a PUT, since the
# foreign value stays; a DELETE otherwise) gets 503 on every try.
"${CHECK[@]}" write-fault gandi http_503 100 /records/_acme-challenge PUT DELETE
status=0
wait "$PID" || status=$?
cat "$WORK/w.log"
"${CHECK[@]}" clear-faults
grep -q "Withdraw the DNS-01 challenges of $NAME" "$WORK/w.log" || fail "no withdrawal was tried"
LEFT="$("${CHECK[@]}" txt-ours-count example.test _acme-challenge)"
[ "$LEFT" -ge 1 ] || fail "the failing withdrawal removed our values after all"
echo "run status $status; $LEFT ledger value(s) left by the failed withdrawal"
sleep "$((GRACE + 1))"
# The certificate may be deployed already (the run got that far): force the renewal,
# since a run with nothing due touches no rrset.
rerun "$WORK/w-rerun" -e issue_and_deploy_force_renewal=true
clean_after "$WORK/w-rerun"

scenario "two different certificates of one name, deployed at once from two controllers"
# Same certificate name, other DNS names, CDN domain sets that do not overlap, and
# both challenges in the same rrset. Two controllers (own HOME and TMPDIR) share no
# lease, so the runs really overlap. The grace periods are the defaults: a value or
# upload of the other run is young, so neither run takes it for a leftover.
fresh_lab
"${CHECK[@]}" pebble-root "$WORK/pebble-root.pem"
ACCOUNT="$WORK/p/account.key"
TWO=(-e issue_and_deploy_dns_stale_after=3600 -e issue_and_deploy_prune_grace_period=3600)
start "$WORK/p1" "$WORK/p1.log" "${TWO[@]}" -e '{"issue_and_deploy_certificates": [{"name": "recovery",
    "domains": ["example.test", "cdn.example.test"], "dogecloud_domains": ["cdn.example.test"]}]}'
FIRST=$PID
start "$WORK/p2" "$WORK/p2.log" "${TWO[@]}" -e '{"issue_and_deploy_certificates": [{"name": "recovery",
    "domains": ["*.example.test"], "dogecloud_domains": ["static.example.test"]}]}'
SECOND=$PID
wait "$FIRST" || fail "the first of two concurrent runs failed: $(cat "$WORK/p1.log")"
wait "$SECOND" || fail "the second of two concurrent runs failed: $(cat "$WORK/p2.log")"
grep -h "certificate recovery: issued\|names: \|DogeCloud certificate id" "$WORK/p1.log" "$WORK/p2.log"
"${CHECK[@]}" bound "$WORK/pebble-root.pem" "cdn.example.test,example.test" cdn.example.test >/dev/null
"${CHECK[@]}" bound "$WORK/pebble-root.pem" "*.example.test" static.example.test >/dev/null
[ "$("${CHECK[@]}" upload-ids "$NAME" | wc -w)" = 2 ] || fail "expected both uploads to stay: $("${CHECK[@]}" upload-ids "$NAME")"
"${CHECK[@]}" txt example.test _acme-challenge "$FOREIGN"
echo "both certificates deployed and bound, neither upload pruned"

echo "role_recovery: all scenarios passed"
