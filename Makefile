# Extra Mile: `make run` starts the product, `make test` runs every test.
# Both set up .venv and train the models first when needed.

PY         := .venv/bin/python
RASA       := .venv/bin/rasa
EXTRAMILE  := .venv/bin/extramile
STAMP      := .venv/.installed
MODEL      := models/extra-mile.tar.gz
DETECTORS  := models/detectors.joblib
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test setup train migrate lint typecheck validate nlu-report benchmark screenshots clean

run: $(STAMP) .env $(MODEL) $(DETECTORS)
	$(EXTRAMILE) run

test: $(STAMP) .env $(MODEL) $(DETECTORS) lint typecheck
	$(EXTRAMILE) validate-personas
	$(RASA) data validate --fail-on-warnings --quiet
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml --fail-on-prediction-errors --out results/stories
	$(PY) -m pytest

setup: $(STAMP)

$(STAMP): scripts/setup.sh pyproject.toml $(wildcard requirements-*.lock) package-lock.json
	bash scripts/setup.sh

# A new .env gets its own random SECRET_KEY (it signs sign-ins and chat tokens; keep it secret).
.env:
	cp .env.example .env
	echo "SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')" >> .env

# The models retrain when they are older than their data (make compares the files' times): the
# Rasa model, and the detectors' models, which learn from the NLU examples, the labelled messages
# in data/detectors/ and the reflection features' code.
train: $(MODEL) $(DETECTORS)
$(MODEL): $(STAMP) config.yml domain.yml $(wildcard data/*.yml)
	$(RASA) train --fixed-model-name extra-mile --out models
	touch $(MODEL)
$(DETECTORS): $(STAMP) data/nlu.yml $(wildcard data/detectors/*.jsonl) $(wildcard extramile/detectors/*.py extramile/detectors/lexicon/*.py)
	$(EXTRAMILE) train-detectors

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

benchmark: $(STAMP) $(MODEL) $(DETECTORS)
	$(EXTRAMILE) benchmark-latency
	$(EXTRAMILE) benchmark-scoring

# The browser tests write screenshots to results/screenshots/; this copies them to the README's.
screenshots:
	cp results/screenshots/*.png docs/screenshots/

clean:
	rm -rf models results .pytest_cache .mypy_cache
