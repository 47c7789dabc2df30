"""Settings from the environment and `.env`; secrets have no default and are never printed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.i18n import Locale
from storage.url import DatabaseUrl


class Settings(BaseSettings):
    """Every setting Parley reads; `.env.example` documents each one with its default."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        populate_by_name=True,
    )

    discord_token: SecretStr | None = Field(default=None, alias="DISCORD_TOKEN")
    discord_guild_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, alias="DISCORD_GUILD_IDS"
    )
    discord_shards: str | None = Field(default=None, alias="PARLEY_DISCORD_SHARDS")
    """This process's Discord shards, e.g. `0-3/8` (parsed by `bot.adapters.discord.shards`)."""
    telegram_token: SecretStr | None = Field(default=None, alias="TELEGRAM_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, alias="TELEGRAM_API_BASE_URL")
    telegram_webhook_url: str | None = Field(default=None, alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: SecretStr | None = Field(default=None, alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_webhook_listen: str = Field(default="0.0.0.0", alias="TELEGRAM_WEBHOOK_LISTEN")
    telegram_webhook_port: int = Field(default=8443, alias="TELEGRAM_WEBHOOK_PORT")

    database: str = Field(
        default="parley.db",
        validation_alias=AliasChoices("PARLEY_DATABASE_URL", "PARLEY_DB", "database_path"),
    )
    """A file path, `sqlite:///FILE` or `postgresql://…` (`PARLEY_DB` is the older name)."""
    locale: Locale = Field(default="en", alias="PARLEY_LOCALE")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", alias="PARLEY_LOG_LEVEL"
    )
    rate_limit_per_minute: float = Field(default=20.0, gt=0, alias="PARLEY_RATE_LIMIT_PER_MINUTE")
    rate_limit_burst: int = Field(default=8, ge=1, alias="PARLEY_RATE_LIMIT_BURST")
    operator_name: str = Field(default="operator", min_length=1, alias="PARLEY_OPERATOR")
    console_files_dir: Path | None = Field(default=None, alias="PARLEY_CONSOLE_FILES")
    console_history: Path | None = Field(default=None, alias="PARLEY_CONSOLE_HISTORY")
    """The interactive console's history file (default: under the user's state directory)."""
    allow_private_urls: bool = Field(default=False, alias="PARLEY_ALLOW_PRIVATE_URLS")
    poll_key: SecretStr | None = Field(default=None, alias="PARLEY_POLL_KEY")
    poll_key_file: Path | None = Field(default=None, alias="PARLEY_POLL_KEY_FILE")
    job_lease_seconds: float = Field(default=60.0, ge=1, le=3600, alias="PARLEY_JOB_LEASE_SECONDS")
    """How long a scheduled job's claim lasts unrenewed: a dead holder's job runs again after it."""
    max_open_polls_per_person: int = Field(
        default=25, ge=1, alias="PARLEY_MAX_OPEN_POLLS_PER_PERSON"
    )
    max_open_polls_per_chat: int = Field(default=100, ge=1, alias="PARLEY_MAX_OPEN_POLLS_PER_CHAT")
    max_scheduled_posts_per_person: int = Field(
        default=20, ge=1, alias="PARLEY_MAX_SCHEDULED_POSTS_PER_PERSON"
    )
    max_scheduled_posts_per_chat: int = Field(
        default=50, ge=1, alias="PARLEY_MAX_SCHEDULED_POSTS_PER_CHAT"
    )
    max_pending_arguments_per_person: int = Field(
        default=5, ge=1, alias="PARLEY_MAX_PENDING_ARGUMENTS_PER_PERSON"
    )
    max_articles_per_chat: int = Field(default=200, ge=1, alias="PARLEY_MAX_ARTICLES_PER_CHAT")
    llm_base_url: str | None = Field(default=None, alias="PARLEY_LLM_BASE_URL")
    """An OpenAI-compatible API (`…/v1`): with `llm_model`, summaries a model writes are on."""
    llm_api_key: SecretStr | None = Field(default=None, alias="PARLEY_LLM_API_KEY")
    llm_model: str | None = Field(default=None, alias="PARLEY_LLM_MODEL")
    llm_provider: str | None = Field(default=None, alias="PARLEY_LLM_PROVIDER")
    """The provider's name in each written summary's label (default: the base URL's host)."""
    llm_timeout_seconds: float = Field(
        default=60.0, gt=0, le=600, alias="PARLEY_LLM_TIMEOUT_SECONDS"
    )
    llm_daily_budget: int = Field(default=50, ge=0, alias="PARLEY_LLM_DAILY_BUDGET")
    """Model requests each chat may cause per UTC day (cached answers cost nothing)."""

    @field_validator("discord_guild_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("database", mode="before")
    @classmethod
    def _check_database(cls, value: object) -> object:
        if isinstance(value, Path):
            value = str(value)
        if isinstance(value, str):
            DatabaseUrl.parse(value)  # a ValueError names what is wrong
        return value

    @field_validator("llm_base_url", mode="before")
    @classmethod
    def _check_llm_base_url(cls, value: object) -> object:
        if isinstance(value, str):
            parts = urlsplit(value.strip())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError("PARLEY_LLM_BASE_URL must be an http(s) address, e.g. …/v1")
            return value.strip()
        return value

    @property
    def database_url(self) -> DatabaseUrl:
        """Which database to open (engine and target)."""
        return DatabaseUrl.parse(self.database)

    @property
    def database_path(self) -> Path | None:
        """The SQLite database file; None on PostgreSQL (and for `:memory:`)."""
        return self.database_url.path

    @field_validator("locale", mode="before")
    @classmethod
    def _normalize_locale(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    def secrets(self) -> list[str]:
        """The secret values in use, so logs can redact them."""
        found = (
            self.discord_token,
            self.telegram_token,
            self.telegram_webhook_secret,
            self.poll_key,
            self.llm_api_key,
        )
        values = [s.get_secret_value() for s in found if s is not None and s.get_secret_value()]
        password = self.database_url.password
        return [*values, password] if password else values
