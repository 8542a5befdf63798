"""A manager's three charts (R7): letters registered per week, the median time from arrival to registration
per week, and overdue work by unit.

Counts come from SQL, grouped by week with a portable CASE (MariaDB and SQLite alike); the median is taken in
Python from the twelve weeks' registered deliveries (at most MEDIAN_ROWS of them, newest first). The template
draws the charts as SVG from the geometry built here: no script, no style attribute (the Content-Security-
Policy forbids both), a table of the same figures beside each chart.
"""
import statistics
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil, floor, log10

from sqlalchemy import case, func, select

from app.core.messages import lazy_gettext as _l
from app.core.thai_dates import (ENGLISH_MONTHS_SHORT, THAI_MONTHS_SHORT, buddhist_year, format_date,
                                 format_duration, local_midnight_utc)
from app.extensions import db
from app.registry.models import NO_YEAR, Direction, Register, RegisterEntry
from app.routing.models import Delivery, DeliveryStatus

WEEKS = 12
MEDIAN_ROWS = 50_000
WIDTH = 480
LABEL_CHARS = 24


# ---- the figures -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Week:
    start: date                # a Monday
    registered: int            # letters given a receive number in the week, arrived by the system or by hand
    timed: int | None          # registered deliveries (arrived by the system): the median's rows
    median: timedelta | None   # from arrival to registration; None without rows, or beyond MEDIAN_ROWS

    @property
    def end(self):
        return self.start + timedelta(days=6)


def weekly(unit_ids, today, timezone_name):
    """The last WEEKS weeks (Monday to Sunday, local time), this one last, for these units."""
    first = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    starts = [first + timedelta(weeks=n) for n in range(WEEKS)]
    bounds = [local_midnight_utc(day, timezone_name) for day in [*starts, starts[-1] + timedelta(weeks=1)]]
    registered = _registered_per_week(unit_ids, bounds, {first.year, today.year, NO_YEAR})
    waits = _waits_per_week(unit_ids, bounds)
    return [Week(start, registered.get(n, 0), len(waits[n]) if n in waits else None,
                 timedelta(seconds=statistics.median(waits[n])) if waits.get(n) else None)
            for n, start in enumerate(starts)]


def _registered_per_week(unit_ids, bounds, years):
    """{week index: entries of the units' receive registers}; cancelled numbers are left out. The register
    ids are read first so that the entries are found by register and date, not register by register."""
    registers = db.session.scalars(select(Register.id).where(Register.unit_id.in_(unit_ids),
                                                             Register.direction == Direction.RECEIVE)).all()
    week = case(*[(RegisterEntry.created_at < bound, n) for n, bound in enumerate(bounds[1:])])
    entries = (select(week.label("week"))
               .where(RegisterEntry.register_id.in_(registers), RegisterEntry.year.in_(years),
                      RegisterEntry.cancelled_at.is_(None),
                      RegisterEntry.created_at >= bounds[0], RegisterEntry.created_at < bounds[-1]))
    entries = entries.subquery()
    return dict(db.session.execute(select(entries.c.week, func.count()).group_by(entries.c.week)).all())


def _waits_per_week(unit_ids, bounds):
    """{week index: [seconds from sending to registration]} of the deliveries registered in the units. When
    more than MEDIAN_ROWS were registered, the oldest weeks are left out (cut short, their median would be
    wrong) rather than shown with part of their rows."""
    rows = db.session.execute(
        select(Delivery.sent_at, Delivery.registered_at)
        .where(Delivery.to_unit_id.in_(unit_ids), Delivery.status == DeliveryStatus.REGISTERED,
               Delivery.registered_at >= bounds[0], Delivery.registered_at < bounds[-1])
        .order_by(Delivery.registered_at.desc()).limit(MEDIAN_ROWS)).all()
    waits = {n: [] for n in range(len(bounds) - 1)}
    for sent_at, registered_at in rows:
        week = bisect_right(bounds, registered_at) - 1
        waits[week].append(max(0.0, (registered_at - sent_at).total_seconds()))
    if len(rows) == MEDIAN_ROWS:
        cut = bisect_right(bounds, rows[-1].registered_at) - 1
        waits = {n: values for n, values in waits.items() if n > cut}
    return waits


def week_label(day, locale):
    """Two lines under a bar: '3 พ.ย.' and '2568' (the Buddhist Era year in Thai, 2025 in English)."""
    if locale == "th":
        return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]}", str(buddhist_year(day))
    return f"{day.day} {ENGLISH_MONTHS_SHORT[day.month - 1]}", str(day.year)


