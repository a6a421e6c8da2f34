# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""DogeCloud CDN emulator of the lab: signed HTTPS API, control API, TLS edge.

Started as ``python tests/lab/dogecloud_emulator.py --config FILE``. It follows
``reference/dogecloud-cdn.md`` and picks the stricter reading wherever a fact
about the real service is unconfirmed.
"""
