"""Personas: the schema trainers write in YAML and the catalogue that loads it."""

from extramile.personas.catalogue import (
    LoadedPersona,
    PersonaCatalogue,
    load_persona_file,
    load_personas,
    parse_persona,
    persona_files,
)
from extramile.personas.schema import Fact, Fix, FobOff, MoodReplies, Persona, Replies

__all__ = [
    "Fact",
    "Fix",
    "FobOff",
    "LoadedPersona",
    "MoodReplies",
    "Persona",
    "PersonaCatalogue",
    "Replies",
    "load_persona_file",
    "load_personas",
    "parse_persona",
    "persona_files",
]
