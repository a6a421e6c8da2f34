# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module: one read answers many certificates; a wrong one does not fail the others."""

from __future__ import annotations

import json

import pytest

from ansible_collections.certops.acme.tests.unit.plugins.modules.module_harness import run_module as run_main
from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import CdnDomain
from ansible_collections.certops.acme.plugins.modules import dogecloud_domain_info
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.test_deploy import FakeCdn

SECRET = "dogecloud-secret-never-shown"


@pytest.fixture
def cdn(monkeypatch):
    fake = FakeCdn([CdnDomain(id=3001, name="cdn.example.test", status="online", cert_id=0),
                    CdnDomain(id=3002, name="old.example.test", status="offline", cert_id=0)])
    monkeypatch.setattr(dogecloud_domain_info, "build_client", lambda *args, **kwargs: fake)
    return fake


def run_module(monkeypatch, **args):
    return run_main(monkeypatch, dogecloud_domain_info, dict(dict(access_key="AKID", secret_key=SECRET), **args))


def test_many_certificates_one_read(monkeypatch, cdn):
    result = run_module(monkeypatch, certificates=[
        dict(id="h1/site", covered_by=["*.example.test"]),
        dict(id="h2/old", domains=["old.example.test"]),
        dict(id="h3/typo", domains=["nope.example.test"]),
    ])
    assert cdn.calls == ["list_domains", "list_certificates"]
    assert result["changed"] is False and SECRET not in json.dumps(result)
    site, old, typo = result["certificates"]
    assert site["id"] == "h1/site" and site["targets"] == ["cdn.example.test"] and site["current"] is None
    assert old["targets"] == ["old.example.test"] and old["error"] is None
    assert typo["error"].startswith("domains: no CDN domain named nope.example.test")
    assert [domain["name"] for domain in result["domains"]] == ["cdn.example.test", "old.example.test"]


def test_certificates_exclude_the_single_query(monkeypatch, cdn):
    result = run_module(monkeypatch, domains=["cdn.example.test"], certificates=[dict(id="a", domains=[])])
    assert "mutually exclusive" in result["msg"] and cdn.calls == []


def test_the_single_query_still_answers(monkeypatch, cdn):
    result = run_module(monkeypatch, covered_by=["*.example.test"])
    assert [domain["name"] for domain in result["domains"]] == ["cdn.example.test", "old.example.test"]
    assert "certificates" not in result
