"""The ranks of one nomination list: 1..n in priority order, across the list or per section.

A list split into sections ("I. TẬP THỂ" / "II. CÁ NHÂN", or "Đề nghị Bằng khen" / "Đề nghị
Giấy khen"), or into sheets of a workbook ("Tập thể" / "Cá nhân"), is often ranked from 1 in
each part: one priority order per category or per award form. Such a part is a section
(``Nominee.section``, a sheet's name first), and one rule holds for both: ranks are right
when they run 1..n across the whole list, or 1..k in each section when the sections split
the list by category or by award form. Sections that split nothing (rows grouped by
department, "Khối 5") leave one order across the list.

A consolidated list from an office names each row's unit (``Nominee.unit``, a school): each
unit ranks its own nominees, so a unit is a group like a section, and always one that may
restart the ranks (within a unit, its sections may restart them again).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from thidua.parsers.forms.model import Nominee
from thidua.parsers.forms.sections import SECTION_SEPARATOR
from thidua.text import clean, fold, is_placeholder, strip_placeholder
from thidua.wording import findings as say

# (nominee, its row in the list) in list order
Entry = tuple[Nominee, int]


@dataclass(frozen=True)
class RankFaults:
    """What is wrong with the ranks: per section (or unit) when the list is ranked per section."""

    by_section: tuple[tuple[str, tuple[str, ...]], ...]  # (section, details); section "" for the whole list
    by_unit: bool = False  # the groups are units (a section's name follows its unit's)

    @property
    def count(self) -> int:
        return sum(len(details) for _, details in self.by_section)

    def details(self) -> list[str]:
        if len(self.by_section) == 1 and not self.by_section[0][0]:
            return list(self.by_section[0][1])
        if self.by_unit:
            return [
                say.rank_unit_faults(*_unit_and_section(group), details)
                for group, details in self.by_section
                if details
            ]
        return [say.rank_section_faults(section, details) for section, details in self.by_section if details]


def rank_faults(entries: Sequence[Entry], kind_of: Callable[[Nominee], str]) -> RankFaults:
    """The faults of the ordering that fits the list best: across the whole list, or per
    section when its sections (top level, or every level) split it by category or award.
    The fewest faults win, sections on a tie: they are how the school meant its list."""
    whole = RankFaults((("", tuple(_faults(entries))),))
    if not whole.count:
        return whole
    best = whole
    for level in (_top_section, _full_section):
        groups = _grouped(entries, level)
        if len(groups) > 1 and _splits(groups, kind_of):
            ranked = RankFaults(tuple((name, tuple(_faults(group))) for name, group in groups.items()))
            if ranked.count <= best.count:  # a tie goes to the sections that split the list
                best = ranked
            if len(_grouped(entries, _unit)) > 1:  # each unit's sections may restart the ranks too
                best = _fewer(
                    best, _by_unit(entries, lambda n, level=level: _UNIT_JOIN.join((n.unit, level(n))))
                )
    if len(_grouped(entries, _unit)) > 1:
        best = _fewer(best, _by_unit(entries, _unit))
    return best


# Between a unit and a section in a group's key; never in a unit's or a section's text.
_UNIT_JOIN = "\x1f"


def _unit(nominee: Nominee) -> str:
    return nominee.unit


def _by_unit(entries: Sequence[Entry], key: Callable[[Nominee], str]) -> RankFaults:
    groups = _grouped(entries, key)
    return RankFaults(tuple((name, tuple(_faults(group))) for name, group in groups.items()), by_unit=True)


def _fewer(best: RankFaults, other: RankFaults) -> RankFaults:
    """Units are how an office put the list together: they win a tie."""
    return other if other.count <= best.count else best


def _unit_and_section(group: str) -> tuple[str, str]:
    unit, _, section = group.partition(_UNIT_JOIN)
    return unit, section


def _top_section(nominee: Nominee) -> str:
    return nominee.section.split(SECTION_SEPARATOR, 1)[0]


def _full_section(nominee: Nominee) -> str:
    return nominee.section


def _grouped(entries: Sequence[Entry], key: Callable[[Nominee], str]) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(key(entry[0]), []).append(entry)
    return groups


def _splits(groups: dict[str, list[Entry]], kind_of: Callable[[Nominee], str]) -> bool:
    """Sections split a list when no category, or no award form, is in two of them."""
    kinds = [{kind_of(n) for n, _ in group} for group in groups.values()]
    awards = [{fold(n.award) for n, _ in group} for group in groups.values()]
    return _disjoint(kinds) or (all("" not in a for a in awards) and _disjoint(awards))


def _disjoint(sets: list[set[str]]) -> bool:
    seen: set[str] = set()
    for values in sets:
        if seen & values:
            return False
        seen |= values
    return True


def _blank(value: str | None) -> bool:
    return is_placeholder(value) or not strip_placeholder(value or "")


def _faults(entries: Sequence[Entry]) -> list[str]:
    """Ranks must be exactly 1..n, each once; every fault, in the words of a clerk."""
    count = len(entries)
    details: list[str] = []
    empty_rows: list[int] = []
    rows_by_rank: dict[int, list[int]] = defaultdict(list)
    for nominee, row in entries:
        if nominee.rank is None:
            if _blank(nominee.rank_text):
                empty_rows.append(row)
            else:
                details.append(say.rank_not_number(row, clean(nominee.rank_text)))
        else:
            rows_by_rank[nominee.rank].append(row)
    if empty_rows:
        details.insert(0, say.rank_rows_empty(empty_rows))
    for rank, rows in sorted(rows_by_rank.items()):
        if len(rows) > 1:
            details.append(say.rank_duplicated(rank, rows))
    outside = sorted(r for r in rows_by_rank if not 1 <= r <= count)
    if outside:
        details.append(say.rank_outside(outside, count))
    # A row without a number already explains the hole it leaves; name gaps only when
    # every row has a number ("1, 2, 4" → "thiếu số 3").
    gaps = [r for r in range(1, count + 1) if r not in rows_by_rank]
    if gaps and rows_by_rank and not any(n.rank is None for n, _ in entries):
        details.append(say.rank_missing(gaps))
    return details
