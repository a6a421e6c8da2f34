# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""In-process execution gives what the module process gives: validation, secrets, warnings, failures."""

from __future__ import annotations

import json
import os
import tempfile
from types import SimpleNamespace
from unittest import mock

import pytest
from ansible.module_utils import basic

from ansible_collections.certops.acme.plugins.module_utils import http_client

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core 2.17 and 2.18
    patch_module_args = None
from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, FailedAfterChange
from ansible_collections.certops.acme.plugins.module_utils.module import Library
from ansible_collections.certops.acme.plugins.modules import acme_account, dogecloud_certificate_info, gandi_zone_info
from ansible_collections.certops.acme.plugins.plugin_utils import in_process

SECRET = "s3cret-value-never-shown"
NAME = "certops.acme.fake"
# As ansible-core 2.19 sends them (tracebacks off by default); 2.17 and 2.18 send no _ansible_tracebacks_for.
INTERNAL = {"_ansible_module_name": NAME, "_ansible_check_mode": False, "_ansible_diff": False, "_ansible_tracebacks_for": []}


class ModuleExit(Exception):
    pass


def run_main(module, args):
    """What the module's ``main()`` passes to ``fail_json`` for ``args`` (before ``AnsibleModule`` masks secrets)."""
    def leave(_self, **result):
        raise ModuleExit(result)

    if patch_module_args is None:  # ansible-core 2.17 and 2.18
        arguments = mock.patch.object(basic, "_ANSIBLE_ARGS", json.dumps(dict(ANSIBLE_MODULE_ARGS=args)).encode())
    else:
        arguments = patch_module_args(args)
    with arguments, mock.patch.object(basic.AnsibleModule, "fail_json", leave), \
            mock.patch.object(basic.AnsibleModule, "exit_json", leave), pytest.raises(ModuleExit) as caught:
        module.main()
    return caught.value.args[0]


def fake_module(run, libraries=(), **options):
    spec = ArgumentSpec(dict(dict(
        token=dict(type="str", no_log=True, env=["CERTOPS_TEST_TOKEN"]),
        count=dict(type="int", default=1),
        flag=dict(type="bool", default=False),
        other=dict(type="str"),
        path=dict(type="path"),
    ), **options), mutually_exclusive=[("token", "other")], required_if=[("flag", True, ["other"])])
    return SimpleNamespace(__name__="fake", SPEC=spec, run=run, LIBRARIES=tuple(libraries))


def output(module, args, **internal):
    return in_process.module_output(module, args, dict(INTERNAL, **internal))


def echo(params, context):
    return dict(changed=False, params=params, check_mode=context.check_mode, diff=dict(before=1, after=2))


@pytest.mark.parametrize("module, args", [
    (gandi_zone_info, dict(names=["example.test"], personal_access_token=SECRET, no_such_option=1)),
    (gandi_zone_info, dict(personal_access_token=SECRET)),
    (gandi_zone_info, dict(names=["example.test"], timeout="soon")),
    (acme_account, dict(directory="https://acme.test/dir", account_key_path="/k", account_key_content="----not-a-key----")),
    (acme_account, dict(directory="https://acme.test/dir")),
    (dogecloud_certificate_info, dict(secret_key=SECRET)),
])
def test_bad_input_fails_with_the_message_of_the_module(monkeypatch, module, args):
    monkeypatch.delenv("DOGECLOUD_ACCESS_KEY", raising=False)
    monkeypatch.delenv("GANDI_PERSONAL_ACCESS_TOKEN", raising=False)
    expected = run_main(module, dict(args, _ansible_module_name=NAME))
    result = output(module, args)
    assert result["failed"] is True and result["msg"] == expected["msg"]
    assert "changed" not in result and "exception" not in result
    assert SECRET not in json.dumps(result)


def test_unknown_options_are_named_with_the_module():
    result = output(fake_module(echo), dict(nope=1))
    assert result["msg"].startswith("Unsupported parameters for (certops.acme.fake) module: nope.")


def test_unknown_options_pass_when_ansible_says_to_ignore_them():
    result = output(fake_module(echo), dict(nope=1), _ansible_ignore_unknown_opts=True)
    assert result["failed"] is False if "failed" in result else result["changed"] is False


def test_validated_params_with_defaults_reach_run_and_invocation():
    result = output(fake_module(echo), dict(count="3"))
    assert result["params"]["count"] == 3 and result["params"]["flag"] is False
    assert result["invocation"]["module_args"] == dict(token=None, count=3, flag=False, other=None, path=None)


def test_constraints_of_the_spec_apply():
    assert "mutually exclusive: token|other" in output(fake_module(echo), dict(token=SECRET, other="other-value"))["msg"]
    assert output(fake_module(echo), dict(flag=True))["msg"] == "flag is True but all of the following are missing: other"


