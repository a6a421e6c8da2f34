# certops.acme — developer entry points. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
COLLECTIONS := $(CURDIR)/build/collections
COLL := $(COLLECTIONS)/ansible_collections/certops/acme
LAB := $(PY) tests/lab/lab.py
TARGET ?=
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH := false

.PHONY: help venv system-packages collection unit sanity lint changelog-lint lab-up lab-down lab-status demo \
        lab-tests integration test bench build package-check clean

help:
	@echo "make demo        issue a certificate on the local lab and deploy it (twice: the second run changes nothing)"
	@echo "make test        every test: unit, sanity, lint, lab, integration"
	@echo "make lab-up | lab-down | lab-status   the local lab (Pebble + Gandi and DogeCloud emulators)"
	@echo "make unit | sanity | lint | lab-tests | integration [TARGET=name]   one test stage"
	@echo "make bench       figures: wall time and API calls of a first run, a no-op run, a DNS publication"
	@echo "make build       the collection tarball"

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
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
	cd $(COLL) && PYTHONPATH=$(COLLECTIONS) $(CURDIR)/$(PY) -m pytest -q -p no:cacheprovider --import-mode=importlib tests/unit

sanity: collection
	$(PY) tests/tools/ansible_test_bootstrap.py
	cd $(COLL) && $(CURDIR)/$(BIN)/ansible-test sanity --venv --python 3.11 --color no 2>&1 | tee $(COLLECTIONS)/sanity.log; \
	  status=$${PIPESTATUS[0]}; grep -q 'All targets skipped' $(COLLECTIONS)/sanity.log && { echo 'sanity: no target ran'; exit 1; }; exit $$status

lint: collection
	cd $(COLL) && $(CURDIR)/$(BIN)/ansible-lint --profile production --offline roles playbooks

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
	cd $(COLL) && $(CURDIR)/$(BIN)/ansible-test integration --local --python 3.11 --color no $(TARGET) 2>&1 | tee $(COLLECTIONS)/integration.log; \
	  status=$${PIPESTATUS[0]}; grep -q 'All targets skipped' $(COLLECTIONS)/integration.log && { echo 'integration: no target ran'; exit 1; }; exit $$status

# Every test, with the lab started for the stages that need it and always stopped.
test: venv system-packages
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory changelog-lint
	$(MAKE) --no-print-directory sanity
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory package-check
	$(MAKE) --no-print-directory lab-up
	status=0; \
	  $(MAKE) --no-print-directory lab-tests || status=$$?; \
	  [ $$status = 0 ] && { $(MAKE) --no-print-directory integration || status=$$?; }; \
	  $(MAKE) --no-print-directory lab-down; \
	  exit $$status

build: collection
	cd $(COLL) && $(CURDIR)/$(BIN)/ansible-galaxy collection build --force --output-path $(CURDIR)/build

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
demo: venv system-packages collection
	bash tests/lab/demo.sh

# Figures against targets, not assertions: certops.acme beside certbot, the ansible-playbook floor and
# 20 certificates; one table, bench/results.json, docs/performance.md. BENCH_QUICK=1 skips the 20 certificates.
bench: venv system-packages collection
	$(PY) tests/lab/bench_compare.py
