"""The desk's commands: ``thidua users …``, ``thidua tokens …``, ``thidua web`` and
``thidua signed-copy RECEIPT``. ``register(app, load_settings)`` adds them to the main command.

Passwords are read from standard input when it is not a terminal (one line: scripts and
provisioning pipe it in), otherwise asked for twice without echo. An API token is printed once,
when it is made; only its hash is kept.
"""

from __future__ import annotations

import getpass
import secrets
import sys
from collections.abc import Callable

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from thidua.config import Settings
from thidua.errors import ThiduaError

users_app = typer.Typer(no_args_is_help=True, help="Desk accounts (admin, clerk, reviewer, viewer).")
tokens_app = typer.Typer(no_args_is_help=True, help="API tokens for the office's own scripts.")

out = Console()
if not out.is_terminal:
    out = Console(width=150)

_load_settings: Callable[[], Settings] = Settings  # replaced by register()

ROLE_HELP = "admin | clerk | reviewer | viewer"


def register(app: typer.Typer, load_settings: Callable[[], Settings]) -> None:
    """Add the desk's commands to ``app``; ``load_settings`` reads the configuration the main
    command was given (``--config``)."""
    global _load_settings
    _load_settings = load_settings
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.command("web")(web)
    app.command("signed-copy")(signed_copy)


def _database(settings: Settings):
    from thidua.store.db import open_database

    database = open_database(settings.database.url)
    database.migrate()
    return database


def _read_office(read: Callable) -> tuple[Settings, object]:
    """The configuration, and what ``read(session, office_code)`` returns from the office's rows."""
    settings = _load_settings()
    database = _database(settings)
    try:
        with database.session() as session:
            return settings, read(session, settings.office.code)
    finally:
        database.dispose()


def _operator(settings: Settings):
    from thidua.desk.actor import Actor

    try:
        name = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (a container with an unnamed uid)
        name = "operator"
    return Actor.operator(settings.office.code, f"cli:{name}")


def _read_password(confirm: bool = True) -> str:
    from thidua.desk.passwords import MIN_LENGTH, WeakPassword, hash_password

    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt=confirm)
    try:
        return hash_password(password)
    except WeakPassword:
        raise ThiduaError(f"the password needs at least {MIN_LENGTH} characters") from None


def _account_change(what: Callable, audit_action: str, subject_kind: str, subject: str, after: dict) -> None:
    from thidua.store import audit
    from thidua.store.accounts import AccountError

    settings = _load_settings()
    database = _database(settings)
    try:
        with database.session() as session:
            what(session, settings.office.code)
            audit.record(
                session,
                settings.office.code,
                _operator(settings).name,
                audit_action,
                subject_kind,
                subject,
                after=after,
            )
    except AccountError as error:
        raise ThiduaError(str(error)) from None
    finally:
        database.dispose()


# -- users ------------------------------------------------------------------------------------------


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="User name for logging in."),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    display_name: str = typer.Option("", "--display-name", help="Full name shown on the desk."),
) -> None:
    """Add a desk account; the password is read from standard input when it is not a terminal."""
    from thidua.store import accounts

    password_hash = _read_password()
    _account_change(
        lambda s, office: accounts.add_user(s, office, name, role, password_hash, display_name),
        "user_add",
        "user",
        name,
        {"role": role, "display_name": display_name},
    )
    out.print(f"Đã tạo tài khoản {name} ({role}).", markup=False, highlight=False)


@users_app.command("passwd")
def users_passwd(name: str = typer.Argument(..., help="User name.")) -> None:
    """Set a new password (the account's open sessions end)."""
    from thidua.store import accounts

    password_hash = _read_password()
    _account_change(
        lambda s, office: accounts.set_password(s, office, name, password_hash),
        "user_password",
        "user",
        name,
        {"password": "changed"},
    )
    out.print(f"Đã đổi mật khẩu của {name}.", markup=False, highlight=False)


@users_app.command("disable")
def users_disable(
    name: str = typer.Argument(..., help="User name."),
    enable: bool = typer.Option(False, "--enable", help="Enable the account again instead."),
) -> None:
    """Disable an account: it cannot log in and its sessions end at once."""
    from thidua.store import accounts

    _account_change(
        lambda s, office: accounts.set_disabled(s, office, name, not enable),
        "user_enable" if enable else "user_disable",
        "user",
        name,
        {"disabled": not enable},
    )
    out.print(f"Đã {'mở lại' if enable else 'khóa'} tài khoản {name}.", markup=False, highlight=False)


