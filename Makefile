# The two commands of the README: `make run` serves the site, `make test` passes the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEV_ENV := DJANGO_DEBUG=1
PG_URL := postgres://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres quality fix venv tools browser clamav pango bench docs-screenshots clean

$(BIN)/activate: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON))."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(BIN)/activate

venv: $(BIN)/activate

## run: venv, migrations, content, demo data, static files, then the site on http://127.0.0.1:8000 (SQLite)
run: venv
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_initial_content
	$(DEV_ENV) $(PY) manage.py generate_demo_data
	$(DEV_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  Le site tourne sur http://127.0.0.1:8000/  (administration : http://127.0.0.1:8000/admin/)"
	@echo "  Créer un compte agent :  $(DEV_ENV) $(PY) manage.py createsuperuser"
	@echo ""
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

## tools: test-only tools (axe-core, W3C Nu HTML checker) from npm, Chromium for Playwright, ClamAV, Pango (PDF)
tools: tests/tools/node_modules/.installed browser clamav pango

tests/tools/node_modules/.installed: tests/tools/package.json tests/tools/package-lock.json
	cd tests/tools && npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser: venv
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installation de chromium (Debian)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		$(PY) -m playwright install chromium; \
	fi

# The antivirus tests start their own clamd with a one-line test signature: no signature download needed.
clamav:
	@if [ -x /usr/sbin/clamd ] && command -v sigtool >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installation de ClamAV (Debian)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav clamav-daemon >/dev/null; \
	else \
		echo "ClamAV manque : sudo apt-get install clamav clamav-daemon"; exit 1; \
	fi

# WeasyPrint (the committee's PDF files) draws text with Pango: Debian's libraries, and a font.
pango:
	@if ldconfig -p | grep -q libpangoft2-1.0.so.0 && fc-list | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installation de Pango (Debian)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	else \
		echo "Pango manque : sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; exit 1; \
	fi

## quality: lint and format check
quality: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fix: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## test: lint, then the whole suite (browser tests included) on SQLite, then on PostgreSQL when it answers
test: quality tools
	$(BIN)/pytest --create-db
	@if $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL =="; DATABASE_URL=$(PG_URL) $(BIN)/pytest --create-db; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL ne répond pas sur 127.0.0.1:5432"; exit 1; \
	else echo "PostgreSQL absent : suite lancée sur SQLite seulement."; fi

test-sqlite: venv tools
	$(BIN)/pytest

test-postgres: venv tools
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

## docs-screenshots: full-page PNGs of the main pages at 390 and 1280 px in docs/captures/, and the staff guide's in docs/guide/ (browser tests)
docs-screenshots: venv tools
	DOCS_CAPTURES=1 $(BIN)/pytest tests/core/test_screenshots.py tests/core/test_staff_guide.py tests/microprojets/test_browser_life.py -p no:randomly -q

## bench: server time of the heaviest pages with many rows
bench: venv
	$(BIN)/python tests/bench.py

clean:
	rm -rf $(VENV) staticfiles tests/tools/node_modules
