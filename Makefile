# buddy-raise: `make run` raises the default kernel; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.stamp-install
KERNEL ?= polybench/kernels/gemm.mlir
TARGET ?= linalg
OUT    := out

.PHONY: setup native run test test-fast bench-synth bench-eval fuzz lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,clients,cluster]'
	@touch $(STAMP)

# Native toolchain (clang/lld/llvm/mlir-opt 22, qemu, riscv64 cross); core raising needs none.
native:
	@bash scripts/install-native.sh

run: setup
	@mkdir -p $(OUT)
	$(BIN)/buddy-raise $(KERNEL) --target $(TARGET) -o $(OUT)/raised.mlir \
		--report $(OUT)/report.json --stats; status=$$?; \
		echo "---- raised IR ($(OUT)/raised.mlir) ----"; cat $(OUT)/raised.mlir; \
		echo "---- report: $(OUT)/report.json; exit status $$status ----"; exit $$status

# The suite in one process per core (pytest-xdist); TEST_JOBS=0 runs it in this process.
TEST_JOBS ?= auto

test: setup native
	$(BIN)/pytest -q -n $(TEST_JOBS)

test-fast: setup
	$(BIN)/pytest -q -n $(TEST_JOBS) -m "not slow"

# PolyBench (all 30), then the two corpora with the whole raise incl. the compiled cross-check.
bench-synth: setup
	$(BIN)/python -m polybench.bench_synth all
	$(BIN)/python -m polybench.bench_synth tests/corpus tests/foreign --with-crosscheck \
		--median-budget 0.2 --full-budget 5

# CPU (LARGE) and RVV (SMALL, qemu) performance comparison -> out/evaluate/{cpu,rvv}.csv,
# results.md, *.png. EVAL_ARGS passes options, e.g. EVAL_ARGS="--kernels gemm --threads 2".
EVAL_ARGS ?= --threads 2
bench-eval: setup native
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(BIN)/python -m polybench.evaluate --out $(OUT)/evaluate $(EVAL_ARGS)

# Issue 7: seeded mutations of the corpus files; prints the counts (FUZZ_COUNT cases).
FUZZ_COUNT ?= 3000
fuzz: setup
	$(BIN)/python -m tests.fuzz --count $(FUZZ_COUNT) --save $(OUT)/fuzz-failures

# Style (ruff), the layer contract and import cycles (import-linter, pyproject.toml), types.
lint: setup
	$(BIN)/ruff check core synth grammar checkers raising lowering polybench tests
	$(BIN)/lint-imports
	$(BIN)/mypy core checkers grammar synth raising lowering polybench

clean:
	rm -rf $(OUT) .pytest_cache
