# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for tests: read the running lab's facts and drive the emulators'
control API (request log, faults, reset, config)."""

from __future__ import annotations

import json
import os

import requests

HERE = os.path.dirname(os.path.abspath(__file__))


def state_dir():
    return os.path.abspath(os.environ.get("CERTOPS_LAB_STATE") or os.path.join(HERE, ".state"))


def load_lab():
    """The facts of the running lab, or ``RuntimeError`` when it is not up."""
    path = os.path.join(state_dir(), "lab.json")
    try:
        with open(path) as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise RuntimeError("the lab is not running (no %s); run `make lab-up`" % path) from None


class LabControl:
    """The ``/_lab`` control API of one emulator."""

    def __init__(self, base_url, ca_path):
        self.base_url = base_url.rstrip("/")
        self.ca_path = ca_path

    def _call(self, method, path, payload=None):
        response = requests.request(method, self.base_url + path, json=payload, verify=self.ca_path, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None

    def get(self, path):
        return self._call("GET", path)

    def requests(self):
        return self._call("GET", "/requests")["requests"]

    def writes(self):
        return [entry for entry in self.requests() if entry.get("write")]

    def clear_requests(self):
        self._call("DELETE", "/requests")

    def fault(self, kind, count=1, **options):
        self._call("POST", "/faults", dict(options, kind=kind, count=count))

    def clear_faults(self):
        self._call("DELETE", "/faults")

    def reset(self):
        self._call("POST", "/reset")

    def config(self, **values):
        return self._call("POST", "/config", values)


def control(lab, name):
    return LabControl(lab["control"][name], lab["ca_path"])
