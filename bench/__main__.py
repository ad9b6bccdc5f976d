"""`python -m bench [--only NAME] [--quick]`: thidua's benchmarks, printed as a table and written to bench/RESULTS.md."""

from __future__ import annotations

import argparse
import logging
import time
import traceback
from datetime import datetime
from pathlib import Path

PARTS = ("parsing", "burst", "latency", "memory", "scaleout", "desk")
NEEDS_DOVECOT = {"burst", "latency", "scaleout"}
COLUMNS = ("Measure", "Result", "Target", "Floor/Baseline", "Verdict")
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _run_part(name: str, quick: bool, dovecot, context: dict) -> list:
    import importlib

    module = importlib.import_module(f"bench.{name}")
    kwargs = {"quick": quick}
    if name in NEEDS_DOVECOT:
        kwargs["dovecot"] = dovecot
    if name == "scaleout":
        kwargs["single_rate"] = context.get("imap_rate")
    rows = module.run(**kwargs)
    if name == "burst":
        for row in rows:
            if row.measure.startswith("burst: IMAP") and row.result.endswith("mails/s"):
                context["imap_rate"] = float(row.result.split()[0])
    return rows


def _markdown(rows, machine: str, args, seconds: float) -> str:
    lines = [
        "# thidua benchmark results",
        "",
        f"Machine: {machine}",
        "",
        f"Run: {datetime.now().isoformat(timespec='seconds')}, `python -m bench"
        + (" --quick" if args.quick else "")
        + (f" --only {args.only}" if args.only else "")
        + f"`, {seconds:.0f} s",
        "",
        "| " + " | ".join(COLUMNS) + " | Notes |",
        "|" + "---|" * (len(COLUMNS) + 1),
    ]
    for row in rows:
        cells = (row.measure, row.result, row.target, row.baseline, row.verdict, row.note)
        lines.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=PARTS, help="run one part only")
    parser.add_argument("--quick", action="store_true", help="fewer mails and runs (about a minute)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.name}")
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    from bench.common import Row, machine, speed_reference

    logging.basicConfig(level=logging.CRITICAL)  # per-mail log lines would drown the table
    console = Console()
    speed_at_start = speed_reference()
    machine_line = machine()
    console.print(f"[bold]Machine:[/bold] {machine_line}")
    parts = [args.only] if args.only else list(PARTS)

    dovecot = None
    if NEEDS_DOVECOT & set(parts):
        from tests.support.live import DOVECOT, Dovecot

        if DOVECOT is not None:
            dovecot = Dovecot()
            dovecot.start()
    rows: list[Row] = []
    context: dict = {}
    started = time.perf_counter()
    try:
        for name in parts:
            console.print(f"running {name}…", style="dim")
            part_start = time.perf_counter()
            try:
                rows.extend(_run_part(name, args.quick, dovecot, context))
            except Exception as error:  # one broken part must not hide the others
                rows.append(Row(name, "error", "", "", "ERROR", f"{type(error).__name__}: {error}"[:400]))
                console.print(traceback.format_exc(), style="red", markup=False)
            console.print(f"  {name} took {time.perf_counter() - part_start:.0f} s", style="dim")
    finally:
        if dovecot is not None:
            dovecot.cleanup()
    seconds = time.perf_counter() - started
    machine_line += (
        f"; speed reference {speed_at_start:.0f} ms at the start, {speed_reference():.0f} ms at the end "
        "(a fixed Python workload; lower is faster)"
    )

    table = Table(title="thidua benchmarks" + (" (quick)" if args.quick else ""), show_lines=True)
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    styles = {"PASS": "green", "MISS": "bold red", "ERROR": "bold red", "SKIP": "yellow"}
    for row in rows:
        table.add_row(
            row.measure,
            row.result,
            row.target,
            row.baseline,
            f"[{styles.get(row.verdict, 'white')}]{row.verdict}[/]",
        )
    console.print(table)
    for row in rows:
        if row.note:
            console.print(f"[dim]• {row.measure}: {row.note}[/dim]", highlight=False)
    console.print(f"[bold]Machine:[/bold] {machine_line}; {seconds:.0f} s")
    if not args.no_write:
        RESULTS.write_text(_markdown(rows, machine_line, args, seconds), encoding="utf-8")
        console.print(
            f"written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}"
        )


if __name__ == "__main__":  # the reader worker process may import this module: run only as the main program
    main()
