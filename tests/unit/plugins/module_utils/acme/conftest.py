# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from ansible_collections.certops.acme.tests.unit.plugins.module_utils.acme.acme_fakes import ScriptedAcmeServer


@pytest.fixture
def server():
    return ScriptedAcmeServer()


@pytest.fixture
def account_key():
    return ec.generate_private_key(ec.SECP256R1())
