# Two entry points for a fresh machine: `make demo` (set up, then draft an apology with the embedded model)
# and `make test` (set up, then lint, type-check and run every test). Both install what they need.
VENV ?= .venv
BIN := $(VENV)/bin
# Portable llama.cpp build: no -march=native (a native AVX-512/AMX build crashed on this VM's CPU), so a
# wheel built once and kept in pip's cache runs on any x86-64 machine with AVX2.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
  -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2

.PHONY: setup demo test browser lint

$(BIN)/python:
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Dependencies first (llama-cpp-python compiles once, ~6 min, then comes from pip's wheel cache),
# then amends itself as a real (non-editable) install, so tests see what users get.
setup: $(BIN)/python
	$(BIN)/pip install -q ".[test]"
	$(BIN)/pip install -q --no-deps --force-reinstall .

demo: setup
	$(BIN)/amends draft "$$(cat examples/summary.txt)" --facts examples/incident.yaml

browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
	  || echo "could not install chromium: the HTML report test will be skipped"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup browser lint
	$(BIN)/pytest
