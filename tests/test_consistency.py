"""One vocabulary: the Rasa files, the persona files, the rubric, the guide and every table keyed
by an act, skill, outcome or temperament agree with `extramile.vocab`."""

import re

import yaml

from extramile.customer import SALIENCE
from extramile.practice import OUTCOME_NOTICES
from extramile.scoring.scorer import PRACTICE
from extramile.scoring.skills import SCORERS
from extramile.settings import PROJECT_ROOT
from extramile.temperaments import PROFILES
from extramile.vocab import (
    AGENT_ACTS,
    CLIENT_COMMANDS,
    OUTCOME_LABELS,
    OUTCOMES,
    SKILLS,
    TEMPERAMENTS,
    split_intent,
)


def read(name):
    return yaml.safe_load((PROJECT_ROOT / name).read_text(encoding="utf-8"))


def nlu_intents():
    return {block["intent"] for block in read("data/nlu.yml")["nlu"] if "intent" in block}


def test_domain_intents_are_the_client_commands_and_combinations_of_agent_acts():
    intents = set(read("domain.yml")["intents"])
    assert set(CLIENT_COMMANDS) <= intents
    assert set(AGENT_ACTS) <= intents  # every act on its own
    for intent in intents - set(CLIENT_COMMANDS):
        assert split_intent(intent), intent  # raises on a name that is not an agent act


def test_nlu_examples_and_the_rule_cover_exactly_the_domain_intents():
    intents = set(read("domain.yml")["intents"])
    assert nlu_intents() == intents
    [rule] = read("data/rules.yml")["rules"]
    answered = {step["intent"] for step in rule["steps"][0]["or"]}
    assert answered == intents
    assert rule["steps"][1] == {"action": "action_customer_turn"}


def test_tables_keyed_by_the_vocabulary_are_complete():
    assert sorted(SALIENCE) == sorted(AGENT_ACTS)
    assert set(SCORERS) == set(PRACTICE) == set(SKILLS)
    assert set(PROFILES) == set(TEMPERAMENTS)
    assert set(OUTCOME_NOTICES) == set(OUTCOME_LABELS) == set(OUTCOMES)


def test_the_rubric_rules_every_skill(rubric):
    assert set(read("rubric.yml")["skills"]) == set(SKILLS) == set(rubric.skills)


def test_persona_reply_keys_and_fact_acts_are_agent_acts(personas):
    for loaded in personas.values():
        raw = yaml.safe_load(loaded.content)
        assert set(raw["replies"]) <= set(AGENT_ACTS), loaded.persona.id
        for fact in raw["scenario"]["facts"]:
            assert set(fact.get("revealed_by", [])) <= set(AGENT_ACTS), loaded.persona.id


def test_the_trainers_guide_names_every_act_and_temperament():
    guide = (PROJECT_ROOT / "personas" / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(\w+)`", guide))
    assert set(AGENT_ACTS) <= named, set(AGENT_ACTS) - named
    assert set(TEMPERAMENTS) <= named | set(re.findall(r"\| (\w+) \|", guide))
