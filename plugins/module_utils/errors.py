# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors shared by every client and planner of the collection.

Each error carries a human message (what went wrong and what to do) and a dict
of details that is safe to show: never a secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping


class CertopsError(Exception):
    """Base of every error the collection raises on purpose."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class InvalidInputError(CertopsError):
    """The caller's input is wrong; nothing was sent anywhere."""

    def __init__(self, option: str, message: str, **details: Any) -> None:
        super().__init__("%s: %s" % (option, message), option=option, **details)
        self.option = option


class TimeoutExpired(CertopsError):
    """A bounded wait reached its deadline."""


class FailedAfterChange(CertopsError):
    """A step failed after an earlier one changed something outside the machine.

    ``result`` says what already changed (``changed: true``, the new ids...):
    the module reports it with the failure, so a rerun or a user can find it.
    """

    def __init__(self, cause: CertopsError, result: Mapping[str, Any]) -> None:
        super().__init__(cause.message, **cause.details)
        self.result = dict(result, changed=True)
