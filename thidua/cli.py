"""The `thidua` command. Every failure staff can fix is one line on stderr and a non-zero exit."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from thidua.app import App, utcnow
from thidua.config import load_settings
from thidua.errors import ThiduaError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Mailroom for emulation-movement nominations.")
schools_app = typer.Typer(no_args_is_help=True, help="The registry of schools and their addresses.")
app.add_typer(schools_app, name="schools")

out = Console()
if not out.is_terminal:  # piped or captured: don't squeeze the tables to 80 columns
    out = Console(width=150)
err = Console(stderr=True)


class State:
    config: Optional[Path] = None
    verbose: bool = False


def _app() -> App:
    return App(load_settings(State.config))


def _setup_logging(level: int) -> None:
    logging.basicConfig(level=level, format="%(message)s", datefmt="[%X]",
                        handlers=[RichHandler(console=err, show_path=False, rich_tracebacks=False)], force=True)


@app.callback()
def main_options(
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Configuration file (default thidua.toml, or THIDUA_CONFIG)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="More detail in the log."),
) -> None:
    State.config = config
    State.verbose = verbose
    _setup_logging(logging.DEBUG if verbose else logging.WARNING)


def _outcome_table(outcomes) -> Table:
    table = Table(title="Hồ sơ đã xử lý")
    for column in ("Mã hồ sơ", "Lần", "Tình trạng", "Trường", "Người gửi", "Phản hồi"):
        table.add_column(column)
    for o in outcomes:
        table.add_row(o.receipt or "—", str(o.version or ""), o.status, o.school, o.sender, o.reply or o.error)
    return table


def _process_all(application: App, mails: list, source) -> list:
    outcomes = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("Đang xử lý thư", total=len(mails))
        for mail in mails:
            outcomes.append(application.mailroom.process(mail, source))
            progress.advance(task)
    return outcomes


def _drain(application: App) -> int:
    from thidua.intake.outbox import drain

    return drain(application.db, application.blobs, application.reply_sender(), utcnow())


@app.command()
def run(once: bool = typer.Option(False, "--once", help="One pass over the inbox and the outbox, then exit.")) -> None:
    """The daemon: take new mail, file it, reply; with --once, a single pass."""
    application = _app()
    if not once:
        _setup_logging(logging.DEBUG if State.verbose else logging.INFO)
        from thidua.intake.daemon import run_forever

        run_forever(application)
        return
    source = application.source()
    outcomes = _process_all(application, list(source.pending()), source)
    sent = _drain(application)
    if outcomes:
        out.print(_outcome_table(outcomes))
    out.print(f"{len(outcomes)} thư đã xử lý, {sent} phản hồi đã gửi.")


@app.command()
def process(files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="Mail files (.eml).")) -> None:
    """Process mail files directly, as if they had arrived now."""
    from thidua.intake.sources import FileSource

    application = _app()
    source = FileSource(files, utcnow())
    outcomes = _process_all(application, list(source.pending()), source)
    sent = _drain(application)
    out.print(_outcome_table(outcomes))
    out.print(f"{len(outcomes)} thư đã xử lý, {sent} phản hồi đã gửi.")


@schools_app.command("import")
def schools_import(file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CSV or XLSX: school name, e-mail addresses.")) -> None:
    """Load the school registry."""
    from thidua.parsers.schools import RegistryError, read_registry
    from thidua.store import repository as repo

    try:
        entries = read_registry(file.read_bytes())
    except RegistryError as exc:
        raise ThiduaError(f"{file}: {exc}") from None
    application = _app()
    with application.db.session() as session:
        result = repo.import_schools(session, [(e.name, e.addresses) for e in entries])
    out.print(f"{len(entries)} trường trong tệp: {result.added} thêm mới, {result.updated} cập nhật, {result.addresses} địa chỉ thư.")


@app.command()
def submissions(as_json: bool = typer.Option(False, "--json", help="Print SPEC's JSON array.")) -> None:
    """List submissions, newest first."""
    from thidua.notifier.vocabulary import status_vi
    from thidua.store import repository as repo

    application = _app()
    with application.db.session() as session:
        records = repo.submissions_json(session, tz=application.settings.office.tz)
    if as_json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="Hồ sơ")
    for column in ("Mã hồ sơ", "Lần", "Tình trạng", "Trường", "Nhận lúc", "Đợt", "Vấn đề"):
        table.add_column(column)
    for r in records:
        table.add_row(r["receipt"], str(r["version"]), status_vi(r["status"]), r["school"], r["received_at"][:16],
                      r["round"] or "", ", ".join(p["code"] for p in r["problems"]))
    out.print(table)


@app.command()
def export(
    round_id: str = typer.Option(..., "--round", help="Round id from the campaign file."),
    out_file: Path = typer.Option(..., "--out", help="The .xlsx file to write."),
) -> None:
    """The consolidated nomination list for the level above."""
    from thidua.export import write_export
    from thidua.store import repository as repo

    application = _app()
    round_ = application.campaign.round_by_id(round_id)
    if round_ is None:
        known = ", ".join(r.id for r in application.campaign.rounds) or "none"
        raise ThiduaError(f"no round '{round_id}' in {application.settings.campaign.file} (known: {known})")
    with application.db.session() as session:
        rows = repo.nominees_for_round(session, round_id)
    try:
        count = write_export(rows, out_file, office_name=application.settings.office.name, round_=round_,
                             round_id=round_id, generated_at=utcnow().astimezone(application.settings.office.tz))
    except OSError as exc:
        raise ThiduaError(f"cannot write {out_file}: {exc.strerror}") from None
    out.print(f"{count} tập thể/cá nhân → {out_file}")


@app.command()
def digest(send: bool = typer.Option(False, "--send", help="Send it to the office's staff instead of printing.")) -> None:
    """Print (or send) the staff digest."""
    from thidua.intake.digest import build_digest, send_digest
    from thidua.notifier.digest import digest_text

    application = _app()
    if send:
        count = send_digest(application, utcnow())
        out.print(f"Đã gửi bản tổng hợp tới {count} người nhận.")
        return
    out.print(digest_text(build_digest(application, utcnow())), markup=False, highlight=False)


def main() -> None:
    try:
        app(standalone_mode=False)
    except ThiduaError as exc:
        err.print(f"thidua: {exc}", markup=False, highlight=False)
        sys.exit(2)
    except typer.Abort:
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and the unexpected: still one line
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        logging.getLogger("thidua").debug("unexpected error", exc_info=True)
        err.print(f"thidua: unexpected error: {type(exc).__name__}: {exc} (run with --verbose for details)",
                  markup=False, highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
