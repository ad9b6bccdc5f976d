"""The schools and their registered addresses: importing the list, finding a sender's school."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from thidua.errors import ThiduaError
from thidua.store.models import School, SchoolAddress
from thidua.store.values import MAX_ADDRESS, MAX_SCHOOL_NAME, P, nfc, normalise_address


@dataclass(frozen=True)
class ImportResult:
    added: int  # schools that were not in the registry
    updated: int  # schools already there whose addresses changed
    addresses: int  # distinct addresses in the input


def import_schools(session: Session, schools: Iterable[tuple[str, Sequence[str]]]) -> ImportResult:
    """Upsert schools by name; each listed school's addresses become exactly the ones given.

    Addresses are lower-cased; an address registered to another school moves to this one (the
    last school listing it wins). Schools not in ``schools`` are left as they are.
    """
    wanted: dict[str, set[str]] = {}
    owner: dict[str, str] = {}
    for raw_name, raw_addresses in schools:
        name = " ".join(nfc(raw_name).split())
        if not name:
            raise ThiduaError("a school in the registry has no name")
        if len(name) > MAX_SCHOOL_NAME:
            raise ThiduaError(f"school name too long ({len(name)} characters): {name[:60]}…")
        addresses = wanted.setdefault(name, set())
        for raw in raw_addresses:
            address = normalise_address(raw)
            if not address:
                continue
            if len(address) > MAX_ADDRESS or "@" not in address:
                raise ThiduaError(f"{name}: {address[:80]!r} is not an e-mail address")
            previous = owner.get(address)
            if previous is not None and previous != name:
                wanted[previous].discard(address)
            owner[address] = name
            addresses.add(address)

    existing = {s.name: s for s in session.exec(select(School).options(selectinload(School.addresses))).all()}
    rows_by_address = (
        {
            a.address: a
            for a in session.exec(
                select(SchoolAddress).where(col(SchoolAddress.address).in_(list(owner)))
            ).all()
        }
        if owner
        else {}
    )

    added = 0
    changed: set[str] = set()
    targets: dict[str, School] = {}
    for name in wanted:
        school = existing.get(name)
        if school is None:
            school = School(name=name)
            session.add(school)
            added += 1
        targets[name] = school
    session.flush()

    # 1. addresses a listed school no longer has (dropped, or moving to another listed school) go;
    for name, addresses in wanted.items():
        school = targets[name]
        for row in list(school.addresses):
            if row.address not in addresses:
                school.addresses.remove(row)
                rows_by_address.pop(row.address, None)
                changed.add(name)
    session.flush()  # deletes before inserts: the address column is unique
    # 2. every listed address is placed (new, or moved from a school not in the input).
    for address, name in owner.items():
        school = targets[name]
        row = rows_by_address.get(address)
        if row is None:
            session.add(SchoolAddress(school_id=school.id, address=address))
            changed.add(name)
        elif row.school_id != school.id:
            row.school_id = school.id
            changed.add(name)
    session.flush()
    for school in [*existing.values(), *(t for n, t in targets.items() if n not in existing)]:
        session.expire(school, ["addresses"])  # reload on next access: rows moved between schools
    updated = sum(1 for name in changed if name in existing)
    return ImportResult(added=added, updated=updated, addresses=len(owner))


@dataclass(frozen=True)
class SchoolRef:
    id: int
    name: str


def school_for_address(session: Session, address: str) -> SchoolRef | None:
    """The registered school that owns ``address`` (case-insensitive), or None."""
    key = normalise_address(address or "")
    if not key:
        return None
    row = session.execute(_SCHOOL_FOR_ADDRESS, {"address": key}).first()
    return SchoolRef(*row) if row is not None else None


_SCHOOL_FOR_ADDRESS = (
    sa.select(School.__table__.c.id, School.__table__.c.name)
    .join(SchoolAddress.__table__, SchoolAddress.__table__.c.school_id == School.__table__.c.id)
    .where(SchoolAddress.__table__.c.address == P("address"))
)


def list_schools(session: Session) -> list[School]:
    """Every registered school with its ``addresses`` loaded, by name."""
    return list(
        session.exec(select(School).options(selectinload(School.addresses)).order_by(School.name)).all()
    )
