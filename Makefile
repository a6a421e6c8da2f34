# certops.acme — developer entry points. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(abspath $(VENV))/bin
PY := $(BIN)/python
COLLECTIONS := $(CURDIR)/build/collections
COLL := $(COLLECTIONS)/ansible_collections/certops/acme
LAB := $(PY) tests/lab/lab.py
TARGET ?=
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH := false

.PHONY: help venv system-packages collection unit sanity lint ruff typecheck changelog-lint lab-up lab-down lab-status demo \
        lab-tests integration test matrix matrix-offline matrix-lab bench build package-check clean

help:
	@echo "make demo        issue a certificate on the local lab and deploy it (twice: the second run changes nothing)"
	@echo "make test        every test: unit, sanity, lint, lab, integration"
	@echo "make lab-up | lab-down | lab-status   the local lab (Pebble + Gandi and DogeCloud emulators)"
	@echo "make unit | ruff | typecheck | sanity | lint | lab-tests | integration [TARGET=name]   one test stage"
	@echo "make matrix      units and sanity on each older ansible-core (MATRIX), the role's target on each of MATRIX_LAB"
	@echo "make bench       figures: certops.acme beside certbot, the ansible-playbook floor and 20 certificates (BENCH_QUICK=1: without the 20)"
	@echo "make build       the collection tarball"

# ANSIBLE_CORE=x.y.z: a venv with that ansible-core and the other pins of requirements-dev.txt
# (libraries, pytest, ansible-runner and ansible-builder for the role's integration target),
# without the lint and changelog tools, which run on the newest ansible-core only (the matrix venvs).
ANSIBLE_CORE ?=
TOOLS_ONLY := ansible-core|ansible-lint|antsibull-changelog|ruff|mypy|types-requests
$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@if [ -n "$(ANSIBLE_CORE)" ]; then \
	  grep -Ev '^($(TOOLS_ONLY))==' requirements-dev.txt > $(VENV)/requirements.txt; \
	  echo "$(BIN)/pip install ansible-core==$(ANSIBLE_CORE) -r $(VENV)/requirements.txt"; \
	  $(BIN)/pip install --quiet ansible-core==$(ANSIBLE_CORE) -r $(VENV)/requirements.txt; \
	else \
	  echo "$(BIN)/pip install -r requirements-dev.txt"; \
	  $(BIN)/pip install --quiet -r requirements-dev.txt; \
	fi
	touch $@

venv: $(VENV)/.installed

# Debian packages: pebble (the lab's ACME server) and shellcheck (ansible-test sanity checks runme.sh with it).
DEBIAN_PACKAGES := /usr/bin/pebble:pebble /usr/bin/shellcheck:shellcheck
system-packages:
	@missing=""; for item in $(DEBIAN_PACKAGES); do [ -x "$${item%%:*}" ] || missing="$$missing $${item#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "missing Debian packages:$$missing; run 'sudo apt-get update && sudo apt-get install$$missing' (needs root)"; exit 1; \
	  fi; \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# ansible-test and ansible-playbook need the collection under ansible_collections/certops/acme.
collection: venv
	@rm -rf $(COLL) && mkdir -p $(COLL)
	@git ls-files --cached --others --exclude-standard | while read -r f; do [ -e "$$f" ] && printf '%s\n' "$$f"; done \
	  | tar -cf - -T - | tar -xf - -C $(COLL)
	@# Its own git repository: inside this checkout (where build/ is ignored) ansible-test would find no file.
	@git -C $(COLL) init -q

unit: collection
	cd $(COLL) && PYTHONPATH=$(COLLECTIONS) $(PY) -m pytest -q -p no:cacheprovider --import-mode=importlib tests/unit

sanity: collection
	$(PY) tests/tools/ansible_test_bootstrap.py
	cd $(COLL) && $(BIN)/ansible-test sanity --venv --python 3.11 --color no 2>&1 | tee $(COLLECTIONS)/sanity.log; \
	  status=$${PIPESTATUS[0]}; grep -q 'All targets skipped' $(COLLECTIONS)/sanity.log && { echo 'sanity: no target ran'; exit 1; }; exit $$status

lint: collection
	cd $(COLL) && $(BIN)/ansible-lint --profile production --offline roles playbooks

# Python lint and import order (config: ruff.toml).
ruff: venv
	$(BIN)/ruff check --no-cache .

# Type check of plugins/module_utils (config: mypy.ini), on the copied collection so that its imports resolve.
typecheck: collection
	cd $(COLLECTIONS) && $(BIN)/mypy --config-file $(COLL)/mypy.ini --cache-dir $(COLLECTIONS)/.mypy_cache \
	  -p ansible_collections.certops.acme.plugins.module_utils

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

lab-up: venv system-packages
	$(LAB) up

lab-down: venv
	$(LAB) down

lab-status: venv
	$(LAB) status

lab-tests: venv
	$(PY) -m pytest -q -p no:cacheprovider tests/lab/tests

