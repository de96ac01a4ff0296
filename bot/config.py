"""Settings from the environment or `.env`, checked at start-up."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

DEFAULT_DB = "rebound.db"


class Settings(BaseSettings):
    """Every operator setting; each maps to a REBOUND_* (or platform) variable."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    db: Path = Field(default=Path(DEFAULT_DB), validation_alias="REBOUND_DB")
    log_level: str = Field(default="INFO", validation_alias="REBOUND_LOG_LEVEL")
    # How late a check-in may still be sent after downtime, in hours.
    checkin_staleness_hours: float = Field(
        default=36, gt=0, validation_alias="REBOUND_CHECKIN_STALENESS_HOURS"
    )
    # Free-text reflections are erased after this many days; the interview record stays.
    retention_days: int = Field(default=180, ge=1, validation_alias="REBOUND_RETENTION_DAYS")
    slack_bot_token: str | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_app_token: str | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_signing_secret: str | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    slack_port: int = Field(default=3000, ge=1, le=65535, validation_alias="SLACK_PORT")
    discord_token: str | None = Field(default=None, validation_alias="DISCORD_TOKEN")


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into a message that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            name = ".".join(str(part) for part in item["loc"]) or "setting"
            problems.append(f"{name}: {item['msg']}")
        raise ConfigError("Invalid settings: " + "; ".join(problems)) from None
