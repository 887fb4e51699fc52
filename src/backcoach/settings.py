"""Settings, read once from the environment (BACKCOACH_*) when first asked for.

Nothing connects or reads files at import time: `get_settings()` builds the object lazily,
and tests can clear it with `get_settings.cache_clear()`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backcoach.core.errors import InvalidInput


def default_database_url() -> str:
    folder = user_data_path("backcoach", appauthor=False)
    return f"sqlite:///{Path(folder) / 'backcoach.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKCOACH_", extra="ignore")

    # SQLite in the user's data folder by default; a postgresql+psycopg:// URL for a clinic.
    database_url: str = ""
    # Pretend it is this moment (for demos and simulated weeks of use); unset means real time.
    now: datetime | None = None
    # The web app's form tokens (web/form_tokens.py): a secret kept across restarts (made anew at
    # each start when unset), and the cookie's Secure flag, for a clinic served over https.
    form_secret: str = ""
    secure_cookies: bool = False
    # Clinic mode: many people with accounts, on PostgreSQL, behind an https proxy (README,
    # "Running a clinic"). SQLite only with `clinic_demo`, which also allows plain http on this
    # computer's own address. `clinic_hosts`: the names the clinic is reached at (comma-separated).
    mode: Literal["local", "clinic"] = "local"
    clinic_demo: bool = False
    clinic_hosts: str = ""

    @property
    def clinic(self) -> bool:
        return self.mode == "clinic"

    @property
    def host_names(self) -> set[str]:
        return {name.strip().lower() for name in self.clinic_hosts.split(",") if name.strip()}

    @field_validator("now")
    @classmethod
    def _as_stored(cls, moment: datetime | None) -> datetime | None:
        """Stored times are naive UTC: a moment given with an offset is turned into one."""
        return moment.astimezone(UTC).replace(tzinfo=None) if moment and moment.tzinfo else moment

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()


@cache
def get_settings() -> Settings:
    """The settings, or InvalidInput naming the variable that cannot be read (one line, no trace)."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = "BACKCOACH_" + str(first["loc"][0]).upper() if first["loc"] else "BACKCOACH_*"
        raise InvalidInput(name, f"{first['msg']} (for example 2026-03-02T08:00:00)") from None
