"""Every setting, read from `TESTAMENT_*` environment variables and an optional TOML file.

The file is named by `TESTAMENT_CONFIG_FILE`; environment variables win over it. The README's
settings table is checked against this class by a test.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TESTAMENT_", extra="ignore")

    data_dir: Path = Field(
        Path("testament-data"),
        description="Folder for the default SQLite database and stored attachments.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL, e.g. `postgresql+psycopg://user:pw@host/db`. "
        "Default: a SQLite file `testament.db` in the data folder.",
    )
    host: str = Field("127.0.0.1", description="Address `testament serve` listens on.")
    port: int = Field(8000, description="Port `testament serve` listens on.")
    workers: int = Field(1, ge=1, description="Worker processes for `testament serve`.")
    tls_cert: Path | None = Field(None, description="PEM certificate: serve HTTPS.")
    tls_key: Path | None = Field(None, description="PEM private key for `tls_cert`.")
    public_url: str | None = Field(
        None,
        description="The URL clients reach this server at, when behind a proxy "
        "(used in printed and returned links).",
    )
    allowed_hosts: str = Field(
        "",
        description="Comma-separated host names (`testament.example.com`, or `*` for any) whose "
        "`Host` header may build returned links when `public_url` is not set. Other requests "
        "get links to the address they reached.",
    )
    max_header_bytes: int = Field(
        65536,
        ge=1024,
        description="Largest request line and headers together, in bytes; larger ones are "
        "answered with 431 and the connection closed.",
    )
    header_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="How long a connection may take to send a request's line and headers "
        "(from when it opens, or from its first byte after a response) before it is closed.",
    )
    sqlite_busy_timeout_ms: int = Field(
        30000, ge=0, description="How long a SQLite writer waits for the lock before failing."
    )
    log_level: str = Field("info", description="Server log level: debug, info, warning, error.")
    bulk_max_items: int = Field(
        500,
        ge=1,
        description="Most entities one bulk request may create (`/case/{code}/bulk`...); "
        "more is answered with 413.",
    )
    result_bulk_max_items: int = Field(
        2000,
        ge=1,
        description="Most results one bulk request may carry (v1 `/result/{code}/{id}/bulk`); "
        "more is answered with 413.",
    )
    attachment_max_file_bytes: int = Field(
        32 * 1024 * 1024, ge=1, description="Largest single attachment file, in bytes (413 beyond)."
    )
    attachment_max_request_bytes: int = Field(
        128 * 1024 * 1024,
        ge=1,
        description="Largest attachment upload request, all files together, in bytes (413 beyond).",
    )
    attachment_max_files: int = Field(
        20, ge=1, description="Most files one attachment upload request may carry (413 beyond)."
    )

    attachment_quota_bytes: int | None = Field(
        None,
        ge=1,
        description="Most bytes all stored attachments may take together; an upload beyond it "
        "is answered with 507. Default: no quota (507 only when the disk is full).",
    )
    max_body_bytes: int = Field(
        16 * 1024 * 1024,
        ge=1024,
        description="Largest request body outside attachment uploads, in bytes; "
        "larger ones are answered with 413 before they are read.",
    )
    rate_limit_per_minute: int = Field(
        600,
        ge=0,
        description="API requests one token may make per minute (429 beyond); "
        "0 turns rate limiting off. A token may carry its own limit.",
    )
    rate_limit_window_seconds: int = Field(
        60,
        ge=1,
        description="The moving window rate limits are counted in, in seconds: the budget "
        "(`rate_limit_per_minute`, or a token's own) is spent within it. Keep 60 (what Qase "
        "clients expect); shorter windows are for tests.",
    )
    redis_url: str | None = Field(
        None,
        description="Redis URL (`redis://host:6379/0`) holding rate-limit counters, so that "
        "several app instances share one budget. Default: counted in each process.",
    )
    require_https: bool = Field(
        False,
        description="Refuse API calls that did not arrive over HTTPS (directly, or through a "
        "trusted proxy that says so in `X-Forwarded-Proto`).",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks (`10.0.0.0/8,::1`) of proxies whose "
        "`X-Forwarded-Proto` and `X-Forwarded-For` headers are believed.",
    )
    hsts_max_age: int = Field(
        31536000,
        ge=0,
        description="`Strict-Transport-Security` max-age sent on HTTPS responses, in seconds; "
        "0 sends none.",
    )
    maintenance: bool = Field(
        False,
        description="Start in maintenance mode: writes are answered with 503, reads go on. "
        "`testament maintenance on` and `off` switch it for every instance at run time.",
    )
    maintenance_refresh_seconds: float = Field(
        2.0,
        ge=0,
        description="How often each server process rereads the maintenance switch, in seconds: "
        "`testament maintenance on` and `off` reach every instance within this time.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("TESTAMENT_CONFIG_FILE")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'testament.db').resolve()}"

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)


def load_settings(**overrides: Any) -> Settings:
    return Settings(**overrides)
