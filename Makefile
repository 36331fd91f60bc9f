# Two commands for a fresh machine with only Python 3.11:
#   make run    set everything up, then run the auditor notebooks on the shipped department-year
#   make test   set everything up, then run the test suite (what .ci/run calls)
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED := ../shared/seeds/000_b6cb000e27f50e6b.txt
DEFAULT_DATASET := data/changzhishi-tunliuqu-caizhengju/2024

.PHONY: setup run test test-fast notebooks lab data browser bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or make PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name budgetkit --display-name "Python (budgetkit)" >/dev/null
	touch $(STAMP)

run: setup
	$(BIN)/budgetkit run

# Headless Chromium for the HTML report test (Debian package; needs root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: install Debian's chromium package for the browser test"; fi; }

test: setup browser
	$(BIN)/pytest -q tests
	$(BIN)/pytest -q --nbval notebooks/ --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg -p no:randomly

test-fast: setup
	$(BIN)/pytest -q tests -m "not slow"

# After a deliberate change to rules or data: re-execute the committed notebooks in place (nbval compares them).
notebooks: setup
	$(BIN)/python -m budgetkit.run.refresh

# JupyterLab on the report notebook; as root (containers) with --allow-root; kernels over encrypted ZeroMQ.
lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks --LabApp.default_url=/lab/tree/report.ipynb \
	  --KernelManager.transport_encryption=auto $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# Regenerate the shipped dataset from its source (derived files are never hand-merged).
data: setup
	$(BIN)/budgetkit extract $(DEFAULT_DATASET)/source/000_b6cb000e27f50e6b.txt --out $(DEFAULT_DATASET) --force --slug changzhishi-tunliuqu-caizhengju

bench: setup
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_check.py
	$(BIN)/python benchmarks/bench_run.py

clean:
	rm -rf out .pytest_cache