integration: collection
	$(LAB) integration-config $(COLL)/tests/integration/integration_config.yml
	cd $(COLL) && $(BIN)/ansible-test integration --local --python 3.11 --color no $(TARGET) 2>&1 | tee $(COLLECTIONS)/integration.log; \
	  status=$${PIPESTATUS[0]}; grep -q 'All targets skipped' $(COLLECTIONS)/integration.log && { echo 'integration: no target ran'; exit 1; }; exit $$status

# Every test, with the lab started for the stages that need it and always stopped.
# Each stage's wall time goes to build/stage-times.txt (and is printed at the end).
TIMES := $(CURDIR)/build/stage-times.txt
TIMED = bash tests/tools/timed.sh $(TIMES)
test: venv system-packages
	@mkdir -p build && : > $(TIMES)
	$(TIMED) unit $(MAKE) --no-print-directory unit
	$(TIMED) ruff $(MAKE) --no-print-directory ruff
	$(TIMED) typecheck $(MAKE) --no-print-directory typecheck
	$(TIMED) changelog-lint $(MAKE) --no-print-directory changelog-lint
	$(TIMED) sanity $(MAKE) --no-print-directory sanity
	$(TIMED) lint $(MAKE) --no-print-directory lint
	$(TIMED) package-check $(MAKE) --no-print-directory package-check
	$(TIMED) matrix-offline $(MAKE) --no-print-directory matrix-offline
	$(TIMED) lab-up $(MAKE) --no-print-directory lab-up
	status=0; \
	  $(TIMED) lab-tests $(MAKE) --no-print-directory lab-tests || status=$$?; \
	  [ $$status = 0 ] && { $(TIMED) integration $(MAKE) --no-print-directory integration || status=$$?; }; \
	  [ $$status = 0 ] && { $(TIMED) matrix-lab $(MAKE) --no-print-directory matrix-lab || status=$$?; }; \
	  $(MAKE) --no-print-directory lab-down; \
	  cat $(TIMES); exit $$status

# The older ansible-core releases that requires_ansible (meta/runtime.yml) claims; the newest
# one is the ansible-core of requirements-dev.txt, tested by every stage above. Each gets its
# own venv ($(MATRIX_VENVS)/<version>) with the same pinned libraries; the units and sanity
# run on each. The role's integration target runs on the releases in MATRIX_LAB: both (about
# 3 minutes each on a quiet machine, 6 under load).
MATRIX ?= 2.17.14 2.18.19
MATRIX_LAB ?= 2.17.14 2.18.19
MATRIX_VENVS ?= $(VENV)-matrix
matrix-offline:
	@set -e; for version in $(MATRIX); do \
	  echo "=== ansible-core $$version: units and sanity"; \
	  $(MAKE) --no-print-directory unit VENV=$(MATRIX_VENVS)/$$version ANSIBLE_CORE=$$version; \
	  $(MAKE) --no-print-directory sanity VENV=$(MATRIX_VENVS)/$$version ANSIBLE_CORE=$$version; \
	done

# Needs a running lab (make lab-up).
matrix-lab:
	@set -e; for version in $(MATRIX_LAB); do \
	  echo "=== ansible-core $$version: integration issue_and_deploy"; \
	  $(MAKE) --no-print-directory integration TARGET=issue_and_deploy VENV=$(MATRIX_VENVS)/$$version ANSIBLE_CORE=$$version; \
	done

matrix: venv system-packages
	$(MAKE) --no-print-directory matrix-offline
	$(MAKE) --no-print-directory lab-up
	status=0; $(MAKE) --no-print-directory matrix-lab || status=$$?; \
	  $(MAKE) --no-print-directory lab-down; exit $$status

build: collection
	cd $(COLL) && $(BIN)/ansible-galaxy collection build --force --output-path $(CURDIR)/build

# The tarball installs offline and its modules' docs render from the installed copy.
package-check: build
	rm -rf build/installed
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/build/installed $(BIN)/ansible-galaxy collection install --offline --force -p build/installed build/certops-acme-$$(sed -n 's/^version: //p' galaxy.yml).tar.gz
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/build/installed $(BIN)/ansible-doc --list certops.acme --type module | tee build/installed-modules.txt
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/build/installed $(BIN)/ansible-doc --list certops.acme --type module --json \
	  | $(PY) -c 'import json,sys; names=json.load(sys.stdin); sys.exit(0 if names else "no module in the installed collection")'

clean:
	-$(LAB) down
	rm -rf build tests/output

# The main job on the embedded lab: issue, deploy, verify the edge, run again (changed=0).
# It runs a private lab of its own: a lab started with `make lab-up` keeps running.
demo: venv system-packages collection
	VENV_BIN=$(BIN) bash tests/lab/demo.sh

# Figures against targets, not assertions: certops.acme beside certbot, the ansible-playbook floor and
# 20 certificates; one table, bench/results.json, docs/performance.md. BENCH_QUICK=1 skips the 20 certificates.
bench: venv system-packages collection
	$(PY) tests/lab/bench_compare.py
