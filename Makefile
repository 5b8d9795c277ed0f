# Extra Mile: `make run` starts the product, `make test` runs every test.
# Both set up .venv and train the model first when needed.

PY      := .venv/bin/python
RASA    := .venv/bin/rasa
STAMP   := .venv/.installed
MODEL   := models/extra-mile.tar.gz
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test setup train lint validate nlu-report benchmark clean

run: $(STAMP) .env $(MODEL)
	$(PY) scripts/run.py

test: $(STAMP) .env $(MODEL)
	$(PY) -m ruff check .
	$(PY) scripts/validate_personas.py
	$(RASA) data validate --fail-on-warnings --quiet
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml --fail-on-prediction-errors --out results/stories
	$(PY) -m pytest

setup: $(STAMP)

$(STAMP): scripts/setup.sh $(wildcard requirements-*.lock) package-lock.json
	bash scripts/setup.sh

.env:
	cp .env.example .env

# Retrains when the model is older than its data (make compares the files' times).
train: $(MODEL)
$(MODEL): $(STAMP) config.yml domain.yml $(wildcard data/*.yml)
	$(RASA) train --fixed-model-name extra-mile --out models
	touch $(MODEL)

lint: $(STAMP)
	$(PY) -m ruff check .

validate: $(STAMP)
	$(PY) scripts/validate_personas.py

nlu-report: $(STAMP)
	$(PY) scripts/nlu_report.py

benchmark: $(STAMP) $(MODEL)
	$(PY) scripts/benchmark_latency.py

clean:
	rm -rf models results .pytest_cache