def week_span(week, locale):
    return f"{format_date(week.start, locale)} – {format_date(week.end, locale)}"


# ---- the geometry ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: tuple    # lines of text under (columns) or before (rows) the bar
    value: str      # written at the end of the bar
    title: str      # the bar's tooltip


@dataclass(frozen=True)
class Tick:
    at: float       # y of a horizontal grid line (columns), x of a vertical one (rows)
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list
    ticks: list
    left: float      # the plot area
    right: float
    top: float
    bottom: float


def nice_ticks(largest):
    """0 and whole round steps (1, 2 or 5 times a power of ten) up to at least `largest` (and at least 1)."""
    largest = max(largest, 1)
    raw = largest / 4
    power = 10 ** max(0, floor(log10(raw)))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [step * n for n in range(ceil(largest / step - 1e-9) + 1)]


def column_chart(values, labels, values_text, titles, height=240):
    """Columns side by side, one per value, with round grid lines."""
    left, right, top, bottom = 34, WIDTH - 4, 22, height - 40
    ticks = nice_ticks(max(values, default=0))
    scale = (bottom - top) / ticks[-1]
    slot = (right - left) / max(len(values), 1)
    bars = [Bar(x=left + slot * n + slot * 0.2, y=bottom - value * scale, width=slot * 0.6,
                height=value * scale, label=label, value=text, title=title)
            for n, (value, label, text, title) in enumerate(zip(values, labels, values_text, titles))]
    return Chart(WIDTH, height, bars, [Tick(bottom - tick * scale, str(tick)) for tick in ticks],
                 left, right, top, bottom)


def row_chart(values, labels, titles):
    """One horizontal bar per value, its label before it (cut to LABEL_CHARS; the title has it whole)."""
    row_height, left, right, top = 30, 170, WIDTH - 30, 8
    bottom = top + row_height * len(values)
    ticks = nice_ticks(max(values, default=0))
    scale = (right - left) / ticks[-1]
    bars = [Bar(x=left, y=top + row_height * n + 4, width=value * scale, height=row_height - 8,
                label=(_cut(label),), value=str(value), title=title)
            for n, (value, label, title) in enumerate(zip(values, labels, titles))]
    return Chart(WIDTH, bottom + 22, bars, [Tick(left + tick * scale, str(tick)) for tick in ticks],
                 left, right, top, bottom)


def _short(value):
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _cut(text):
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


# ---- the three charts ------------------------------------------------------------------------------------

def registered_chart(weeks, locale):
    labels = [week_label(week.start, locale) for week in weeks]
    return column_chart([week.registered for week in weeks], labels,
                        [str(week.registered) if week.registered else "" for week in weeks],
                        [str(_l("%(week)s: %(count)d registered", week=week_span(week, locale),
                                count=week.registered)) for week in weeks])


def median_chart(weeks, locale):
    """Medians in minutes, hours or days, whichever suits the longest; a week without one stays empty (its
    title says why)."""
    seconds = [week.median.total_seconds() if week.median else 0 for week in weeks]
    longest = max(seconds, default=0)
    unit, size = ((_l("days"), 86400) if longest >= 3 * 86400 else
                  (_l("hours"), 3600) if longest >= 3 * 3600 else (_l("minutes"), 60))
    labels = [week_label(week.start, locale) for week in weeks]
    chart = column_chart([value / size for value in seconds], labels,
                         [_short(value / size) if value else "" for value in seconds],
                         [_median_title(week, locale) for week in weeks])
    return chart, unit


def _median_title(week, locale):
    span = week_span(week, locale)
    if week.median is not None:
        return str(_l("%(week)s: median %(wait)s over %(count)d registrations", week=span,
                      wait=format_duration(week.median, locale), count=week.timed))
    if week.timed is None:
        return str(_l("%(week)s: too many registrations to take the median", week=span))
    return str(_l("%(week)s: no registration", week=span))


def overdue_chart(unit_rows, locale):
    """Units with overdue work, most first (the table's overdue column links to their lists)."""
    rows = sorted((row for row in unit_rows if row.counts["overdue"]), key=lambda row: -row.counts["overdue"])
    return row_chart([row.counts["overdue"] for row in rows], [row.unit.name(locale) for row in rows],
                     [str(_l("%(unit)s: %(count)d overdue", unit=row.unit.name(locale),
                             count=row.counts["overdue"])) for row in rows])
