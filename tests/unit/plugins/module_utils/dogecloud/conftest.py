# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the DogeCloud unit tests."""

from __future__ import annotations

import pytest

from ansible_collections.certops.acme.plugins.module_utils.dogecloud.client import CdnDomain
from ansible_collections.certops.acme.tests.unit.plugins.module_utils.dogecloud.certificates import Issuer


@pytest.fixture(scope="session")
def issuer():
    return Issuer()


@pytest.fixture(scope="session")
def wildcard(issuer):
    return issuer.leaf(["*.example.test", "example.test"])


@pytest.fixture
def lab_domains():
    """The CDN domains of the lab account, none bound."""
    return [
        CdnDomain(id=3001, name="cdn.example.test", status="online", cert_id=0),
        CdnDomain(id=3002, name="static.example.test", status="online", cert_id=0),
        CdnDomain(id=3003, name="img.other.test", status="online", cert_id=0),
        CdnDomain(id=3004, name="old.example.test", status="offline", cert_id=0),
    ]
