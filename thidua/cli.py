"""The `thidua` command. Every failure staff can fix is one line on stderr and a non-zero exit."""

from __future__ import annotations

import importlib
import json
import logging
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from thidua import cli_replies
from thidua.clock import utcnow
from thidua.config import load_settings
from thidua.errors import ThiduaError

if TYPE_CHECKING:  # the service's parts are imported only by the commands that use them, so a
    from thidua.intake.app import App  # configuration mistake (or --help) answers at once

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Mailroom for emulation-movement nominations."
)
schools_app = typer.Typer(no_args_is_help=True, help="The registry of schools and their addresses.")
app.add_typer(schools_app, name="schools")

out = Console()
if not out.is_terminal:  # piped or captured: don't squeeze the tables to 80 columns
    out = Console(width=150)
err = Console(stderr=True)


class State:
    config: Path | None = None
    verbose: bool = False


def _app(*, campaign: bool = False) -> App:
    settings = load_settings(State.config)
    from thidua.intake.app import App

    application = App(settings)
    if campaign:
        _ = application.campaign  # a mistake in the campaign file is reported before any work is done
    return application


def _setup_logging(level: int) -> None:
    logging.basicConfig(
        level=level,
        format="%(message)s",
        datefmt="[%X]",
        handlers=[RichHandler(console=err, show_path=False, rich_tracebacks=False)],
        force=True,
    )


@app.callback()
def main_options(
    config: Path | None = typer.Option(
        None, "--config", "-c", help="Configuration file (default thidua.toml, or THIDUA_CONFIG)."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="More detail in the log."),
) -> None:
    State.config = config
    State.verbose = verbose
    _setup_logging(logging.DEBUG if verbose else logging.WARNING)


def _reply_note(outcome) -> str:
    if outcome.reply == "queued":
        return "có"
    if outcome.reply.startswith("suppressed: "):
        return "không (" + outcome.reply.removeprefix("suppressed: ") + ")"
    if outcome.reply.startswith("held: "):
        return "giữ lại chờ cán bộ (" + outcome.reply.removeprefix("held: ") + ")"
    return outcome.error or ("đã trả lời trước đó" if outcome.status == "duplicate" else "")


def _outcome_table(outcomes) -> Table:
    table = Table(title="Hồ sơ đã xử lý")
    for column in ("Mã hồ sơ", "Lần", "Tình trạng", "Trường", "Người gửi", "Trả lời"):
        table.add_column(column)
    for o in outcomes:
        # Text, not markup: schools' names and subjects may hold "[...]"
        table.add_row(
            *(
                Text(v)
                for v in (
                    o.receipt or "—",
                    str(o.version or ""),
                    o.status,
                    o.school,
                    o.sender,
                    _reply_note(o),
                )
            )
        )
    return table


def _one_pass(application: App, source, total: int | None = None) -> tuple[list, int]:
    from thidua.runners.daemon import one_pass

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("Đang xử lý thư", total=total)
        try:
            return one_pass(application, source, on_outcome=lambda _: progress.advance(task))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()


@app.command()
def run(
    once: bool = typer.Option(False, "--once", help="One pass over the inbox and the outbox, then exit."),
) -> None:
    """The daemon: take new mail, file it, reply; with --once, a single pass."""
    application = _app(campaign=True)
    if not once:
        _setup_logging(logging.DEBUG if State.verbose else logging.INFO)
        from thidua.runners.daemon import run_forever

        run_forever(application)
        return
    outcomes, sent = _one_pass(application, application.source())
    if outcomes:
        out.print(_outcome_table(outcomes))
    out.print(f"{len(outcomes)} thư đã xử lý, {sent} phản hồi đã gửi.")


@app.command()
def process(
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="Mail files (.eml)."
    ),
) -> None:
    """Process mail files directly, as if they had arrived now."""
    application = _app(campaign=True)
    from thidua.intake.sources import FileSource

    outcomes, sent = _one_pass(application, FileSource(files, utcnow()), total=len(files))
    out.print(_outcome_table(outcomes))
    out.print(f"{len(outcomes)} thư đã xử lý, {sent} phản hồi đã gửi.")


@schools_app.command("import")
def schools_import(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="CSV or XLSX: school name, e-mail addresses."
    ),
) -> None:
    """Load the school registry."""
    application = _app()
    from thidua.parsers.schools import RegistryError, read_registry
    from thidua.store.schools import import_schools

    try:
        entries = read_registry(file.read_bytes())
    except RegistryError as exc:
        raise ThiduaError(f"{file}: {exc}") from None
    with application.db.session() as session:
        result = import_schools(session, [(e.name, e.addresses) for e in entries])
    out.print(
        f"{len(entries)} trường trong tệp: {result.added} thêm mới, {result.updated} cập nhật, {result.addresses} địa chỉ thư."
    )