def test_env_fallback_reads_the_task_environment(monkeypatch):
    monkeypatch.delenv("CERTOPS_TEST_TOKEN", raising=False)
    with in_process.task_environment({"CERTOPS_TEST_TOKEN": SECRET}):
        result = output(fake_module(echo), {})
    assert result["params"]["token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert result["invocation"]["module_args"]["token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert "CERTOPS_TEST_TOKEN" not in os.environ


def test_task_environment_is_restored_and_values_become_text(monkeypatch):
    monkeypatch.setenv("CERTOPS_TEST_KEEP", "before")
    tempfile.gettempdir()
    saved_tempdir = tempfile.tempdir
    with tempfile.TemporaryDirectory() as tmp:
        with in_process.task_environment({"CERTOPS_TEST_KEEP": "during", "CERTOPS_TEST_NUMBER": 5, "TMPDIR": tmp}):
            assert os.environ["CERTOPS_TEST_KEEP"] == "during" and os.environ["CERTOPS_TEST_NUMBER"] == "5"
            assert tempfile.gettempdir() == tmp
    assert os.environ["CERTOPS_TEST_KEEP"] == "before" and "CERTOPS_TEST_NUMBER" not in os.environ
    assert tempfile.tempdir == saved_tempdir


def test_no_log_values_are_masked_everywhere_but_bools_and_none_stay():
    def leak(params, context):
        return dict(changed=True, note="token was %s" % params["token"], nothing=None)

    result = output(fake_module(leak), dict(token=SECRET))
    assert SECRET not in json.dumps(result)
    assert result["note"] == "token was ********" and result["changed"] is True and result["nothing"] is None


def test_check_mode_and_diff_come_from_ansible():
    plain = output(fake_module(echo), {})
    assert plain["check_mode"] is False and "diff" not in plain
    asked = output(fake_module(echo), {}, _ansible_check_mode=True, _ansible_diff=True)
    assert asked["check_mode"] is True and asked["diff"] == dict(before=1, after=2)


def test_warnings_of_run_and_of_the_http_layer_are_in_the_result_in_order():
    def warns(params, context):
        http_client.warn_untrusted(False, "https://api.example.test")
        return dict(changed=False, warnings=["from the result"])

    previous = http_client.set_warning_handler(None)
    try:
        result = output(fake_module(warns), {})
        assert http_client.set_warning_handler(previous) is None  # the handler is put back after the call
    finally:
        http_client.set_warning_handler(previous)
    assert len(result["warnings"]) == 2 and "api.example.test" in result["warnings"][0]
    assert result["warnings"][1] == "from the result"
    assert "warnings" not in output(fake_module(echo), {})


def test_failed_after_change_reports_the_change_its_warnings_and_the_traceback():
    def half(params, context):
        raise FailedAfterChange(CertopsError("deploy failed", step="bind"), dict(cert_id=7, warnings=["careful"], diff={}))

    result = output(fake_module(half), {}, _ansible_diff=True, _ansible_tracebacks_for=["error"])
    assert result["failed"] is True and result["changed"] is True and result["cert_id"] == 7
    assert result["msg"] == "deploy failed" and result["details"] == dict(step="bind")
    assert result["warnings"] == ["careful"] and "diff" not in result
    assert "FailedAfterChange" in result["exception"]


def test_the_traceback_follows_what_ansible_asks_for():
    def refuse(params, context):
        raise CertopsError("no")

    assert "exception" not in output(fake_module(refuse), {}, _ansible_tracebacks_for=[])
    assert "Traceback" in output(fake_module(refuse), {}, _ansible_tracebacks_for=["error"])["exception"]
    older = dict(INTERNAL)
    del older["_ansible_tracebacks_for"]  # ansible-core 2.17 and 2.18: always
    result = in_process.module_output(fake_module(refuse), {}, older)
    assert result["failed"] is True and result["changed"] is False and "Traceback" in result["exception"]


def test_a_missing_library_fails_as_in_the_module():
    result = output(fake_module(echo, [Library("acme", False, "ImportError: no acme")]), {}, _ansible_tracebacks_for=["error"])
    assert result["failed"] is True and "acme" in result["msg"] and result["exception"] == "ImportError: no acme"


def test_a_path_in_the_result_gets_the_facts_ansiblemodule_adds(tmp_path):
    def made(params, context):
        return dict(changed=False, path=str(tmp_path))

    os.chmod(str(tmp_path), 0o700)
    result = output(fake_module(made), {})
    assert result["state"] == "directory" and result["mode"] == "0700" and result["uid"] == os.getuid()


def test_a_deprecated_option_in_use_leaves_it_to_the_module_process():
    module = fake_module(echo, old=dict(type="str", removed_in_version="2.0.0", removed_from_collection="certops.acme"))
    assert output(module, dict(old="x")) is None
    assert output(module, {}) is not None
