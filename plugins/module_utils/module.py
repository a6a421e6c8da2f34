# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The only module_utils file that knows Ansible: the one path every module runs.

A module is an :class:`~argspec.ArgumentSpec` and a function
``run(params, context) -> dict``; its ``main()`` is ``run_module(SPEC, run, ...)``.

- ``params`` are the validated options; ``context`` says whether Ansible runs in
  check mode and in diff mode.
- The returned dict is the module's result. It must hold ``changed``. Two keys
  are taken out of it: ``warnings`` (a list of messages, each shown by Ansible)
  and ``diff`` (kept only in diff mode).
- A :class:`~errors.CertopsError` becomes ``fail_json`` with its message and safe
  details, ``changed: false``; a :class:`~errors.FailedAfterChange` also reports
  what had already changed (``changed: true``, ids) and shows the warnings of
  that partial result. The traceback goes to ``exception``, which Ansible
  shows at ``-vvv``.

:func:`module_result` is that shaping once the options are valid; the
``certops.acme`` action plugins call it too when they run a module inside the
Ansible worker on the controller (``plugins/plugin_utils/in_process.py``).
"""

from __future__ import annotations

import traceback
from collections import namedtuple
from typing import TYPE_CHECKING, Any

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib
from ansible_collections.certops.acme.plugins.module_utils import http_client
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError, FailedAfterChange

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from ansible_collections.certops.acme.plugins.module_utils.argspec import ArgumentSpec

# A Python library a module needs: ``available`` and ``import_error`` come from its guarded import.
Library = namedtuple("Library", "name available import_error")

# What a module's ``run`` knows of the Ansible run.
ModuleContext = namedtuple("ModuleContext", "check_mode diff")


def ansible_argument_spec(spec: ArgumentSpec) -> dict[str, dict[str, Any]]:
    """The options of ``spec`` as ``AnsibleModule`` takes them: ``env`` becomes an ``env_fallback``."""
    options = {}
    for name, option in spec.options.items():
        option = dict(option)
        env = option.pop("env", None)
        if env:
            option["fallback"] = (env_fallback, list(env))
        options[name] = option
    return options


def run_module(spec: ArgumentSpec, run: Callable[[dict[str, Any], ModuleContext], dict[str, Any]],
               libraries: Iterable[Library] = (), supports_check_mode: bool = True) -> None:
    """Build the module from ``spec``, call ``run`` through :func:`module_result` and exit the one way."""
    module = AnsibleModule(argument_spec=ansible_argument_spec(spec), supports_check_mode=supports_check_mode,
                           **spec.constraints())
    result = module_result(run, module.params, ModuleContext(check_mode=module.check_mode, diff=module._diff), libraries)
    for message in result.pop("warnings"):
        module.warn(message)
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)


def module_result(run: Callable[[dict[str, Any], ModuleContext], dict[str, Any]], params: dict[str, Any],
                  context: ModuleContext, libraries: Iterable[Library] = ()) -> dict[str, Any]:
    """What the module reports for the validated ``params``: its result, or its failure with ``failed: true``.

    A failure holds ``msg`` and ``exception`` (the traceback or the import error), the arguments of
    ``fail_json``. Either way ``warnings`` is the list of messages to show, in the order they were
    given: those of the layers below (``validate_certs: false`` above all) during ``run``, then
    those of the result. ``diff`` is kept only in diff mode.
    """
    warnings: list[str] = []
    for library in libraries:
        if not library.available:
            return dict(failed=True, msg=missing_required_lib(library.name), exception=library.import_error,
                        warnings=warnings)
    previous = http_client.set_warning_handler(warnings.append)
    try:
        result = run(params, context)
    except FailedAfterChange as exc:
        warnings.extend(exc.result.get("warnings") or ())
        return dict(_with_details(exc.result, exc), failed=True, msg=exc.message, exception=traceback.format_exc(),
                    warnings=warnings)
    except CertopsError as exc:
        return dict(_with_details({"changed": False}, exc), failed=True, msg=exc.message,
                    exception=traceback.format_exc(), warnings=warnings)
    finally:
        http_client.set_warning_handler(previous)
    warnings.extend(result.pop("warnings", None) or ())
    diff = result.pop("diff", None)
    if context.diff and diff is not None:
        result["diff"] = diff
    result["warnings"] = warnings
    return result


def _with_details(result: Mapping[str, Any], exc: CertopsError) -> dict[str, Any]:
    result = dict(result)
    result.pop("warnings", None)
    result.pop("diff", None)
    if exc.details:
        result["details"] = exc.details
    return result
