#!/usr/bin/env bash
# Copyright: (c) 2026, certops.acme contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
#
# timed.sh LOG LABEL COMMAND...: runs COMMAND and appends "LABEL  seconds  exit" to LOG.
log=$1
label=$2
shift 2
start=$(date +%s)
status=0
"$@" || status=$?
printf '%-16s %5d s  exit %d\n' "$label" "$(($(date +%s) - start))" "$status" | tee -a "$log"
exit "$status"
