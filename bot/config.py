"""Settings from the environment or `.env`, checked at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

DEFAULT_DB = "rebound.db"


class Settings(BaseSettings):
    """Every operator setting; each maps to a REBOUND_* (or platform) variable."""

    # Empty values (`SLACK_APP_TOKEN=` as in deploy/.env.example) mean "not set".
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      env_ignore_empty=True)

    db: Path = Field(default=Path(DEFAULT_DB), validation_alias="REBOUND_DB")
    log_level: str = Field(default="INFO", validation_alias="REBOUND_LOG_LEVEL")
    # One JSON object a line (for log shippers) or key=value pairs (for people reading).
    log_format: Literal["json", "kv"] = Field(default="json",
                                              validation_alias="REBOUND_LOG_FORMAT")
    # Write logs to this file instead of standard error (`rebound chat` logs here at full level).
    log_file: Path | None = Field(default=None, validation_alias="REBOUND_LOG_FILE")
    # Include exception messages in logs; off by default because they can quote user input.
    log_error_detail: bool = Field(default=False, validation_alias="REBOUND_LOG_ERROR_DETAIL")
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

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        """Accept the standard level names in any case."""
        level = value.strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level


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