@app.command()
def submissions(as_json: bool = typer.Option(False, "--json", help="Print SPEC's JSON array.")) -> None:
    """List submissions, newest first."""
    application = _app()
    from thidua.store.submission_records import submissions_json
    from thidua.wording.vocabulary import status_vi

    with application.db.session() as session:
        records = submissions_json(
            session, office=application.settings.office.code, tz=application.settings.office.tz
        )
    if as_json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="Hồ sơ")
    for column in ("Mã hồ sơ", "Lần", "Tình trạng", "Trường", "Nhận lúc", "Đợt", "Vấn đề"):
        table.add_column(column)
    for r in records:
        table.add_row(
            *(
                Text(v)
                for v in (
                    r["receipt"],
                    str(r["version"]),
                    status_vi(r["status"]),
                    r["school"],
                    r["received_at"][:16],
                    r["round"] or "",
                    ", ".join(p["code"] for p in r["problems"]),
                )
            )
        )
    out.print(table)


@app.command()
def export(
    round_id: str = typer.Option(..., "--round", help="Round id from the campaign file."),
    out_file: Path = typer.Option(
        ..., "--out", help="The .xlsx file to write (.xlsx or .docx with --selected)."
    ),
    selected: bool = typer.Option(False, "--selected", help="The official list: only the selected nominees."),
) -> None:
    """The consolidated nomination list for the level above (or, with --selected, the official list)."""
    application = _app(campaign=True) if selected else _app()
    if selected:
        from thidua.cli_reports import export_selected

        count = export_selected(application, round_id, out_file)
        out.print(
            f"{count} tập thể/cá nhân được chọn → {out_file}", markup=False, highlight=False, soft_wrap=True
        )
        return
    from thidua.reports.consolidated import write_export
    from thidua.store.export import nominees_for_round

    round_ = application.campaign.round_by_id(round_id)
    if round_ is None:
        known = ", ".join(r.id for r in application.campaign.rounds) or "none"
        raise ThiduaError(f"no round '{round_id}' in {application.settings.campaign.file} (known: {known})")
    with application.db.session() as session:
        rows = nominees_for_round(session, round_id)
    try:
        count = write_export(
            rows,
            out_file,
            office_name=application.settings.office.name,
            round_=round_,
            round_id=round_id,
            generated_at=utcnow().astimezone(application.settings.office.tz),
        )
    except OSError as exc:
        raise ThiduaError(f"cannot write {out_file}: {exc.strerror}") from None
    out.print(f"{count} tập thể/cá nhân → {out_file}", markup=False, highlight=False, soft_wrap=True)


@app.command()
def digest(
    send: bool = typer.Option(False, "--send", help="Send it to the office's staff instead of printing."),
) -> None:
    """Print (or send) the staff digest."""
    application = _app(campaign=True)
    from thidua.notifier.digest import digest_text
    from thidua.runners.digest import build_digest, send_digest

    if send:
        count = send_digest(application, utcnow())
        out.print(f"Đã gửi bản tổng hợp tới {count} người nhận.")
        return
    # soft_wrap: the text's own lines, never re-wrapped to the console's width
    out.print(digest_text(build_digest(application, utcnow())), markup=False, highlight=False, soft_wrap=True)


cli_replies.register(app, _app, out)


def _click_errors() -> tuple[type[BaseException], ...]:
    """Click's exception base: ``click`` itself for older Typer, Typer's bundled copy for newer."""
    found = []
    for module in ("click.exceptions", "typer._click.exceptions"):
        try:
            found.append(importlib.import_module(module).ClickException)
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def _fail(message: str, code: int) -> None:
    """One line on stderr, whatever the message holds, then exit with ``code``."""
    line = re.sub(r"\s*\n\s*", " ", str(message)).strip()
    sys.stderr.write(f"thidua: {line}\n")
    sys.stderr.flush()
    sys.exit(code)


def _register_commands() -> None:
    from thidua import cli_desk, cli_reports

    cli_desk.register(app, lambda: load_settings(State.config))
    cli_reports.register(app, lambda: _app(campaign=True))


_register_commands()


def main() -> None:
    try:
        app(standalone_mode=False)
    except ThiduaError as exc:
        _fail(str(exc), 2)
    except typer.Abort:
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and the unexpected: still one line
        if isinstance(exc, _click_errors()):
            if type(exc).__name__ == "NoArgsIsHelpError":  # `thidua` alone: the help, as asked
                exc.show()
                sys.exit(exc.exit_code)
            message = exc.format_message()
            ctx = getattr(exc, "ctx", None)
            if ctx is not None:
                message = f"{message.rstrip('.')}; see '{ctx.command_path} --help'"
            _fail(message, exc.exit_code)
        logging.getLogger("thidua").debug("unexpected error", exc_info=True)
        _fail(f"unexpected error: {type(exc).__name__}: {exc} (run with --verbose for details)", 1)


if __name__ == "__main__":
    main()
