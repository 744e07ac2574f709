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
# How many behave processes run the suite at once (make acceptance WORKERS=2); each has its own world.
WORKERS ?= 1

.PHONY: venv acceptance timings merge-results load lint unit test report report-open rerun docs coverage watch fuzz bench isolation stress clean ui

venv: $(INSTALLED)

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@# The repository on the venv's path, so plain `behave` finds the suite's formatter (support/reports).
	$(BIN)/python -c 'import site, sys; open(site.getsitepackages()[0] + "/shop-acceptance-suite.pth", "w").write(sys.argv[1] + "\n")' "$(CURDIR)"
	touch $@

# Each run starts from empty results (the suite's formatter empties them) unless MERGE_RESULTS=true.
acceptance: venv
ifneq ($(WORKERS),1)
	$(BIN)/python -m support.commands.parallel --workers $(WORKERS) $(ARGS)
else
	$(BIN)/behave $(ARGS); status=$$?; \
	echo; echo "Allure results: $(RESULTS) ($$(ls $(RESULTS) 2>/dev/null | wc -l) files); 'make report' turns them into HTML"; \
	exit $$status
endif

# Records each scenario's duration from a whole run into the committed file the shards balance by.
timings: venv
	$(BIN)/behave -f null -D record_timings=support/shard_timings.json $(ARGS)

# Several shards' downloaded Allure results as one run's: make merge-results FROM="shards/1 shards/2"
merge-results: venv
	$(BIN)/python -m support.commands.merge_results --into $(RESULTS) $(FROM)

# A larger crowd than the @load scenario, with Locust: make load ARGS='--customers 300 --seconds 30 -D shop=process'
load: venv
	$(BIN)/python -m support.commands.load $(ARGS)

lint: venv
	$(BIN)/ruff check .

unit: venv node_modules/.bin/allure
	$(BIN)/pytest -q

# The suite runs in a shuffled order here (seeded, printed, replayable) to keep scenarios independent,
# once with the shop in the suite's process (fastest), once as its own processes (as it is deployed);
# the first run's Allure results are kept in $(RESULTS)-inprocess.
test: lint unit
	$(MAKE) --no-print-directory acceptance ARGS="-D order=random -D shop=inprocess $(ARGS)"
	rm -rf $(RESULTS)-inprocess && mv $(RESULTS) $(RESULTS)-inprocess
	$(MAKE) --no-print-directory acceptance ARGS="-D order=random -D shop=process $(ARGS)"

# Local stand-ins for the official images (postgres, redis, rabbitmq, MinIO, python) from Debian's
# packages; needs a Docker engine (and debootstrap, once). Cached: about a second the second time.
.PHONY: images acceptance-docker
images: venv
	$(BIN)/python -m support.servers.stack.images

# The whole suite with the servers and the shop (`app`, `worker`) in containers of its own, as CI runs it.
acceptance-docker: images
	$(MAKE) --no-print-directory acceptance ARGS="-D stack=docker -D shop=container $(ARGS)"

node_modules/.bin/allure: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Always the same paths: $(REPORT)/single-file/index.html (opens from disk) and $(REPORT)/awesome (served).
report: node_modules/.bin/allure venv
	@$(BIN)/python -m support.reports.build --results $(RESULTS) --output $(REPORT)

report-open: node_modules/.bin/allure
	node_modules/.bin/allure open $(REPORT)/awesome

# The living documentation: every sentence the suite understands, and the features with their latest results.
docs: venv
	@$(BIN)/python -m support.reports.docs

# Coverage of shop/ from the acceptance suite, in each shop mode the suite has, combined: figures and HTML.
# The process mode's children are measured through coverage's subprocess patch (pyproject: patch = ["subprocess"]).
coverage: venv
	rm -rf reports/coverage; mkdir -p reports/coverage
	$(BIN)/coverage run -m behave -f null $(ARGS) || true
	$(BIN)/coverage combine --quiet
	@$(BIN)/coverage report --format=total | sed 's/.*/Coverage of shop\/ with the shop in-process: &%/'
	@echo "coverage: the shop as its own processes (-D shop=process)"
	$(BIN)/coverage run -m behave -f null -D shop=process $(ARGS) || true
	$(BIN)/coverage combine --quiet --append
	@$(BIN)/coverage report --format=total | sed 's/.*/Coverage of shop\/, both modes combined: &%/'
	$(BIN)/coverage report --sort=cover | sed -n "1,14p"
	$(BIN)/coverage html --quiet
	@echo "HTML: reports/coverage/html/index.html"

# Reruns the affected feature whenever a feature, step, support or shop file changes (Ctrl-C stops).
watch: venv
	$(BIN)/python -m support.commands.watch $(ARGS)

# Runs only the scenarios that failed in the last run (their locations are in reports/rerun.txt).
rerun: venv
	@if test -s reports/rerun.txt; then \
	  echo "Rerunning what failed last time: $$(grep -v '^#' reports/rerun.txt | xargs)"; \
	  $(BIN)/behave $(ARGS) $$(grep -v '^#' reports/rerun.txt); \
	else echo "Nothing failed in the last run (no reports/rerun.txt): nothing to rerun."; fi

# The @fuzz scenarios with a large budget: FUZZ_CASES generated requests per operation, pass (customer,
# administrator) and kind (fitting the description, breaking it), so 4 x FUZZ_CASES per operation.
# Prints the cases sent and the cases per second; fails on any finding (each with a curl line in Allure).
FUZZ_CASES ?= 50
fuzz: venv
	$(BIN)/behave --tags=@fuzz -D fuzz_cases=$(FUZZ_CASES) -f progress $(ARGS); status=$$?; \
	echo; grep -h "cases per second" $(RESULTS)/*-attachment.txt 2>/dev/null; exit $$status

bench: venv
	$(BIN)/python -m support.commands.bench $(ARGS)

isolation: venv
	$(BIN)/python -m support.commands.isolation $(ARGS)

# The whole suite RUNS times, shuffled, beside HOGS busy CPU loops; pass/fail per run and what failed.
RUNS ?= 20
HOGS ?= 0
stress: venv
	$(BIN)/python -m support.commands.stress --runs $(RUNS) --hogs $(HOGS) $(ARGS)

# Only the storefront's @ui scenarios (headless Chromium); `make test` runs them with everything else.
ui:
	$(MAKE) --no-print-directory acceptance ARGS="--tags=@ui $(ARGS)"

clean:
	rm -rf reports .pytest_cache .ruff_cache
