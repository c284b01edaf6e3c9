# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-deps lint setup migrate seed bench clean messages

$(STAMP): requirements/base.txt requirements/dev.txt requirements/prod.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements/dev.txt -r requirements/prod.txt
	touch $(STAMP)

setup: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv -v0 || true
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable

seed: setup
	$(PY) manage.py seed_demo --if-empty

run: seed
	@echo ""
	@echo "  Open http://127.0.0.1:$${PORT:-8000}/"
	@echo "  Log in (password demo-pass-2026): admin (staff), ada (creator), learner1 (learner)"
	@echo ""
	$(VENV)/bin/honcho start -f Procfile

# test-deps: the Debian packages (installed as root, named otherwise), Redis and axe-core the suite needs; a
# missing tool fails its tests. SKIP_BROWSER=1 / SKIP_OCR=1 / SKIP_REDIS=1 opt out knowingly (never under CI).
test: $(STAMP)
	scripts/test-deps.sh
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest $(PYTEST_ARGS)
	DJANGO_SETTINGS_MODULE=courseplatform.settings.core $(VENV)/bin/pytest tests/core_only

test-deps:
	scripts/test-deps.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .

messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	$(PY) bench/palette.py && $(PY) bench/covers.py && $(PY) bench/recommender.py --quick

clean:
	rm -rf var/broker var/celerybeat-schedule*
