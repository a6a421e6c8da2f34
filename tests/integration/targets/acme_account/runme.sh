#!/usr/bin/env bash
# Runs the account scenarios at -vvvv; the whole output must contain neither the
# EAB MAC key nor any line of the account key given as content.
set -eu

CONFIG="../../integration_config.yml"
WORK="${OUTPUT_DIR:?}/acme_account_runme"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

LOG="$WORK/account.log"
ansible-playbook -vvvv -i "$INVENTORY_PATH" -e "@$CONFIG" -e "work_dir=$WORK" account.yml "$@" >"$LOG" 2>&1 \
  || { cat "$LOG"; exit 1; }
tail -n 3 "$LOG"

fail() { echo "FAIL: $*"; exit 1; }
HMAC_KEY="$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["lab"]["acme_variants"]["eab"]["eab_hmac_key"])' "$CONFIG")"
[ -n "$HMAC_KEY" ] || fail "no EAB MAC key in the lab facts"
grep -qF -- "$HMAC_KEY" "$LOG" && fail "the EAB MAC key appears in the -vvvv output"
KEY="$WORK/content.key"
[ -s "$KEY" ] || fail "the account key given as content was not kept for the check"
while read -r line; do
  case "$line" in -----*) continue ;; esac
  grep -qF -- "$line" "$LOG" && fail "the account key appears in the -vvvv output"
done <"$KEY"
echo "no secret in the -vvvv output ($(wc -l <"$LOG") lines checked)"
