"""The office's calendar: a campaign file (TOML) listing rounds and their deadlines."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from thidua.errors import ConfigError
from thidua.kinds import KINDS
from thidua.text import fold, nfc

# "Quý I năm 2018" is also written "quý I", "Q1 2018"... the year part is often left out.
_YEAR_TAIL = re.compile(r"\s+(?:nam hoc\s+)?(?:nam\s+)?\d{4}(?:\s+\d{4})?$")


@dataclass(frozen=True)
class Round:
    id: str
    label: str
    opens: datetime
    deadline: datetime
    documents: tuple[str, ...] = ("nomination_list",)
    max_nominees: int | None = None
    remind_days_before: tuple[int, ...] = ()
    signed_copy: bool = False  # the signed, stamped copy is expected too (seed 03: "bản in có dấu")

    def is_late(self, arrived: datetime) -> bool:
        return arrived > self.deadline


@dataclass(frozen=True)
class Award:
    """An award form the office may propose (Giấy khen, Bằng khen…), for review and selection."""

    id: str
    label: str
    max: int | None = None  # nominees selected for it per round across the whole office; None: no cap


@dataclass(frozen=True)
class Campaign:
    name: str
    school_year: str
    rounds: tuple[Round, ...]
    awards: tuple[Award, ...] = ()

    def round_by_id(self, round_id: str) -> Round | None:
        return next((r for r in self.rounds if r.id == round_id), None)

    def award_by_id(self, award_id: str) -> Award | None:
        return next((a for a in self.awards if a.id == award_id), None)

    def round_for(self, arrived: datetime, kinds: set[str] | None = None, named_in: str = "") -> Round | None:
        """The round a mail arriving at ``arrived`` belongs to.

        A round the school names (in the subject or a document title: "quý I") wins, so a
        late list still belongs to the round it missed; otherwise the round open at arrival
        that asks for one of the kinds sent; before any round opens, the first round."""
        candidates = [r for r in self.rounds if not kinds or kinds & set(r.documents)] or list(self.rounds)
        if not candidates:
            return None
        named = [r for r in candidates if r.opens <= arrived and _names_round(named_in, r)]
        if len(named) == 1:
            return named[0]
        opened = [r for r in candidates if r.opens <= arrived]
        if not opened:
            return min(candidates, key=lambda r: r.opens)
        # Among rounds already open, the one whose deadline is still ahead wins over a past one.
        upcoming = [r for r in opened if arrived <= r.deadline]
        if upcoming:
            return min(upcoming, key=lambda r: r.deadline)
        return max(opened, key=lambda r: r.deadline)


def _names_round(text: str, round_: Round) -> bool:
    """Does ``text`` name the round, by its id or its label (with or without the year)?"""
    if not text:
        return False
    folded = f" {fold(text)} "
    label = fold(round_.label)
    phrases = {label, _YEAR_TAIL.sub("", label), fold(round_.id)}
    return any(len(p) >= 4 and f" {p} " in folded for p in phrases)


def _aware(value: object, key: str, where: str) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ConfigError(f"{where}: '{key}' needs a time zone, e.g. 2018-03-15T23:59:59+07:00")
        return value
    raise ConfigError(f"{where}: '{key}' must be a date-time such as 2018-03-15T23:59:59+07:00")


def parse_campaign(data: dict, where: str = "campaign") -> Campaign:
    rounds = []
    seen = set()
    for i, raw in enumerate(data.get("rounds", []), start=1):
        at = f"{where}: round {i}"
        if "id" not in raw or "deadline" not in raw:
            raise ConfigError(f"{at} needs at least 'id' and 'deadline'")
        rid = str(raw["id"])
        if rid in seen:
            raise ConfigError(f"{at}: round id '{rid}' is used twice")
        seen.add(rid)
        deadline = _aware(raw["deadline"], "deadline", at)
        opens = _aware(raw.get("opens", datetime.min.replace(tzinfo=deadline.tzinfo)), "opens", at)
        documents = tuple(raw.get("documents", ["nomination_list"]))
        bad = [d for d in documents if d not in KINDS]
        if bad:
            raise ConfigError(f"{at}: unknown document kind {bad[0]!r}; use one of {', '.join(KINDS[:3])}")
        max_nominees = raw.get("max_nominees")
        if max_nominees is not None and (not isinstance(max_nominees, int) or max_nominees < 1):
            raise ConfigError(f"{at}: 'max_nominees' must be a positive whole number")
        signed_copy = raw.get("signed_copy", False)
        if not isinstance(signed_copy, bool):
            raise ConfigError(f"{at}: 'signed_copy' must be true or false")
        rounds.append(
            Round(
                id=rid,
                label=str(raw.get("label", rid)),
                opens=opens,
                deadline=deadline,
                documents=documents,
                max_nominees=max_nominees,
                remind_days_before=tuple(raw.get("remind_days_before", data.get("remind_days_before", ()))),
                signed_copy=signed_copy,
            )
        )
    return Campaign(
        name=str(data.get("name", "")),
        school_year=str(data.get("school_year", "")),
        rounds=tuple(rounds),
        awards=_parse_awards(data.get("awards", []), where),
    )


def _parse_awards(entries: object, where: str) -> tuple[Award, ...]:
    if not isinstance(entries, list):
        raise ConfigError(f"{where}: 'awards' must be a list of [[awards]] tables")
    awards: list[Award] = []
    for i, raw in enumerate(entries, start=1):
        at = f"{where}: award {i}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{at} must be an [[awards]] table with 'id' and 'label'")
        award_id, label = raw.get("id"), raw.get("label")
        if not isinstance(award_id, str) or not award_id.strip():
            raise ConfigError(f"{at} needs an 'id' such as \"gk-chu-tich\"")
        if award_id.strip() in {a.id for a in awards}:
            raise ConfigError(f"{at}: award id '{award_id.strip()}' is used twice")
        if not isinstance(label, str) or not label.strip():
            raise ConfigError(f"{at} needs a 'label' such as \"Giấy khen của Chủ tịch UBND\"")
        cap = raw.get("max")
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
            raise ConfigError(f"{at}: 'max' must be a positive whole number (or left out for no cap)")
        unknown = sorted(set(raw) - {"id", "label", "max"})
        if unknown:
            raise ConfigError(f"{at}: unknown key '{unknown[0]}'; an award has 'id', 'label' and 'max'")
        awards.append(Award(id=award_id.strip(), label=nfc(label.strip()), max=cap))
    return tuple(awards)


def load_campaign(path: Path) -> Campaign:
    try:
        # utf-8-sig: Windows Notepad may save "UTF-8 with BOM"
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(
            f"campaign file {path} not found: set [campaign] file in the configuration"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"campaign file {path} is not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"campaign file {path} is not UTF-8 text (byte {exc.start}); save it with the UTF-8 encoding"
        ) from None
    except OSError as exc:
        raise ConfigError(f"campaign file {path} cannot be read ({exc.strerror})") from None
    return parse_campaign(data, where=str(path))
