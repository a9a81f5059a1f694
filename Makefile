# Shouwen: `make run` starts the assistant, `make test` runs every test. Both set up what is missing.
SHELL := /bin/bash
PY := .venv/bin/python
RASA_PY := .venv-rasa/bin/python

.PHONY: setup model run test lint test-core test-bot test-stories validate clean eval bench

setup:
	@bash scripts/setup.sh

model:
	@bash scripts/train.sh

run: setup
	@PYTHONPATH=$(CURDIR) $(PY) scripts/stack.py

lint:
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/mypy shouwen_core connectors shouwen_records

validate:
	@./shouwen catalog validate
	@PYTHONPATH=$(CURDIR) .venv-rasa/bin/rasa data validate --domain bot/domain.yml --data nlu_data bot/data --config config.yml --fail-on-warnings

# The Rasa-side tests (NLU components, actions) run in the Rasa venv; everything else in .venv.
test-bot:
	@PYTHONPATH=$(CURDIR) TF_CPP_MIN_LOG_LEVEL=3 $(RASA_PY) -m pytest -q -p no:cacheprovider tests/bot tests/actions

test-core:
	@PYTHONPATH=$(CURDIR) $(PY) -m pytest -q -p no:cacheprovider tests/core tests/records tests/connectors tests/integration

test: setup lint validate test-stories test-bot test-core

clean:
	rm -rf .run models .models

eval: setup
	@PYTHONPATH=$(CURDIR) PYTHONWARNINGS=ignore TF_CPP_MIN_LOG_LEVEL=3 $(RASA_PY) scripts/eval.py

# Speed, memory, scale and quality side by side (under 15 min; SOAK_SECONDS=60 for a quick run).
bench: setup
	@PYTHONPATH=$(CURDIR) $(PY) scripts/bench.py

# Dialogue tests: every story's actions follow from its intents (tests/stories).
test-stories:
	@mkdir -p .run
	@PYTHONPATH=$(CURDIR) TF_CPP_MIN_LOG_LEVEL=3 .venv-rasa/bin/rasa test core --model models/shouwen.tar.gz \
	  --stories tests/stories --fail-on-prediction-errors --out .run/rasa-test > .run/rasa-test.log 2>&1 \
	  || { tail -30 .run/rasa-test.log; exit 1; }
	@grep -h -E "Correct:|Finished evaluation" .run/rasa-test.log | head -3 || true
