"""Settings: read once from the environment and `.env`, never written back, with clear errors."""

import os

import pytest

from extramile.settings import PROJECT_ROOT, Settings, SettingsError, load_settings


def test_the_environment_wins_over_the_env_file_and_nothing_is_written_back(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text("DATABASE_URL=sqlite:///from-file.db\nRASA_PORT=6000\nPERSONAS_DIR=people\n")
    monkeypatch.setenv("RASA_PORT", "7000")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    before = dict(os.environ)
    settings = Settings(_env_file=env_file)
    assert settings.database_url == "sqlite:///from-file.db"
    assert settings.rasa_port == 7000
    assert settings.personas_dir == PROJECT_ROOT / "people"  # relative to the project
    assert settings.rasa_public_url == "http://localhost:7000"
    assert settings.action_server_url == f"http://localhost:{settings.action_port}/webhook"
    assert dict(os.environ) == before


def test_a_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("CUSTOMER_TYPING_SCALE", "fast")
    with pytest.raises(SettingsError, match="CUSTOMER_TYPING_SCALE"):
        load_settings()
    monkeypatch.setenv("CUSTOMER_TYPING_SCALE", "-1")
    with pytest.raises(SettingsError, match="CUSTOMER_TYPING_SCALE"):
        load_settings()


def test_children_get_every_setting(monkeypatch):
    settings = load_settings(database_url="sqlite:///x.db", action_port=5999)
    env = settings.child_environment()
    assert env["DATABASE_URL"] == "sqlite:///x.db" and env["ACTION_PORT"] == "5999"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert load_settings() == settings
