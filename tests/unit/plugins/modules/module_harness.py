# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a module's ``main()`` in-process and returns what it would have printed."""

from __future__ import annotations

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args


class ModuleExit(Exception):
    """Raised instead of ``exit_json`` / ``fail_json``; carries the result."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


def run_module(monkeypatch, module, params):
    """``module.main()`` with ``params``; the result gets ``warned``, every warning given."""
    warned = []

    def leave(_self, **result):
        raise ModuleExit(dict(result, warned=warned + list(result.get("warnings", ()))))

    monkeypatch.setattr(AnsibleModule, "warn", lambda _self, warning: warned.append(warning))
    monkeypatch.setattr(AnsibleModule, "fail_json", leave)
    monkeypatch.setattr(AnsibleModule, "exit_json", leave)
    with patch_module_args(params), pytest.raises(ModuleExit) as caught:
        module.main()
    return caught.value.result


def use_transport(monkeypatch, options_module, transport):
    """Every ``HttpClient`` that ``options_module`` opens sends through ``transport``.

    With ``transport=None`` opening a client fails the test: the module had to
    refuse its input before any call.
    """
    real = options_module.HttpClient

    def fake_http(base_url, **kwargs):
        if transport is None:
            raise AssertionError("the module made an HTTP client before checking its input")
        kwargs.update(transport=transport)
        return real(base_url, **kwargs)

    monkeypatch.setattr(options_module, "HttpClient", fake_http)
