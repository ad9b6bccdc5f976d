"""Dates as Vietnamese offices write them: 14/03/2018 09:12, in the office's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from thidua.notifier.views import DEFAULT_TIMEZONE


@lru_cache(maxsize=16)
def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def local(moment: datetime, tz: str | None = None) -> datetime:
    """``moment`` in the office's zone. A naive datetime is taken as UTC: that is how the
    store keeps times, and guessing local time would shift every deadline by 7 hours."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(tz))


def vn_date(moment: datetime | None, tz: str | None = None) -> str:
    """ "14/03/2018"; "" for None so templates can test the result."""
    if moment is None:
        return ""
    return local(moment, tz).strftime("%d/%m/%Y")


def vn_datetime(moment: datetime | None, tz: str | None = None) -> str:
    """ "14/03/2018 09:12"."""
    if moment is None:
        return ""
    return local(moment, tz).strftime("%d/%m/%Y %H:%M")


def days_left_vi(days_left: int) -> str:
    """How far a deadline is, as staff would say it."""
    if days_left > 0:
        return f"còn {days_left} ngày"
    if days_left == 0:
        return "hết hạn hôm nay"
    return f"đã quá hạn {-days_left} ngày"
