# Everything sets itself up: the first target that needs Python builds .venv.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo desk test lint examples bench clean

$(STAMP): pyproject.toml
	@echo "Setting up $(VENV) (first run only; log in $(VENV)/install.log)…"
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/python -m pip install -q --upgrade pip > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@$(VENV)/bin/python -m pip install -q -e '.[test]' >> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@rm -f $(VENV)/.installed-*; touch $@

demo: $(STAMP)
	@$(VENV)/bin/python examples/run_demo.py

# The staff desk over the demo's mails (runs the demo first if needed), with a demo account.
desk: $(STAMP)
	@$(VENV)/bin/python examples/run_desk.py

test: $(STAMP)
	@$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# Lint: ruff's rules and formatting, the import layers (pyproject's [tool.importlinter]) and no
# import cycle between modules (see CONTRIBUTING.md).
lint: $(STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports --no-cache
	@$(VENV)/bin/python tools/import_cycles.py thidua

examples: $(STAMP)
	@$(VENV)/bin/python examples/make_examples.py

bench: $(STAMP)
	@$(VENV)/bin/python -m bench

clean:
	rm -rf $(VENV) demo
