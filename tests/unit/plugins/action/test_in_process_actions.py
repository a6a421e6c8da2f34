# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugins: one per module, in-process only where it is certainly the same, else the module process."""

from __future__ import annotations

import importlib
import json
import os
import sys

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.plugins.loader import connection_loader
from ansible.template import Templar

from ansible_collections.certops.acme.plugins.plugin_utils import in_process

MODULES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "modules")
MODULES = sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.endswith(".py") and not name.startswith("_"))
SECRET = "dogecloud-access-never-shown"


def action_for(module, args, connection="local", environment=None, **task):
    plugin = importlib.import_module("ansible_collections.certops.acme.plugins.action.%s" % module)
    loader = DataLoader()
    play_context = PlayContext()
    for name, value in task.pop("play_context", {}).items():
        setattr(play_context, name, value)
    data = dict(action="certops.acme.%s" % module, args=args, **task)
    if environment is not None:
        data["environment"] = environment
    return plugin.ActionModule(Task.load(data), connection_loader.get(connection, play_context, os.devnull), play_context,
                               loader, Templar(loader=loader), None)


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_its_action_and_what_it_imports(module):
    plugin = importlib.import_module("ansible_collections.certops.acme.plugins.action.%s" % module)
    code = importlib.import_module("ansible_collections.certops.acme.plugins.modules.%s" % module)
    assert issubclass(plugin.ActionModule, in_process.InProcessModuleAction) and plugin.ActionModule.MODULE is code
    assert callable(code.run) and code.SPEC.options and isinstance(code.LIBRARIES, tuple)


def test_the_controller_itself_runs_in_process():
    assert action_for("gandi_zone_info", {}).in_process_refusal({}) is None
    for interpreter in (sys.executable, "auto_silent"):
        assert action_for("gandi_zone_info", {}).in_process_refusal(dict(ansible_python_interpreter=interpreter)) is None
    assert action_for("gandi_zone_info", {}).in_process_refusal({in_process.OPT_OUT_VARIABLE: "yes"}) is None


@pytest.mark.parametrize("task_vars, task, connection, reason", [
    ({in_process.OPT_OUT_VARIABLE: False}, {}, "local", "certops_acme_in_process is false"),
    ({in_process.OPT_OUT_VARIABLE: "no"}, {}, "local", "certops_acme_in_process is false"),
    ({}, {}, "ssh", "not local"),
    ({}, dict(play_context=dict(become=True)), "local", "become"),
    ({}, {"async": 30, "poll": 1}, "local", "async"),
    (dict(ansible_python_interpreter="/opt/other/bin/python3"), {}, "local", "/opt/other/bin/python3"),
])
def test_anything_else_runs_the_module_process(monkeypatch, task_vars, task, connection, reason):
    action = action_for("gandi_zone_info", dict(names=["example.test"]), connection=connection, **task)
    assert reason in action.in_process_refusal(task_vars)
    monkeypatch.setattr(NormalAction, "run", lambda self, tmp=None, task_vars=None: {"ran": "module process"})
    monkeypatch.setattr(in_process.InProcessModuleAction, "_run_in_process", lambda *args: pytest.fail("ran in-process"))
    assert action.run(task_vars=task_vars) == {"ran": "module process"}


def test_in_process_validation_reads_the_task_environment_and_hides_secrets(monkeypatch):
    monkeypatch.delenv("DOGECLOUD_ACCESS_KEY", raising=False)
    monkeypatch.setattr(NormalAction, "run", lambda *args, **kwargs: pytest.fail("ran the module process"))
    action = action_for("dogecloud_certificate_info", dict(api_url="https://api.example.test"),
                        environment=[{"DOGECLOUD_ACCESS_KEY": SECRET}])
    result = action.run(task_vars={})
    # access_key came from the environment: only secret_key is missing.
    assert result["failed"] is True and result["msg"] == "missing required arguments: secret_key"
    assert SECRET not in json.dumps(result, default=str)
    assert result["invocation"]["module_args"]["access_key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert "DOGECLOUD_ACCESS_KEY" not in os.environ


def test_in_process_refuses_unknown_options_as_the_module_does(monkeypatch):
    monkeypatch.setattr(NormalAction, "run", lambda *args, **kwargs: pytest.fail("ran the module process"))
    result = action_for("gandi_zone_info", dict(names=["example.test"], nope=1)).run(task_vars={})
    assert result["failed"] is True and "changed" not in result
    assert result["msg"].startswith("Unsupported parameters for (certops.acme.gandi_zone_info) module: nope.")


def test_in_process_runs_the_module_and_returns_its_result(monkeypatch, tmp_path):
    monkeypatch.setattr(NormalAction, "run", lambda *args, **kwargs: pytest.fail("ran the module process"))
    action = action_for("certificate_workspace", dict(name="unit-test", state="absent", path=str(tmp_path / "gone")))
    result = action.run(task_vars={})
    assert result["changed"] is False and result["path"] == str(tmp_path / "gone")
    assert result["invocation"]["module_args"]["state"] == "absent" and "failed" not in result


def test_an_unexpected_error_fails_the_task_as_a_dying_module_process_does(monkeypatch):
    monkeypatch.setattr(NormalAction, "run", lambda *args, **kwargs: pytest.fail("ran the module process"))

    def broken(module, args, internal):
        raise KeyError("a bug")

    monkeypatch.setattr(in_process, "module_output", broken)
    result = action_for("gandi_zone_info", dict(names=["example.test"])).run(task_vars={})
    assert result["failed"] is True and result["rc"] == 1
    assert "KeyError: 'a bug'" in result["module_stderr"] and result["module_stdout"] == ""
