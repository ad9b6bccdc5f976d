"""``thidua replies held`` / ``replies send ID`` / ``replies drop ID``: the replies the daily cap
held for staff (the desk does the same through :mod:`thidua.store.replies`).

``register(app, load_app, console)`` adds the ``replies`` group to the ``thidua`` Typer application.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from thidua.errors import ThiduaError
from thidua.wording import held_replies as say

if TYPE_CHECKING:  # the service's parts are imported by the commands that use them
    from thidua.intake.app import App
    from thidua.store.models import Reply


def _actor() -> str:
    """Who decided, as the reply row keeps it: the account that ran the command."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name for this uid (a container): still the command line
        return "cli"


def _decided(application: App, reply_id: int, decide: Callable[..., Reply]) -> Reply:
    from thidua.store.replies import NotHeld

    try:
        with application.db.session() as session:
            return decide(session, reply_id, _actor())
    except NotHeld as refusal:
        raise ThiduaError(say.not_held(reply_id, refusal.status)) from None


def register(app: typer.Typer, load_app: Callable[[], App], console: Console | None = None) -> None:
    out = console or Console(width=150)
    replies = typer.Typer(
        no_args_is_help=True, help="Replies held by the daily cap, for staff to send or drop."
    )
    app.add_typer(replies, name="replies")

    @replies.command("held")
    def held(as_json: bool = typer.Option(False, "--json", help="Print them as a JSON array.")) -> None:
        """List the replies held by the daily cap, oldest first."""
        application = load_app()
        from thidua.store.replies import held_replies

        tz = application.settings.office.tz
        with application.db.session() as session:
            rows = held_replies(session)
        if as_json:
            records = [
                {
                    "id": r.id,
                    "receipt": r.receipt or None,
                    "kind": r.kind,
                    "to": r.to_address,
                    "subject": r.subject,
                    "reason": r.reason,
                    "held_at": r.created_at.astimezone(tz).isoformat(timespec="seconds"),
                }
                for r in rows
            ]
            sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
            return
        if not rows:
            out.print(say.NONE_HELD)
            return
        table = Table(title="Thư trả lời đang giữ lại")
        for column in ("Số", "Mã hồ sơ", "Gửi tới", "Tiêu đề", "Giữ từ", "Lý do"):
            table.add_column(column)
        for r in rows:
            when = r.created_at.astimezone(tz).strftime("%d/%m/%Y %H:%M")
            # Text, not markup: subjects and addresses may hold "[...]"
            table.add_row(
                *(Text(v) for v in (str(r.id), r.receipt or "—", r.to_address, r.subject, when, r.reason))
            )
        out.print(table)

    @replies.command("send")
    def send(
        reply_id: int = typer.Argument(..., help="The reply's number, from `thidua replies held`."),
    ) -> None:
        """Send a held reply now."""
        application = load_app()
        from thidua.runners.daemon import drain_outbox
        from thidua.store.models import Reply
        from thidua.store.replies import release_held_reply

        released = _decided(application, reply_id, release_held_reply)
        drain_outbox(application)
        with application.db.session() as session:
            sent = session.get(Reply, reply_id).status == "sent"
        out.print(say.released(reply_id, released.to_address, sent), markup=False, highlight=False)

    @replies.command("drop")
    def drop(
        reply_id: int = typer.Argument(..., help="The reply's number, from `thidua replies held`."),
    ) -> None:
        """Discard a held reply (it stays on record as dropped)."""
        application = load_app()
        from thidua.store.replies import drop_held_reply

        dropped = _decided(application, reply_id, drop_held_reply)
        out.print(say.dropped(reply_id, dropped.to_address), markup=False, highlight=False)