@users_app.command("list")
def users_list() -> None:
    """The office's desk accounts."""
    from thidua.store import accounts

    _, users = _read_office(accounts.list_users)
    table = Table(title="Tài khoản")
    for column in ("Tên đăng nhập", "Họ tên", "Vai trò", "Trạng thái"):
        table.add_column(column)
    for user in users:
        table.add_row(
            Text(user.username), Text(user.display_name), user.role, "đã khóa" if user.disabled else ""
        )
    out.print(table)


# -- tokens -----------------------------------------------------------------------------------------


@tokens_app.command("add")
def tokens_add(
    name: str = typer.Argument(..., help="A name for the script or tool using it."),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
) -> None:
    """Make an API token; it is printed once (keep it: only its hash is stored)."""
    from thidua.store import accounts

    token = secrets.token_urlsafe(32)
    _account_change(
        lambda s, office: accounts.add_token(s, office, name, role, token),
        "token_add",
        "token",
        name,
        {"role": role},
    )
    # the token alone on stdout, so a script can capture it; the advice on stderr
    typer.echo(token)
    typer.echo("Mã này chỉ hiện một lần; dùng trong tiêu đề Authorization: Bearer <mã>.", err=True)


@tokens_app.command("revoke")
def tokens_revoke(name: str = typer.Argument(..., help="The token's name.")) -> None:
    """Revoke an API token: it stops working at once."""
    from thidua.store import accounts

    _account_change(
        lambda s, office: accounts.revoke_token(s, office, name),
        "token_revoke",
        "token",
        name,
        {"revoked": True},
    )
    out.print(f"Đã thu hồi mã truy cập {name}.", markup=False, highlight=False)


@tokens_app.command("list")
def tokens_list() -> None:
    """The office's API tokens (names and roles; the tokens themselves are not kept)."""
    from thidua.store import accounts

    settings, tokens = _read_office(accounts.list_tokens)
    table = Table(title="Mã truy cập API")
    for column in ("Tên", "Vai trò", "Tạo lúc", "Trạng thái"):
        table.add_column(column)
    tz = settings.office.tz
    for token in tokens:
        table.add_row(
            Text(token.name),
            token.role,
            token.created_at.astimezone(tz).strftime("%d/%m/%Y %H:%M"),
            "đã thu hồi" if token.revoked_at else "",
        )
    out.print(table)


# -- web and signed copies --------------------------------------------------------------------------


def web(listen: str = typer.Option("", "--listen", help="host:port (default [web] listen).")) -> None:
    """The staff desk and its API (behind the office's HTTPS reverse proxy)."""
    import uvicorn

    from thidua.config import Web
    from thidua.web.app import create_app, settle_heap

    settings = _load_settings()
    if listen:
        try:
            settings.web.listen = Web(listen=listen).listen
        except ValueError:
            raise ThiduaError(f"--listen {listen!r}: expected host:port such as 127.0.0.1:8080") from None
    app = create_app(settings)
    settle_heap()
    app.state.thidua.db.migrate()  # now: a wrong [database] url is one line, not a traceback
    out.print(f"Bàn làm việc: http://{settings.web.listen}/", markup=False, highlight=False)
    # proxy headers are trusted from the local reverse proxy only (uvicorn's default 127.0.0.1)
    uvicorn.run(
        app,
        host=settings.web.host,
        port=settings.web.port,
        proxy_headers=True,
        log_level="info",
        server_header=False,
    )


def signed_copy(receipt: str = typer.Argument(..., help="Receipt code, e.g. HS-2018-0003.")) -> None:
    """Record that the signed, stamped paper copy of a submission has arrived."""
    from thidua.desk import actions
    from thidua.desk.actor import NotFound

    settings = _load_settings()
    database = _database(settings)
    try:
        with database.session() as session:
            record = actions.record_signed_copy(session, settings, _operator(settings), receipt)
    except NotFound:
        raise ThiduaError(f"no submission {receipt!r}: check the receipt code (thidua submissions)") from None
    finally:
        database.dispose()
    out.print(
        f"Đã ghi nhận bản giấy có dấu của hồ sơ {record['receipt']} ({record['school']}).",
        markup=False,
        highlight=False,
    )
