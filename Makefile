# Two commands: `make demo` and `make test`. Each makes .venv when missing and
# reinstalls only when pyproject.toml has changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PORT ?= 8000

.PHONY: demo test lint test-browser test-postgres test-scale bench bench-http clean messages compile-messages ladder-messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

demo: $(RUN_STAMP)
	$(BIN)/peerladder demo --port $(PORT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=peerladder.config.test_settings $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=peerladder.config.test_settings $(BIN)/python manage.py makemigrations --check --dry-run

test: lint
	$(BIN)/pytest -m "not browser" -n 2

test-postgres: $(DEV_STAMP)
	PEERLADDER_DATABASE_URL=$${PEERLADDER_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} \
		$(BIN)/pytest -m "not browser" -n 2

test-browser: $(DEV_STAMP)
	$(BIN)/pytest -m browser -p no:xdist

# A PostgreSQL primary and streaming replica, Redis, HAProxy and three app servers on
# this machine (tests_scale/; needs haproxy, redis-server and PostgreSQL 15's binaries).
test-scale: $(DEV_STAMP)
	$(BIN)/pytest tests_scale -p no:xdist -p no:randomly -v

# The interface's translations (docs/translating.md): `make messages` extracts every
# marked string of the pages into web/locale/<lang>/LC_MESSAGES/django.po (new ones
# empty, gone ones dropped); translate them, then `make compile-messages` builds the
# .mo files of every catalogue under src/peerladder (committed, so a checkout works
# without gettext's tools).
MESSAGE_LANGUAGES := es fr pt_BR de it

messages: $(DEV_STAMP)
	DJANGO_SETTINGS_MODULE=peerladder.config.test_settings $(BIN)/python manage.py \
		interface_messages --no-obsolete --add-location=file $(addprefix -l ,$(MESSAGE_LANGUAGES))

compile-messages: $(DEV_STAMP)
	cd src/peerladder && DJANGO_SETTINGS_MODULE=peerladder.config.test_settings \
		$(CURDIR)/$(BIN)/django-admin compilemessages $(addprefix -l ,$(MESSAGE_LANGUAGES))
# The ladder's texts, the insights', the vocabularies' labels, the revision summaries and
# the refusals of incoming data
# (docs/translating.md, "The ladder"): lists the ladder's strings and the vocabularies'
# labels and the refusals for makemessages (lexicon/ladder_strings.py,
# catalogue/vocabulary_strings.py, lexicon/refusal_strings.py), updates
# src/peerladder/locale/<lang>/LC_MESSAGES/django.po (translations kept, new strings
# empty) and compiles the .mo files, which are committed.
LADDER_LANGUAGES := es fr pt_BR de it

ladder-messages: $(DEV_STAMP)
	$(BIN)/python -m peerladder.lexicon.generate
	DJANGO_SETTINGS_MODULE=peerladder.config.test_settings $(BIN)/python -m peerladder.catalogue.vocabulary_labels
	cd src/peerladder && DJANGO_SETTINGS_MODULE=peerladder.config.test_settings \
		$(CURDIR)/$(BIN)/django-admin makemessages --no-wrap --no-obsolete --add-location=file \
		--ignore 'web/*' --ignore 'accounts/*' $(addprefix -l ,$(LADDER_LANGUAGES))
	cd src/peerladder/locale && DJANGO_SETTINGS_MODULE=peerladder.config.test_settings \
		$(CURDIR)/$(BIN)/django-admin compilemessages $(addprefix -l ,$(LADDER_LANGUAGES))

bench: $(DEV_STAMP)
	$(BIN)/python bench/run.py

# peerladder and Datasette side by side on one generated SQLite file (docs/benchmarks.md).
# BENCH_CASES=1000000 for the larger run; the file is kept in BENCH_DIR between runs.
BENCH_CASES ?= 100000
BENCH_DIR ?= var/bench-http-$(BENCH_CASES)
bench-http: $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	test -f $(BENCH_DIR)/peerladder.sqlite3 || ( mkdir -p $(BENCH_DIR) && \
		PEERLADDER_DATA_DIR=$(BENCH_DIR) $(BIN)/python bench/generate.py --cases $(BENCH_CASES) --load && \
		PEERLADDER_DATA_DIR=$(BENCH_DIR) $(BIN)/peerladder index rebuild )
	PEERLADDER_DATA_DIR=$(BENCH_DIR) $(BIN)/python bench/bench_http.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
