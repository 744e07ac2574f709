# The project's commands. `make acceptance` runs the behave suite; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
RESULTS := reports/allure-results
REPORT := reports/allure-report
# Extra arguments for behave, e.g. make acceptance ARGS='--tags=@api-contract -D stack=local'
ARGS ?=

.PHONY: venv acceptance lint unit test report bench isolation clean

venv: $(INSTALLED)

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

acceptance: venv
	rm -rf $(RESULTS)
	$(BIN)/behave $(ARGS); status=$$?; \
	echo; echo "Allure results: $(RESULTS) ($$(ls $(RESULTS) 2>/dev/null | wc -l) files); 'make report' turns them into HTML"; \
	exit $$status

lint: venv
	$(BIN)/ruff check .

unit: venv
	$(BIN)/pytest -q

# The suite runs in a shuffled order here (seeded, printed, replayable) to keep scenarios independent,
# once with the shop in the suite's process (fastest), once as its own processes (as it is deployed);
# the first run's Allure results are kept in $(RESULTS)-inprocess.
test: lint unit
	$(MAKE) --no-print-directory acceptance ARGS="-D order=random -D shop=inprocess $(ARGS)"
	rm -rf $(RESULTS)-inprocess && mv $(RESULTS) $(RESULTS)-inprocess
	$(MAKE) --no-print-directory acceptance ARGS="-D order=random -D shop=process $(ARGS)"

node_modules/.bin/allure: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

report: node_modules/.bin/allure
	@test -d $(RESULTS) || { echo "No results in $(RESULTS): run 'make acceptance' first." >&2; exit 1; }
	node_modules/.bin/allure generate $(RESULTS) -o $(REPORT)
	@echo "Report: $(REPORT)/index.html (open it with: node_modules/.bin/allure open $(REPORT))"

bench: venv
	$(BIN)/python -m support.commands.bench $(ARGS)

isolation: venv
	$(BIN)/python -m support.commands.isolation $(ARGS)

clean:
	rm -rf reports .pytest_cache .ruff_cache
