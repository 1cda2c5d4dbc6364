# One pinned environment (uv.lock) behind every command. Needs only Python >= 3.11:
# uv is used from PATH, or bootstrapped into .tools/ with pip the first time.
SHELL := /bin/bash
UV_VERSION := 0.13.8
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# The course's matrices are tiny: one BLAS thread is faster than a pool (and steadier on 2 cores).
export OPENBLAS_NUM_THREADS := 1

.PHONY: help sync js book student test lint unit notebooks nbval browser hub lab bench clean

help:
	@echo "make book       build the book into _build/html (warnings are errors)"
	@echo "make test       lint, unit and property tests, nbval, the book, browser tests, a class on a JupyterHub"
	@echo "make lab        open the notebooks in JupyterLab"
	@echo "make student    write the student copies and their zip into _build/student"
	@echo "make bench      print the speed tables (never fails a build)"
	@echo "make notebooks  re-execute the master notebooks in place (after editing them)"
	@echo "make clean      remove build outputs"

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

sync: $(if $(findstring .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --locked

# JavaScript tools of the tests (KaTeX, axe-core, JupyterHub's proxy), pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

js: node_modules/.package-lock.json

book: student
	$(VENV)/jupyter-book build . -W -n --keep-going

# Student copies (solutions replaced by placeholders, outputs cleared) and a zip of them,
# which the book's introduction offers for download.
STUDENT := _build/student
student: sync
	rm -rf $(STUDENT)
	$(VENV)/coursekit student notebooks --out $(STUDENT)/surprise-to-vi-notebooks
	cd $(STUDENT) && ../../$(VENV)/python -m zipfile -c surprise-to-vi-notebooks.zip surprise-to-vi-notebooks

lint: sync
	$(VENV)/ruff check .
	$(VENV)/ruff format --check coursekit tests benchmarks

unit: sync js
	$(VENV)/pytest tests --ignore=tests/browser --ignore=tests/hub/test_class_on_a_hub.py

nbval: sync
	COURSEKIT_STATIC_EXPLORERS=0 $(VENV)/pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg \
		-p no:cacheprovider notebooks

browser: book js
	$(VENV)/pytest tests/browser

# A class on a real JupyterHub on 127.0.0.1 (its proxy from `make js`; needs git and curl).
hub: sync js
	$(VENV)/pytest -p no:cacheprovider tests/hub/test_class_on_a_hub.py

test: lint unit nbval browser hub

notebooks: sync
	$(VENV)/coursekit execute notebooks/*.ipynb

lab: sync
	$(VENV)/jupyter lab notebooks/

bench: sync
	@{ echo "Measured by \`make bench\` on a machine with $$(nproc) cores."; echo; \
	  for script in benchmarks/bench_*.py; do $(VENV)/python $$script || true; echo; done; \
	} | tee benchmarks/latest.md

clean:
	rm -rf _build .pytest_cache .hypothesis
