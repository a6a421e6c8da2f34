# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ACME modules run in-process against a scripted CA: the client factory is patched, not the network layer."""

from __future__ import annotations

from ansible_collections.certops.acme.plugins.module_utils.acme import common
from ansible_collections.certops.acme.plugins.module_utils.acme.client import AcmeClient
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.acme.acme_fakes import (
    DIRECTORY_URL, ScriptedAcmeServer, recorded_directory)
from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module


class Ca:
    """A :class:`ScriptedAcmeServer` behind every ``AcmeClient`` the modules open; ``None`` refuses to open one."""

    def __init__(self, monkeypatch, directory=None):
        self.server = ScriptedAcmeServer()
        self.server.route("GET", DIRECTORY_URL, (200, directory or recorded_directory()))
        self.server.route("HEAD", DIRECTORY_URL.replace("/directory", "/acme/new-nonce"), (200, ""))
        self.clients = []

        def factory(*args, **kwargs):
            client = AcmeClient(*args, **kwargs)
            client.net.session.mount("https://", self.server)
            self.clients.append(client)
            return client

        monkeypatch.setattr(common, "AcmeClient", factory)

    def requests(self):
        return [(sent["method"], sent["url"]) for sent in self.server.sent]


def no_client(monkeypatch):
    """Fail the test when a module opens an ACME client (it must refuse its input before)."""
    def refuse(*args, **kwargs):
        raise AssertionError("the module opened an ACME client before checking its input")

    monkeypatch.setattr(common, "AcmeClient", refuse)


def run(monkeypatch, module, params, check_mode=False, diff=False):
    return run_module(monkeypatch, module, dict(params, _ansible_check_mode=check_mode, _ansible_diff=diff))
