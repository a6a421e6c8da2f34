# -*- coding: utf-8 -*-
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``host[:port]`` in and out: the one parser and the one way to print it back.

An IPv6 address is written in brackets when a port follows (``[2001:db8::1]:853``);
a bare IPv6 address (more than one colon, no brackets) has no port. No Ansible
import here.
"""

from __future__ import annotations

from ansible_collections.certops.acme.plugins.module_utils.errors import InvalidInputError

HOST_PORT = "host, host:port or [IPv6]:port"


def split_host_port(text: object, default_port: int | str, option: str, expected: str = HOST_PORT) -> tuple[str, int]:
    """``host``, ``host:port``, ``[IPv6]``, ``[IPv6]:port`` or a bare IPv6 address -> ``(host, port)``.

    Surrounding blanks are ignored; ``default_port`` applies when none is
    written. Bad input raises :class:`InvalidInputError` naming ``option``,
    with ``expected`` saying what a good value looks like. The host is not
    checked further: callers that need an IP address or a name check it.
    """
    value = ("" if text is None else str(text)).strip()
    port: int | str
    host, port = value, default_port
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise InvalidInputError(option, "%r is not %s" % (value, expected))
        port = rest[1:] if rest else default_port
    elif value.count(":") == 1:
        host, port = value.split(":")
    if not host:
        raise InvalidInputError(option, "%r is not %s" % (value, expected))
    try:
        port = int(port)
    except ValueError:
        raise InvalidInputError(option, "the port in %r is not a number" % value) from None
    if not 0 < port < 65536:
        raise InvalidInputError(option, "the port in %r is outside 1-65535" % value)
    return host, port


def join_host_port(host: str, port: int) -> str:
    """``host:port``, with an IPv6 address in brackets so that the port stays readable."""
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)
