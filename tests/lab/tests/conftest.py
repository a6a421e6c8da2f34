# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the tests of the lab itself (they need `make lab-up`)."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from labclient import control, load_lab  # noqa: E402


@pytest.fixture(scope="session")
def lab():
    return load_lab()


@pytest.fixture
def gandi_lab(lab):
    ctl = control(lab, "gandi")
    ctl.reset()
    yield ctl
    ctl.reset()


@pytest.fixture
def dogecloud_lab(lab):
    ctl = control(lab, "dogecloud")
    ctl.reset()
    yield ctl
    ctl.reset()
