# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a certops.acme module inside the Ansible worker when its target is the controller.

Each module has an action plugin of the same name built on :class:`InProcessModuleAction`.
When the task would run the module on the controller itself (the ``local`` connection,
no ``become``, not ``async``, no other Python named for the host) and the variable
``certops_acme_in_process`` is not false, the plugin imports the module, validates the
task's options the way ``AnsibleModule`` does, calls the module's ``run`` in the worker
and hands Ansible the result the module would have printed. Otherwise it runs the module
the usual way. ``docs/architecture.md`` ("In-process execution") says why and what is
the same.

The worker is a process Ansible forks for each task and that exits after it: what the
call sets in this process (``os.environ`` for the task's ``environment:``, imported
modules) ends with the task. The environment is restored after the call all the same.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
from contextlib import contextmanager

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash
from ansible.vars.clean import remove_internal_keys
from ansible_collections.certops.acme.plugins.module_utils.module import ModuleContext, ansible_argument_spec, module_result

try:  # ansible-core 2.19 and later: results travel in serialization profiles
    from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
    AnsibleJSONEncoder = jsonify = None
except ImportError:  # ansible-core 2.17 and 2.18: the encoder of module_common, the jsonify of AnsibleModule
    Direction = get_module_decoder = get_module_encoder = None
    from ansible.module_utils.common.json import AnsibleJSONEncoder
    from ansible.module_utils.common.text.converters import jsonify

display = Display()

# The variable that turns in-process execution off (true by default).
OPT_OUT_VARIABLE = "certops_acme_in_process"
LOCAL_CONNECTIONS = ("local", "ansible.builtin.local", "ansible.legacy.local")
# Interpreter discovery: the module would run on a Python of the host's; in-process runs on Ansible's.
DISCOVERY = ("auto", "auto_legacy", "auto_silent", "auto_legacy_silent")
# The serialization profile of a module without metadata, as every certops.acme module is.
PROFILE = "legacy"


class InProcessModuleAction(NormalAction):
    """The action of the module ``MODULE``: in the worker when that is certainly equivalent, else the module.

    ``MODULE`` is the imported module (``SPEC``, ``run``, ``LIBRARIES``). Each action
    plugin imports it when it is loaded, and Ansible's strategy loads the action
    plugin of a task in the ``ansible-playbook`` process before it forks the task's
    workers: the module and the libraries it imports (``requests``, ``cryptography``)
    are then loaded once per run and every worker inherits them, instead of each
    worker importing them again.
    """

    MODULE = None

    @property
    def module_name(self):
        return self.MODULE.__name__.rpartition(".")[2]

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars if task_vars is not None else {}
        reason = self.in_process_refusal(task_vars)
        if reason is None:
            result = ActionBase.run(self, tmp, task_vars)
            data = self._run_in_process(task_vars)
            if data is not None:
                return merge_hash(result, data)
            reason = "an option is deprecated"
        display.vvvv("certops.acme: %s runs as a module process (%s)" % (self.module_name, reason))
        return super().run(tmp, task_vars)

    def in_process_refusal(self, task_vars):
        """Why the module must run as a process for this task, or ``None`` when it can run in the worker."""
        host_vars = task_vars
        if self._task.delegate_to and isinstance(task_vars.get("ansible_delegated_vars"), dict):
            host_vars = task_vars["ansible_delegated_vars"].get(self._task.delegate_to, task_vars)
        wanted = task_vars.get(OPT_OUT_VARIABLE, True)
        if not boolean(self._templar.template(wanted), strict=False):
            return "%s is false" % OPT_OUT_VARIABLE
        connection = getattr(self._connection, "_load_name", None) or getattr(self._connection, "transport", None)
        if connection not in LOCAL_CONNECTIONS or getattr(self._connection, "transport", "local") != "local":
            return "the connection is %s, not local" % connection
        if self._play_context.become:
            return "become is set"
        if self._task.async_val:
            return "the task is async"
        interpreter = host_vars.get("ansible_python_interpreter")
        if interpreter is not None:
            interpreter = str(self._templar.template(interpreter)).strip()
            if interpreter not in DISCOVERY and os.path.abspath(interpreter) != os.path.abspath(sys.executable):
                return "ansible_python_interpreter is %s, not the Python of Ansible (%s)" % (interpreter, sys.executable)
        return None

    def _run_in_process(self, task_vars):
        """The module's result as ``_execute_module`` returns it, or ``None`` to run the module process instead."""
        module = self.MODULE
        args = dict(self._task.args)
        # What the module process would get besides its options (check mode, diff, name...).
        self._update_module_args(self._task.action, args, task_vars)
        internal = {key: args.pop(key) for key in list(args) if key.startswith("_ansible_")}
        args = _as_module_receives(args)
        environment = {}
        self._compute_environment_string(environment)
        with task_environment(environment):
            try:
                output = module_output(module, args, internal)
            except Exception:  # pylint: disable=broad-exception-caught
                # An error no module expects: its process would have ended with this traceback on stderr.
                return self._as_returned(dict(rc=1, stdout="", stderr=traceback.format_exc()))
        if output is None:
            return None
        display.vvv("certops.acme: ran %s in the Ansible worker (pid %d), no module process" % (self.module_name, os.getpid()))
        if Direction is None:
            text = jsonify(output)
        else:
            text = json.dumps(output, cls=get_module_encoder(PROFILE, Direction.MODULE_TO_CONTROLLER))
        return self._as_returned(dict(rc=0, stdout=text, stderr=""))

    def _as_returned(self, process):
        """What ``_execute_module`` makes of what a module ``process`` gave (``rc``, ``stdout``, ``stderr``)."""
        if Direction is None:
            data = self._parse_returned_data(process)
        else:
            data = self._parse_returned_data(process, PROFILE)
        data.pop("_ansible_suppress_tmpdir_delete", None)
        remove_internal_keys(data)
        return data


