# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  validate_certs:
    description:
      - Verify the TLS certificate of the API or ACME server.
      - Keep it V(true); to trust a private CA, set O(ca_path) instead.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM bundle of CA certificates to trust for the server, instead of
        the system store.
      - It takes precedence over the E(REQUESTS_CA_BUNDLE) environment
        variable.
    type: path
  timeout:
    description:
      - Seconds to wait for one HTTP answer before the call counts as failed
        (transient failures are retried with bounded backoff).
    type: float
    default: 30
"""
