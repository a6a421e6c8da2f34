#!/usr/bin/env bash
# certops.acme modules run inside the Ansible worker when the task targets the controller:
# the same results as module processes, no module process, the task's environment: seen,
# no secret in -vvvv output; certops_acme_in_process=false and async run the module process.
set -eu

CONFIG=../../integration_config.yml
PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
IN_PROCESS_WORK_DIR="$(mktemp -d)"
export IN_PROCESS_WORK_DIR
trap 'rm -rf "${IN_PROCESS_WORK_DIR}"' EXIT
WORK="${IN_PROCESS_WORK_DIR}"

fail() { echo "in_process: $*"; exit 1; }

run() {  # run <log> <in-process: true|false> [ansible-playbook options]: the pid of ansible-playbook in <log>.pid
    local log="$1" wanted="$2"
    shift 2
    ansible-playbook compare.yml -e "@${CONFIG}" -e "certops_acme_in_process=${wanted}" "$@" >"${log}" 2>&1 &
    echo $! >"${log}.pid"
    wait $! || { cat "${log}"; fail "the run with certops_acme_in_process=${wanted} failed"; }
}

run "${WORK}/in_process.log" true -vvvv
run "${WORK}/module.log" false -vvv

# (b) in-process ran no module process; the opt-out ran one per task.
CERTOPS_MODULES='AnsiballZ_(acme_|certificate_workspace|dogecloud_|gandi_|tls_endpoint_info)'
grep -qE "${CERTOPS_MODULES}" "${WORK}/in_process.log" && { grep -E "${CERTOPS_MODULES}" "${WORK}/in_process.log" | head -5; fail "a module process ran in-process"; }
grep -q 'AnsiballZ_slurp.py' "${WORK}/in_process.log" || fail "the check for module processes sees none at all"
grep -q 'certops.acme: ran gandi_zone_info in the Ansible worker' "${WORK}/in_process.log" || fail "no in-process note at -vvv"
for module in gandi_zone_info dogecloud_domain_info acme_account certificate_workspace dogecloud_certificate_info; do
    grep -q "AnsiballZ_${module}.py" "${WORK}/module.log" || fail "certops_acme_in_process=false ran no ${module} process"
done
grep -q "certops.acme: ran .* in the Ansible worker" "${WORK}/module.log" && fail "certops_acme_in_process=false still ran in-process"
echo "in-process: no AnsiballZ module; with certops_acme_in_process=false: one per task"

# (a) the same results, (c) the environment credential worked, the lease owner is this ansible-playbook.
"${PYTHON}" - "${WORK}" "$(cat "${WORK}/in_process.log.pid")" "$(cat "${WORK}/module.log.pid")" <<'PYTHON'
import json
import sys

work, in_process_pid, module_pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runs = {mode: json.load(open("%s/%s.json" % (work, mode))) for mode in ("in_process", "module")}
# What differs between two runs whatever executes them: the work directory (a new one each time),
# the account key file of each run, the wait, the owner pid and the ACME nonce.
VOLATILE = {"path", "waited_seconds", "account_key_path", "owner", "nonce"}


# A traceback (ansible-core 2.17 and 2.18 return one) names the module's files: in the payload zip or in the collection.
TRACEBACK = "exception"


def scrub(value):
    if isinstance(value, dict):
        return {key: "<traceback>" if key == TRACEBACK and isinstance(item, str) else scrub(item)
                for key, item in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    if isinstance(value, str):
        return value.replace(work, "<work>").replace("in_process", "<mode>").replace("module", "<mode>")
    return value


left, right = scrub(runs["in_process"]), scrub(runs["module"])
for task in sorted(set(left) | set(right)):
    if left.get(task) != right.get(task):
        print("task %s differs:\n in-process %s\n module     %s" % (task, json.dumps(left.get(task), sort_keys=True),
                                                                   json.dumps(right.get(task), sort_keys=True)))
        sys.exit(1)
result = runs["in_process"]
assert result["zones"]["credential_kind"] == "personal access token", result["zones"]
assert not result["zones"]["failed"] and not result["domains"]["failed"], result
assert any("validate_certs is false" in warning for warning in result["domains"]["warnings"]), result["domains"]
assert result["unknown"]["msg"].startswith("Unsupported parameters for (certops.acme.gandi_zone_info) module: no_such_option"), result["unknown"]
assert "mutually exclusive" in result["exclusive"]["msg"], result["exclusive"]
assert result["missing"]["msg"] == "missing required arguments: access_key", result["missing"]
assert result["certops_error"]["failed"] and not result["certops_error"]["changed"], result["certops_error"]
assert result["account_check"]["changed"] and "diff" in result["account_check"], result["account_check"]
assert result["workspace"]["mode"] == "0700" and result["workspace"]["state"] == "directory", result["workspace"]
for mode, pid in (("in_process", in_process_pid), ("module", module_pid)):
    assert runs[mode]["owner"]["owner"]["pid"] == pid, (mode, runs[mode]["owner"], pid)
print("in-process and module results are the same for %d tasks; the lease owner is ansible-playbook" % len(left))
PYTHON

# (d) no secret in the -vvvv output of the in-process run.
"${PYTHON}" - "${CONFIG}" "${WORK}/in_process.log" <<'PYTHON'
import json
import sys

lab = json.load(open(sys.argv[1]))["lab"]
output = open(sys.argv[2]).read()
for name in ("gandi_pat", "gandi_api_key", "dogecloud_access_key", "dogecloud_secret_key"):
    if lab[name] in output:
        sys.exit("in_process: the secret %s is in the -vvvv output" % name)
print("no secret in the -vvvv output of the in-process run")
PYTHON

# Fallback: an async task runs the module process even where in-process is allowed.
ansible-playbook async.yml -e "@${CONFIG}" -vvv >"${WORK}/async.log" 2>&1 || { cat "${WORK}/async.log"; fail "the async run failed"; }
grep -q 'AnsiballZ_gandi_zone_info.py' "${WORK}/async.log" || fail "the async task did not run the module process"
echo "an async task ran the module process"
