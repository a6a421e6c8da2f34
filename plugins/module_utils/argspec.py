# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument specs that keep a family's options and their constraints together.

Plain data without Ansible: an option may name environment variables under
``env``, and ``module.run_module`` turns that into Ansible's ``env_fallback``.
Specs add up with ``+``, so a module is written as its own options plus the
shared ones of its family, for example ``ACCOUNT + CONNECTION + own``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

CONSTRAINTS = ("mutually_exclusive", "required_one_of", "required_together", "required_if", "required_by")


class ArgumentSpec:
    """Options (Ansible's argument-spec dicts) with the constraints that relate them."""

    def __init__(self, options: Mapping[str, dict[str, Any]], mutually_exclusive: Iterable[Any] = (), required_one_of: Iterable[Any] = (),
                 required_together: Iterable[Any] = (), required_if: Iterable[Any] = (),
                 required_by: Mapping[str, Any] | None = None) -> None:
        self.options = dict(options)
        self.mutually_exclusive = list(mutually_exclusive)
        self.required_one_of = list(required_one_of)
        self.required_together = list(required_together)
        self.required_if = list(required_if)
        self.required_by = dict(required_by or {})

    def __add__(self, other: ArgumentSpec) -> ArgumentSpec:
        clash = sorted(set(self.options) & set(other.options))
        if clash:
            raise ValueError("option defined twice: %s" % ", ".join(clash))
        return ArgumentSpec(
            dict(self.options, **other.options),
            mutually_exclusive=self.mutually_exclusive + other.mutually_exclusive,
            required_one_of=self.required_one_of + other.required_one_of,
            required_together=self.required_together + other.required_together,
            required_if=self.required_if + other.required_if,
            required_by=dict(self.required_by, **other.required_by),
        )

    def constraints(self) -> dict[str, Any]:
        """The constraint keyword arguments of ``AnsibleModule``, empty ones left out."""
        return {name: getattr(self, name) for name in CONSTRAINTS if getattr(self, name)}


# Options every API-calling module shares (see the ``connection`` doc fragment).
CONNECTION = ArgumentSpec(dict(
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="float", default=30.0),
))


def http_client_options(params: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``HttpClient`` from the ``CONNECTION`` options of a module."""
    return dict(validate_certs=params["validate_certs"], ca_path=params.get("ca_path"), timeout=params["timeout"])
