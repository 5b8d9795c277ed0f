# Extra Mile: `make run` starts the product, `make test` runs every test.
# Both set up .venv and train the models first when needed.

PY         := .venv/bin/python
RASA       := .venv/bin/rasa
EXTRAMILE  := .venv/bin/extramile
STAMP      := .venv/.installed
MODEL      := models/extra-mile.tar.gz
CLASSIFIER := models/argue-classifier.joblib
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test setup train migrate lint typecheck validate nlu-report benchmark screenshots clean

run: $(STAMP) .env $(MODEL) $(CLASSIFIER)
	$(EXTRAMILE) run

test: $(STAMP) .env $(MODEL) $(CLASSIFIER) lint typecheck
	$(EXTRAMILE) validate-personas
	$(RASA) data validate --fail-on-warnings --quiet
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml --fail-on-prediction-errors --out results/stories
	$(PY) -m pytest

setup: $(STAMP)

$(STAMP): scripts/setup.sh pyproject.toml $(wildcard requirements-*.lock) package-lock.json
	bash scripts/setup.sh

.env:
	cp .env.example .env

# Both models retrain when they are older than their data (make compares the files' times):
# the Rasa model and the arguing classifier, which learns from the same NLU examples.
train: $(MODEL) $(CLASSIFIER)
$(MODEL): $(STAMP) config.yml domain.yml $(wildcard data/*.yml)
	$(RASA) train --fixed-model-name extra-mile --out models
	touch $(MODEL)
$(CLASSIFIER): $(STAMP) data/nlu.yml extramile/detectors/argue_model.py
	$(EXTRAMILE) train-classifier

migrate: $(STAMP) .env
	$(EXTRAMILE) migrate

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy

validate: $(STAMP)
	$(EXTRAMILE) validate-personas
	$(EXTRAMILE) validate-rubric

nlu-report: $(STAMP)
	$(EXTRAMILE) nlu-report

benchmark: $(STAMP) $(MODEL) $(CLASSIFIER)
	$(EXTRAMILE) benchmark-latency
	$(EXTRAMILE) benchmark-scoring

# The browser tests write screenshots to results/screenshots/; this copies them to the README's.
screenshots:
	cp results/screenshots/*.png docs/screenshots/

clean:
	rm -rf models results .pytest_cache .mypy_cache
