# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Every module of the collection runs on the controller.
    DOCUMENTATION = r"""
options: {}
attributes:
  platform:
    description: Runs on the controller (delegate to C(localhost), or use a local connection); it calls remote APIs.
    support: N/A
    platforms: posix
"""

    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    description: The module only reads; it runs the same in check mode.
    support: full
  diff_mode:
    description: The module changes nothing, so there is no diff.
    support: N/A
"""

    ACTIONGROUP_ACME = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/certops.acme.acme) in C(module_defaults) to set the directory and account key once.
    support: full
    membership:
      - certops.acme.acme
"""

    ACTIONGROUP_GANDI = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/certops.acme.gandi) in C(module_defaults) to set the credentials once.
    support: full
    membership:
      - certops.acme.gandi
"""

    ACTIONGROUP_DOGECLOUD = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/certops.acme.dogecloud) in C(module_defaults) to set the credentials once.
    support: full
    membership:
      - certops.acme.dogecloud
"""
