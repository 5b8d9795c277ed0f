"""Every setting of Extra Mile in one object, read once from the environment and `.env`.

`.env.example` documents each variable. Values already in the environment win over `.env`; the
file is read with python-dotenv (through pydantic's settings) and nothing is written back to
`os.environ`: a process that starts another (the start command, the test servers) passes
`Settings.child_environment()` to it explicitly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseSettings, Field, ValidationError, validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where things are and how the servers listen. Defaults work on one machine, no set-up."""

    database_url: str = Field("sqlite:///extramile.db", env="DATABASE_URL")
    personas_dir: Path = Field(PROJECT_ROOT / "personas", env="PERSONAS_DIR")
    rubric_file: Path = Field(PROJECT_ROOT / "rubric.yml", env="RUBRIC_FILE")
    models_dir: Path = Field(PROJECT_ROOT / "models", env="MODELS_DIR")
    nlu_data: Path = Field(PROJECT_ROOT / "data" / "nlu.yml", env="NLU_DATA")
    typing_scale: float = Field(1.0, ge=0, env="CUSTOMER_TYPING_SCALE")
    rasa_port: int = Field(5005, gt=0, lt=65536, env="RASA_PORT")
    action_port: int = Field(5055, gt=0, lt=65536, env="ACTION_PORT")
    web_port: int = Field(8000, gt=0, lt=65536, env="WEB_PORT")
    action_server_url: str = Field("", env="ACTION_SERVER_URL")  # default: from action_port
    rasa_public_url: str = Field("", env="RASA_PUBLIC_URL")  # default: from rasa_port
    web_public_url: str = Field("", env="WEB_PUBLIC_URL")  # default: from web_port
    # Security (README "Security and reliability"). The defaults are the safe ones.
    bind_host: str = Field("127.0.0.1", env="BIND_HOST")  # where the servers listen
    secret_key: str = Field("", env="SECRET_KEY")  # signs chat tokens; `make` writes one to .env
    chat_token_minutes: float = Field(10.0, gt=0, le=24 * 60, env="CHAT_TOKEN_MINUTES")
    secure_cookies: bool = Field(True, env="SECURE_COOKIES")
    max_message_chars: int = Field(5000, ge=100, le=100_000, env="MAX_MESSAGE_CHARS")
    messages_per_minute: int = Field(30, ge=1, env="MESSAGES_PER_MINUTE")  # per conversation
    requests_per_minute: int = Field(300, ge=1, env="REQUESTS_PER_MINUTE")  # per user, web app
    login_attempts: int = Field(5, ge=1, env="LOGIN_ATTEMPTS")  # failures before the lock-out
    lockout_minutes: float = Field(15.0, gt=0, env="LOCKOUT_MINUTES")

    class Config:
        env_file = PROJECT_ROOT / ".env"
        env_file_encoding = "utf-8"

    @validator("personas_dir", "rubric_file", "models_dir", "nlu_data")
    def _from_project_root(cls, path: Path) -> Path:
        # `.env` says PERSONAS_DIR=personas: relative to the project, wherever a command runs.
        return path if path.is_absolute() else PROJECT_ROOT / path

    @validator("action_server_url", always=True)
    def _default_action_url(cls, url: str, values: dict[str, Any]) -> str:
        return url or f"http://localhost:{values.get('action_port', 5055)}/webhook"

    @validator("rasa_public_url", always=True)
    def _default_rasa_url(cls, url: str, values: dict[str, Any]) -> str:
        return url or f"http://localhost:{values.get('rasa_port', 5005)}"

    @validator("secret_key")
    def _long_enough(cls, key: str) -> str:
        if key and len(key) < 32:
            raise ValueError(
                "must be at least 32 characters "
                "(make one: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        return key

    @validator("web_public_url", always=True)
    def _default_web_url(cls, url: str, values: dict[str, Any]) -> str:
        return url or f"http://localhost:{values.get('web_port', 8000)}"

    @property
    def rasa_url(self) -> str:
        """Where the other servers on this machine reach the Rasa server."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rasa_model(self) -> Path:
        return self.models_dir / "extra-mile.tar.gz"

    @property
    def detector_models(self) -> Path:
        return self.models_dir / "detectors.joblib"

    @property
    def labelled_messages(self) -> list[Path]:
        """The labelled agent messages the detectors' models learn from (data/detectors/)."""
        return sorted((self.nlu_data.parent / "detectors").glob("*.jsonl"))

    def child_environment(self) -> dict[str, str]:
        """The variables a server started from here needs (endpoints.yml reads two of them)."""
        return {
            "DATABASE_URL": self.database_url,
            "PERSONAS_DIR": str(self.personas_dir),
            "RUBRIC_FILE": str(self.rubric_file),
            "MODELS_DIR": str(self.models_dir),
            "NLU_DATA": str(self.nlu_data),
            "CUSTOMER_TYPING_SCALE": str(self.typing_scale),
            "RASA_PORT": str(self.rasa_port),
            "ACTION_PORT": str(self.action_port),
            "WEB_PORT": str(self.web_port),
            "ACTION_SERVER_URL": self.action_server_url,
            "RASA_PUBLIC_URL": self.rasa_public_url,
            "WEB_PUBLIC_URL": self.web_public_url,
            "BIND_HOST": self.bind_host,
            "SECRET_KEY": self.secret_key,
            "CHAT_TOKEN_MINUTES": str(self.chat_token_minutes),
            "SECURE_COOKIES": str(self.secure_cookies).lower(),
            "MAX_MESSAGE_CHARS": str(self.max_message_chars),
            "MESSAGES_PER_MINUTE": str(self.messages_per_minute),
            "REQUESTS_PER_MINUTE": str(self.requests_per_minute),
            "LOGIN_ATTEMPTS": str(self.login_attempts),
            "LOCKOUT_MINUTES": str(self.lockout_minutes),
            "RASA_TELEMETRY_ENABLED": "false",
        }


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the variable and what it must be."""


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; a bad value raises SettingsError naming the environment variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problems = []
        for problem in error.errors():
            field = str(problem["loc"][0])
            variable = Settings.__fields__[field].field_info.extra.get("env", field.upper())
            problems.append(f"{variable}: {problem['msg']}")
        raise SettingsError(
            "Invalid setting in the environment or .env (see .env.example): " + "; ".join(problems)
        ) from None
