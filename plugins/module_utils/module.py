# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The only module_utils file that knows Ansible: argument-spec fragments and
the mapping of the collection's errors onto ``fail_json``."""

from __future__ import annotations

import contextlib

from ansible_collections.certops.acme.plugins.module_utils import http_client
from ansible_collections.certops.acme.plugins.module_utils.errors import CertopsError


def _ansible_warning(message):
    """Collect a warning into the module's result (shown by Ansible on every run)."""
    from ansible.module_utils.common.warnings import warn

    warn(message)


# Warnings of the layers below (``validate_certs: false`` above all) reach the user through Ansible.
http_client.set_warning_handler(_ansible_warning)


def connection_argument_spec():
    """Options every API-calling module shares (see the ``connection`` doc fragment)."""
    return dict(
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="float", default=30.0),
    )


def http_client_options(params):
    """Keyword arguments for ``HttpClient`` from a module's parameters."""
    return dict(
        validate_certs=params["validate_certs"],
        ca_path=params.get("ca_path"),
        timeout=params["timeout"],
    )


@contextlib.contextmanager
def failing_on_errors(module, **extra):
    """Turn a :class:`CertopsError` into ``fail_json`` with its safe details."""
    try:
        yield
    except CertopsError as exc:
        result = dict(extra)
        if exc.details:
            result["details"] = exc.details
        module.fail_json(msg=exc.message, **result)


def require_library(module, available, library, import_error):
    """Fail with Ansible's standard message when a Python library is missing."""
    if not available:
        from ansible.module_utils.basic import missing_required_lib

        module.fail_json(msg=missing_required_lib(library), exception=import_error)
