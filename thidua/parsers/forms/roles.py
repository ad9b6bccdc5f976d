"""Which tables of a document list records one per row: registrations or nominees."""

from __future__ import annotations

from dataclasses import dataclass

from thidua.parsers.content import DocumentText, Table
from thidua.parsers.forms.definitions import (
    BODY_FIELDS,
    NOMINEE_COLUMNS,
    NOMINEE_SPECIFIC_COLUMNS,
    REGISTRATION_FORM,
)
from thidua.parsers.forms.labels import LabelMatcher
from thidua.parsers.forms.tables import Layout, find_layout

REGISTRATION_MATCHER = LabelMatcher(REGISTRATION_FORM)
NOMINEE_MATCHER = LabelMatcher(NOMINEE_COLUMNS)
# Fields only a registration has ("Họ và tên", "Nhiệm vụ được giao" head nomination lists too).
_REGISTRATION_ONLY = frozenset(BODY_FIELDS) - {"full_name", "assigned_task"}


@dataclass(frozen=True)
class TableRoles:
    """Tables (by block index) that list registrations or nominees one per row."""

    registrations: dict[int, Layout]
    nominees: dict[int, Layout]

    def __hash__(self) -> int:
        return id(self)

    @property
    def record_tables(self) -> frozenset[int]:
        return frozenset(self.registrations) | frozenset(self.nominees)


def is_registration_header(keys: set[str]) -> bool:
    return len(keys & set(BODY_FIELDS)) >= 3


def is_nominee_header(keys: set[str]) -> bool:
    return "name" in keys and bool(keys & set(NOMINEE_SPECIFIC_COLUMNS))


def table_roles(doc: DocumentText) -> TableRoles:
    """A table whose header names more registration-only fields than nominee-only
    ones is a registration table, and the other way round."""
    registrations: dict[int, Layout] = {}
    nominees: dict[int, Layout] = {}
    for index, block in enumerate(doc.blocks):
        if not isinstance(block, Table):
            continue
        as_nominees = find_layout(block.rows, NOMINEE_MATCHER, is_nominee_header)
        as_registrations = find_layout(block.rows, REGISTRATION_MATCHER, is_registration_header)
        if as_nominees and as_registrations:
            nominee_only = len(set(as_nominees.columns) & set(NOMINEE_SPECIFIC_COLUMNS))
            registration_only = len(set(as_registrations.columns) & _REGISTRATION_ONLY)
            if registration_only > nominee_only:
                as_nominees = None
            else:
                as_registrations = None
        if as_nominees:
            nominees[index] = as_nominees
        elif as_registrations:
            registrations[index] = as_registrations
    return TableRoles(registrations, nominees)
