# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A DogeCloud API for the module tests, answering with the recorded shapes of the client's fixtures."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import yaml

from ansible_collections.certops.acme.tests.unit.plugins.module_utils.fakes import FakeTransport, json_response

FIXTURES = os.path.join(os.path.dirname(__file__), os.pardir, "module_utils", "dogecloud", "fixtures")
ACCESS_KEY = "AKIDmoduletest0001"
SECRET_KEY = "dogecloud-secret-never-shown"


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class RecordedApi(FakeTransport):
    """Answers ``GET /cdn/cert/list.json`` and ``GET /cdn/domain/list.json`` from the fixtures, as often as asked.

    ``answers`` maps a path to a recorded answer (``{"http_status", "body"}``) to
    give instead; any other request fails the test. ``sent`` records every request.
    """

    def __init__(self, **answers):
        super().__init__()
        self.routes = {"/cdn/cert/list.json": fixture("cert_list.yml"),
                       "/cdn/domain/list.json": fixture("domain_list.yml")}
        self.routes.update(answers)

    def send(self, method, url, headers, body, timeout, verify):
        self.queue(self._answer)
        return super().send(method, url, headers, body, timeout, verify)

    def _answer(self, method, url, headers, body):
        path = urlsplit(url).path
        if method != "GET" or path not in self.routes:
            raise AssertionError("unexpected request %s %s" % (method, url))
        return json_response(self.routes[path]["http_status"], self.routes[path]["body"])
