"""The office's configuration: a TOML file, every key overridable by THIDUA_<SECTION>__<KEY>."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, SettingsError

from thidua.errors import ConfigError

DEFAULT_CONFIG = "thidua.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Office(_Section):
    name: str = "Phòng Giáo dục và Đào tạo"
    address: str = "thidua@localhost"
    staff: list[str] = []
    timezone: str = "Asia/Ho_Chi_Minh"
    digest_at: str = "07:00"
    reply_to_unknown_senders: bool = True
    max_replies_per_day: int = Field(default=10, ge=1)
    # which office's rows this installation reads and writes (several may share one database)
    code: str = Field(default="default", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    # the heading and signature of the papers sent up (the official list, the results report); when
    # empty they are worked out from ``name`` ("Phòng GD&ĐT huyện Phong Điền" → "UBND huyện Phong Điền")
    superior: str = ""
    place: str = ""
    signer_title: str = ""
    signer_name: str = ""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Ho_Chi_Minh)") from None
        return value

    @field_validator("digest_at")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        hours, _, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ValueError(f"must be a time such as 07:00, not {value!r}")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Mailbox(_Section):
    kind: Literal["imap", "maildir"] = "maildir"
    path: Path = Path("var/inbox")
    host: str = ""
    port: int = 993
    security: Literal["ssl", "starttls", "none"] = "ssl"
    username: str = ""
    password: SecretStr = SecretStr("")  # never shown in logs or reprs
    password_file: Path | None = None
    oauth2_token_command: str = ""
    folder: str = "INBOX"
    processed_folder: str = "Processed"
    review_folder: str = "Needs review"
    poll_seconds: int = Field(default=60, ge=5)
    timeout_seconds: int = Field(default=30, ge=1)  # socket timeout of every IMAP command
    # authserv-id of the office's own receiving server, whose Authentication-Results are trusted
    trusted_authserv_id: str = ""


class Outgoing(_Section):
    kind: Literal["smtp", "directory"] = "directory"
    path: Path = Path("var/outbox")
    host: str = ""
    port: int = 587
    security: Literal["ssl", "starttls", "none"] = "starttls"
    username: str = ""
    password: SecretStr = SecretStr("")  # never shown in logs or reprs
    password_file: Path | None = None
    timeout_seconds: int = Field(default=30, ge=1)
    # envelope sender (MAIL FROM) of auto-replies: "" is the null reverse-path <> of RFC 3834;
    # an address for relays that refuse <>. Digests always go from the From: address.
    auto_reply_envelope_from: str = ""


class Database(_Section):
    url: str = "sqlite:///var/thidua.db"


class Storage(_Section):
    path: Path = Path("var/files")


class CampaignFile(_Section):
    file: Path = Path("campaign.toml")


class Limits(_Section):
    max_message_mb: float = Field(default=60, gt=0)
    max_attachment_mb: float = Field(default=25, gt=0)
    failures_before_review: int = Field(default=3, ge=1)
    readers: int = Field(default=3, ge=1)  # mails read at once: reading mostly waits (worker processes, disk)


class Web(_Section):
    listen: str = "127.0.0.1:8080"
    public_url: str = ""  # for links in the digest, e.g. https://thidua.pgd.example.vn
    session_secret_file: Path | None = None
    cookie_secure: bool = True  # false only for plain-HTTP trials on one machine
    session_hours: int = Field(default=12, ge=1)
    login_attempts: int = Field(default=5, ge=1)  # failures per username or address ...
    login_window_minutes: int = Field(default=15, ge=1)  # ... within this window before a pause

    @field_validator("listen")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"must be host:port such as 127.0.0.1:8080, not {value!r}")
        return value

    @property
    def host(self) -> str:
        return self.listen.rpartition(":")[0].strip("[]")

    @property
    def port(self) -> int:
        return int(self.listen.rpartition(":")[2])


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="THIDUA_", env_nested_delimiter="__", extra="forbid", case_sensitive=False
    )

    office: Office = Office()
    mailbox: Mailbox = Mailbox()
    outgoing: Outgoing = Outgoing()
    database: Database = Database()
    storage: Storage = Storage()
    campaign: CampaignFile = CampaignFile()
    limits: Limits = Limits()
    web: Web = Web()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file is passed as init values; the environment must win over it.
        return (env_settings, init_settings)

    @property
    def max_attachment_bytes(self) -> int:
        return int(self.limits.max_attachment_mb * 1024 * 1024)

    @property
    def max_message_bytes(self) -> int:
        return int(self.limits.max_message_mb * 1024 * 1024)


def config_path(explicit: str | os.PathLike | None = None) -> Path:
    return Path(explicit or os.environ.get("THIDUA_CONFIG") or DEFAULT_CONFIG)


ENV_PREFIX = "THIDUA_"


def _env_names(section: str, key: str | None = None) -> list[str]:
    """The environment variables (any case) that set ``section`` or ``section.key``."""
    wanted = f"{ENV_PREFIX}{section}".upper() + (f"__{key}".upper() if key else "")
    return sorted(
        name
        for name in os.environ
        if name.upper() == wanted or (key is None and name.upper().startswith(wanted + "__"))
    )


def _describe(error: dict) -> str:
    location = [str(part) for part in error["loc"]]
    where = (
        f"[{location[0]}] {'.'.join(location[1:])}" if len(location) > 1 else location[0] if location else "?"
    )
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (check the spelling)"
    if len(location) > 1 and _env_names(location[0], location[1]):
        # the value came from the environment, where staff must look for it
        where += f" (from {_env_names(location[0], location[1])[0]})"
    return f"{where}: {message}"


def load_settings(path: str | os.PathLike | None = None, *, must_exist: bool = True) -> Settings:
    """Read the configuration; relative paths in it are relative to the file's folder."""
    file = config_path(path)
    data: dict = {}
    if file.exists():
        try:
            # utf-8-sig: Windows Notepad may save "UTF-8 with BOM"
            data = tomllib.loads(file.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML ({exc})") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"{file}: not UTF-8 text (byte {exc.start}); save it with the UTF-8 encoding"
            ) from None
        except OSError as exc:
            raise ConfigError(f"{file}: cannot be read ({exc.strerror})") from None
    elif must_exist:
        raise ConfigError(f"configuration file {file} not found: pass --config PATH or set THIDUA_CONFIG")
    try:
        settings = Settings(**data)
    except SettingsError as exc:
        # a THIDUA_... variable pydantic-settings could not decode (a list that is not JSON)
        section = str(exc).partition('field "')[2].partition('"')[0]
        names = ", ".join(_env_names(section)) or f"{ENV_PREFIX}{section.upper()}__..."
        raise ConfigError(
            f"environment variable {names} cannot be read: set one key per variable "
            f"(THIDUA_<SECTION>__<KEY>) and write a list as JSON, "
            f"e.g. THIDUA_OFFICE__STAFF='[\"chuyenvien@pgd.example.vn\"]'"
        ) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{file}: {_describe(first)}{more}") from None
    return _anchor_paths(settings, file.resolve().parent)


def _anchor_paths(settings: Settings, base: Path) -> Settings:
    def anchored(p: Path | None) -> Path | None:
        return p if p is None or p.is_absolute() else base / p

    settings.mailbox.path = anchored(settings.mailbox.path)
    settings.mailbox.password_file = anchored(settings.mailbox.password_file)
    settings.outgoing.path = anchored(settings.outgoing.path)
    settings.outgoing.password_file = anchored(settings.outgoing.password_file)
    settings.storage.path = anchored(settings.storage.path)
    settings.campaign.file = anchored(settings.campaign.file)
    settings.web.session_secret_file = anchored(settings.web.session_secret_file)
    url = settings.database.url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
        settings.database.url = "sqlite:///" + str(base / url.removeprefix("sqlite:///"))
    return settings


def read_secret(value: str | SecretStr, file: Path | None, what: str) -> str:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if value:
        return value
    if file is None:
        return ""
    try:
        return file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{what}: password_file {file} cannot be read ({exc.strerror})") from None
