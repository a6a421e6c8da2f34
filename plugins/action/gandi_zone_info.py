# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""certops.acme.gandi_zone_info: in the Ansible worker when the task targets the controller (see plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.certops.acme.plugins.modules import gandi_zone_info
from ansible_collections.certops.acme.plugins.plugin_utils.in_process import InProcessModuleAction


class ActionModule(InProcessModuleAction):
    MODULE = gandi_zone_info