def _as_module_receives(args):
    """``args`` after the trip to a module process: plain JSON values, as its ``AnsibleModule`` reads them."""
    if Direction is None:
        return json.loads(json.dumps(args, cls=AnsibleJSONEncoder, vault_to_text=True))
    text = json.dumps(args, cls=get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE))
    return json.loads(text, cls=get_module_decoder(PROFILE, Direction.CONTROLLER_TO_MODULE))


@contextmanager
def task_environment(environment):
    """``os.environ`` with the task's ``environment:`` for the ``with`` block, as the module process has it.

    The shell puts each value in the module's environment as text; a temporary
    directory named there (``TMPDIR``) applies too. Restored afterwards, although the
    worker ends with the task anyway.
    """
    saved = dict(os.environ)
    saved_tempdir = tempfile.tempdir
    os.environ.update({str(name): str(value) for name, value in environment.items()})
    tempfile.tempdir = None
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        tempfile.tempdir = saved_tempdir


def module_output(module, args, internal):
    """The dict the module's ``AnsibleModule`` would print for ``args``, or ``None`` when only the module can say.

    ``module`` is an imported certops.acme module (``SPEC``, ``run``, ``LIBRARIES``);
    ``internal`` holds the ``_ansible_*`` arguments Ansible would have sent it.
    """
    name = internal.get("_ansible_module_name", module.__name__)
    tracebacks = _tracebacks_wanted(internal)
    validator = ArgumentSpecValidator(ansible_argument_spec(module.SPEC), **module.SPEC.constraints())
    validation = validator.validate(args)
    if validation._deprecations:
        # A deprecation travels the module's own way; none of our options is deprecated yet.
        return None
    params = dict(args)
    params.update(validation.validated_parameters)
    no_log_values = set(validation._no_log_values)
    warnings = ["Both option {option} and its alias {alias} are set.".format(**w) for w in validation._warnings]
    try:
        error = validation.errors[0]
    except IndexError:
        error = None
    if error is not None and isinstance(error, UnsupportedError) and internal.get("_ansible_ignore_unknown_opts"):
        error = None
    if error is not None:
        msg = validation.errors.msg
        if isinstance(error, UnsupportedError):
            msg = "Unsupported parameters for ({name}) {kind}: {msg}".format(name=name, kind="module", msg=msg)
        result = dict(failed=True, msg=msg)
        if tracebacks and Direction is not None:
            result["exception"] = "".join(traceback.format_stack())
        return _formatted(result, params, warnings, no_log_values)
    context = ModuleContext(check_mode=bool(internal.get("_ansible_check_mode")), diff=bool(internal.get("_ansible_diff")))
    result = module_result(module.run, params, context, module.LIBRARIES)
    warnings.extend(result.pop("warnings"))
    if result.get("failed"):
        exception = result.pop("exception", None)
        if tracebacks and exception:
            result["exception"] = exception
    return _formatted(result, params, warnings, no_log_values)


def _tracebacks_wanted(internal):
    """Whether the module would put a traceback under ``exception`` (2.19 and later: only when asked for)."""
    if "_ansible_tracebacks_for" not in internal:
        return True
    return "error" in (internal["_ansible_tracebacks_for"] or ())


def _formatted(result, params, warnings, no_log_values):
    """``AnsibleModule._return_formatted``: path facts, ``invocation``, ``warnings``, no_log values masked."""
    result = _with_path_info(result)
    result.setdefault("invocation", {"module_args": params})
    if warnings:
        result["warnings"] = warnings
    preserved = {key: value for key, value in result.items() if value is None or isinstance(value, bool)}
    result = remove_values(result, no_log_values)
    result.update(preserved)
    return result


def _with_path_info(result):
    """The facts ``AnsibleModule`` adds about a ``path`` or ``dest`` in a result (owner, mode, state...)."""
    path_facts = AnsibleModule.__new__(AnsibleModule)
    path_facts._selinux_enabled = None
    path_facts._selinux_mls_enabled = None
    path_facts._selinux_initial_context = None
    return path_facts.add_path_info(dict(result))
