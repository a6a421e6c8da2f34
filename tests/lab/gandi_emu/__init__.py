# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Gandi LiveDNS emulator of the lab: HTTPS API v5 plus authoritative DNS."""
