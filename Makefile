# Two commands set everything up on a fresh machine (README): `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
RUN_PACKAGES := fonts-noto-cjk fonts-dejavu-core
CLUSTER_PACKAGES := $(RUN_PACKAGES) nginx
TEST_PACKAGES := $(CLUSTER_PACKAGES) chromium poppler-utils
HOST ?= 127.0.0.1
PORT ?= 8000


.PHONY: run serve worker cluster cluster-stop system-cluster test setup system-run system-test pdf-setup migrate demo bench messages clean

run: setup system-run pdf-setup migrate demo
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-like, on this machine (README "Production"): gunicorn, DEBUG off, secrets from the
# environment; needs SECRET_KEY, ALLOWED_HOSTS and a DATABASE_URL (PostgreSQL).
serve: setup system-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	DEBUG=false $(PY) manage.py check --deploy --fail-level ERROR  # e.g. refuses console mail (README)
	DEBUG=false $(VENV)/bin/gunicorn haidong_policy.wsgi -c haidong_policy/gunicorn.conf.py

# Background jobs (README "Jobs"): a Celery worker with beat (the nightly screening, the expiry
# warnings); needs CELERY_BROKER_URL or REDIS_URL. Without a broker, jobs run inside the web process.
worker: setup
	@test -n "$${CELERY_BROKER_URL:-$$REDIS_URL}" || { echo "make worker needs CELERY_BROKER_URL or REDIS_URL (e.g. redis://127.0.0.1:6379/0)"; exit 2; }
	$(VENV)/bin/celery -A haidong_policy worker --beat --loglevel INFO --schedule var/celerybeat-schedule

# Several nodes on loopback (README "Cluster", DESIGN §13): nginx with TLS balancing two gunicorn nodes,
# a Celery worker, over PostgreSQL (DATABASE_URL, default haidong_cluster), Redis and one media store.
cluster: setup system-cluster pdf-setup
	$(PY) scripts/cluster.py start

cluster-stop:
	$(PY) scripts/cluster.py stop

system-cluster:
	@scripts/system-packages.sh $(CLUSTER_PACKAGES)

test: setup system-test pdf-setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports  # the architecture's contracts (.importlinter, docs/architecture.md)
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/pytest -m "not slow"

setup: $(STAMP)

# Reinstalls only when pyproject.toml changes, so a second run starts in seconds.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

system-run:
	@scripts/system-packages.sh $(RUN_PACKAGES)

# For run and test only: the test CA and the authorities' test signing certificates (var/signing/),
# kept between runs (README "Signing").
pdf-setup: setup
	$(PY) manage.py make_test_certificates -v0

system-test:
	@scripts/system-packages.sh $(TEST_PACKAGES)

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	@echo ""
	$(PY) manage.py load_demo
	@echo "(demo passwords: change them before any real use; the city admin also opens /admin/)"
	@echo "Calculator: http://$(HOST):$(PORT)/   API docs: http://$(HOST):$(PORT)/api/docs"
	@echo ""

bench: setup pdf-setup
	bench/all.sh

messages: setup
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=build
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
