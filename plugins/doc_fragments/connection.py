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
      - With V(false), the module warns on every run, naming the server's host,
        since anyone on the network path could then read and change the
        traffic, credentials included.
      - A failed verification is not retried; the error names the host and
        points at O(ca_path).
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
      - A refused connection, a host name that does not resolve or a failing
        proxy is tried at most twice; the error says what to check (host,
        port, proxy settings).
    type: float
    default: 30
"""
