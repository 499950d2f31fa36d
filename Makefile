# Setup and everyday commands. `make run` and `make test` install into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QUESTION ?= Tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?

.PHONY: install run test test-fast lint bench clean

$(BIN)/qabot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# CPU torch first: an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/qabot

install: $(BIN)/qabot

run: install
	$(BIN)/qabot ask "$(QUESTION)"

test: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q

# Everything that needs no embedding model (tests/fake_embedder.py stands in): about a minute.
test-fast: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy --strict bot

bench: install
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	HF_HUB_OFFLINE=1 $(BIN)/python bench/bench.py
	# The out-of-corpus protocol: evidence for in- and out-of-corpus questions, then the
	# verdict, highlight and short answer cross-validated beside the hand-set rule.
	HF_HUB_OFFLINE=1 $(BIN)/python bench/verdict_data.py --halvings 6
	$(BIN)/python bench/fit_verdict.py
	HF_HUB_OFFLINE=1 $(BIN)/python bench/scale.py
	# Running for real: webhook vs polling latency, with and without the feedback database.
	HF_HUB_OFFLINE=1 $(BIN)/python bench/ops_bench.py --questions 200
	# Follow-ups: last-turn R@1 alone, all turns concatenated, and in conversation mode.
	HF_HUB_OFFLINE=1 $(BIN)/python bench/conversations.py

clean:
	rm -rf $(VENV) index/gen-* index/CURRENT index/.lock
