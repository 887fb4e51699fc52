"""Settings, read once from the environment (BACKCOACH_*) when first asked for.

Nothing connects or reads files at import time: `get_settings()` builds the object lazily,
and tests can clear it with `get_settings.cache_clear()`.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from platformdirs import user_data_path
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    folder = user_data_path("backcoach", appauthor=False)
    return f"sqlite:///{Path(folder) / 'backcoach.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKCOACH_", extra="ignore")

    # SQLite in the user's data folder by default; a postgresql+psycopg:// URL for a clinic.
    database_url: str = ""
    # Pretend it is this moment (for demos and simulated weeks of use); unset means real time.
    now: datetime | None = None

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()


@cache
def get_settings() -> Settings:
    return Settings()
