#!/usr/bin/env bash
# Runs the deployment scenarios, then a run with a wrong secret key at -vvvv whose
# whole output must contain neither the secret nor the private key.
set -eu

CONFIG="../../integration_config.yml"
WORK="${OUTPUT_DIR:?}/dogecloud_certificate_runme"
WRONG_SECRET="wrong-secret-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
mkdir -p "$WORK"
trap 'rm -rf "$WORK" "$OUTPUT_DIR/dogecloud_wrong_secret"' EXIT

ansible-playbook -i "$INVENTORY_PATH" -e "@$CONFIG" -e "output_dir=$OUTPUT_DIR" deploy.yml "$@"

# The secret goes in through a vars file: -vvvv prints the command line's extra vars.
LOG="$WORK/wrong_secret.log"
SECRET_VARS="$WORK/wrong_secret_vars.yml"
(umask 077 && printf 'wrong_secret: "%s"\n' "$WRONG_SECRET" >"$SECRET_VARS")
ansible-playbook -vvvv -i "$INVENTORY_PATH" -e "@$CONFIG" -e "output_dir=$OUTPUT_DIR" \
  -e "@$SECRET_VARS" wrong_secret.yml >"$LOG" 2>&1 || { cat "$LOG"; exit 1; }

fail() { echo "FAIL: $*"; exit 1; }
grep -q "signature did not match" "$LOG" || fail "the AccessToken explanation is missing from the output"
grep -qF -- "$WRONG_SECRET" "$LOG" && fail "the secret key appears in the -vvvv output"
# Every base64 line of the private key (the first and last lines are the PEM armour).
KEY="$OUTPUT_DIR/dogecloud_wrong_secret/leaked.key"
while read -r line; do
  case "$line" in -----*) continue ;; esac
  grep -qF -- "$line" "$LOG" && fail "the private key appears in the -vvvv output"
done <"$KEY"
echo "no secret in the -vvvv output ($(wc -l <"$LOG") lines checked)"
