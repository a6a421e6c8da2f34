# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ansible.module_utils.testing.patch_module_args`` for ansible-core before 2.19.

The module tests use the helper that ansible-core 2.19 ships; on the older
releases of the supported range (``make matrix``) it is provided here with the
same behaviour: the module arguments that ``AnsibleModule`` reads.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import sys
import types
from unittest import mock

if importlib.util.find_spec("ansible.module_utils.testing") is None:  # ansible-core before 2.19
    from ansible.module_utils import basic

    @contextlib.contextmanager
    def patch_module_args(args=None):
        if not isinstance(args, (dict, type(None))):
            raise TypeError("The `args` arg must be a dict or None.")
        encoded = json.dumps(dict(ANSIBLE_MODULE_ARGS=args or {})).encode()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", encoded):
            yield

    testing = types.ModuleType("ansible.module_utils.testing")
    testing.patch_module_args = patch_module_args
    sys.modules["ansible.module_utils.testing"] = testing
