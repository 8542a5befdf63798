"""Benchmark: search and the dashboard's numbers over 1,000,000 documents (issue 6); target p95 < 100 ms.

The data set (tests/bench/search_data.py): ten years of letters of อบจ.เลย in 281 units; the central registry
(งานสารบรรณ, the busy unit) is concerned by about 10% of them. Each case runs as one of that unit's people
would run it, once to warm up and then RUNS times, and reports the median and 95th percentile of the whole
call (its SQL, loading the rows, building the result), the number of statements it ran, and what it
showed (the total of hits, the sum of the tiles, the rows of the table; a range when runs differ):
- a common word (COMMON_WORD, in ~5% of subjects) and a rare one (RARE_WORD, a few dozen subjects): the
  first page of 50 sorted by register number, newest first, with the total count;
- the common word, a three-month range of dates (ลงวันที่, a different one each run) and the status
  "closed", sorted by register number;
each in the default scope (the user's unit, this year) and over all years, as the registry's clerk; the
two words again as the ปลัด searching all 281 units;
- the dashboard: the clerk's and the head's tiles, and the table of every unit the ปลัด oversees.

Runs on a private MariaDB with an 8 GB buffer pool (all data in memory, so figures are warm-cache):
    scripts/bench-mariadb.sh start && eval "$(scripts/bench-mariadb.sh env)"
    .venv/bin/python -m tests.bench.search [--regenerate | --reindex] [--documents 1000000] [--runs 30]
    scripts/bench-mariadb.sh stop
The first run generates the data: 5 minutes for the base tables of a million documents, then the app's own
rebuild of the search tables (25 minutes). Later runs reuse it unless --regenerate is given; --reindex
rebuilds only the search tables (after the search code changed).
"""
import argparse
import math
import os
import random
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import event, select, text

from app.extensions import db
from app.org.models import User
from tests.bench import search_data

RUNS = 30
TARGET_MS = 100


@dataclass
class Case:
    name: str
    scope: str
    user: str     # whose call: "clerk" or "head" of the central registry, or "chief" (ปลัด)
    call: object  # (user, run number) -> the number shown (hits, a sum of tiles, rows)


class StatementCounter:
    """Counts the SQL statements run on the engine while it is on."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "after_cursor_execute", self._seen)

    def _seen(self, *args):
        self.count += 1


def measure(case, user_id, runs, counter):
    """(median ms, p95 ms, statements per call, the numbers shown) of `case`: one warm-up call, then `runs`
    timed ones, each in a fresh session (nothing cached in the identity map)."""
    timings, shown = [], []
    for run in range(runs + 1):
        db.session.remove()
        user = db.session.get(User, user_id)
        counter.count = 0
        began = time.perf_counter()
        shown.append(case.call(user, run))
        if run:
            timings.append(time.perf_counter() - began)
    ms = sorted(seconds * 1000 for seconds in timings)
    return statistics.median(ms), ms[math.ceil(len(ms) * 0.95) - 1], counter.count, shown


# ---- the cases -------------------------------------------------------------------------------------------

def search_cases(info):
    """The search cases as the central registry's clerk runs them: in the default scope (the user's unit,
    this year) and over all years; and the ปลัด's search of every unit (the widest scope there is)."""
    from app.search.criteria import SearchCriteria
    from app.search.queries import search

    this_year = date.fromisoformat(info["until"]).year
    common, rare = info["common_word"], info["rare_word"]

    def words(text, year, all_units=False):
        criteria = SearchCriteria(text=text, year=year, all_units=all_units, sort="register", descending=True)
        return lambda user, run: hit_count(search(user, criteria))

    def filtered(year):
        """The common word in closed letters, with a different three-month range of ลงวันที่ in each run."""
        first_day = date(this_year if year else this_year - search_data.YEARS + 1, 1, 1)
        days = 270 if year else 365 * search_data.YEARS - 270

        def call(user, run):
            start = first_day + timedelta(days=random.Random(run).randrange(days))
            criteria = SearchCriteria(text=common, year=year, dated_from=start,
                                      dated_to=start + timedelta(days=91), statuses=("closed",),
                                      sort="register", descending=True)
            return hit_count(search(user, criteria))
        return call

    cases = []
    for scope, year in (("unit, this year", this_year), ("unit, all years", None)):
        cases += [Case(f"common word '{common}': page 1 + count", scope, "clerk", words(common, year)),
                  Case(f"rare word '{rare}': page 1 + count", scope, "clerk", words(rare, year)),
                  Case(f"'{common}' + 3 months of ลงวันที่ + closed", scope, "clerk", filtered(year))]
    for scope, year in (("281 units, this year", this_year), ("281 units, all years", None)):
        cases += [Case(f"common word '{common}': page 1 + count", scope, "chief", words(common, year, True)),
                  Case(f"rare word '{rare}': page 1 + count", scope, "chief", words(rare, year, True))]
    return cases


def hit_count(page):
    """The page's total, marked when the search stopped counting (more hits than it counts)."""
    return f"{page.total:,}+" if getattr(page, "more", False) else page.total


def dashboard_cases():
    """The dashboard: a person's tiles, and a manager's table of the units below them."""
    from app.core.thai_dates import today_local
    from app.dashboard import queries

    def period():
        return queries.Period(today_local(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
                              current_app.config["DUE_SOON_DAYS"])

    def tiles(user, run):
        return sum(tile.count for tile in queries.tiles(user, period()))

    def unit_table(user, run):
        return len(queries.unit_table(user, period()))

    return [Case("dashboard tiles (sum of the numbers)", "own unit", "clerk", tiles),
            Case("dashboard tiles (sum of the numbers)", "own unit", "head", tiles),
            Case("manager's table (rows)", "281 units", "chief", unit_table)]


def case_users(info):
    chief = db.session.scalar(select(User.id).where(User.username == f"{search_data.ORGANISATION[0]}.chief"))
    return {"clerk": int(info["busy_clerk_id"]), "head": int(info["busy_manager_id"]), "chief": chief}


# ---- running it -------------------------------------------------------------------------------------------

def prepare(args, url):
    """The app on the benchmark database, generated first when it holds no data set (or when asked)."""
    app = search_data.bench_app(url)
    with app.app_context():
        info = None if args.regenerate else search_data.dataset(db.session)
    if info is None:
        search_data.generate(url, documents=args.documents, seed=args.seed, until=args.until)
    with app.app_context():
        info = search_data.dataset(db.session)
        if args.reindex or info["search_indexed"] == "0":
            reindex(info)
    return app, info


def reindex(info):
    began = time.perf_counter()
    if search_data.rebuild_search(print):
        db.session.execute(text("UPDATE bench_dataset SET value = '1' WHERE name = 'search_indexed'"))
        db.session.commit()
        info["search_indexed"] = "1"
        print(f"Search tables filled in {time.perf_counter() - began:.0f} s")


def print_dataset(info):
    print(f"Data set: {int(info['documents']):,} documents up to {info['until']} (seed {info['seed']}), "
          f"generated {info['generated_at'][:16]}")
    for word in (info["common_word"], info["rare_word"]):
        hits = {key: int(info[f"count:{word}{key}"]) for key in ("", ":busy", ":busy:current year")}
        print(f"  '{word}': {hits['']:,} subjects; {hits[':busy']:,} concern the central registry, "
              f"{hits[':busy:current year']:,} of them this year")
    print_load("before")


def print_load(when):
    load = os.getloadavg()
    print(f"  load average {when}: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores "
          "(other work on the machine shows in the figures)")


def shown_range(values):
    if not all(isinstance(value, int) for value in values):
        return "/".join(sorted({str(value) for value in values}))
    low, high = min(values), max(values)
    return f"{low:,}" if low == high else f"{low:,}-{high:,}"


def run_cases(cases, users, runs):
    counter = StatementCounter(db.engine)
    print(f"\n{'case':<46}{'scope':<22}{'as':<7}{'shown':>12}{'median ms':>11}{'p95 ms':>9}{'SQL':>5}"
          "  target")
    for case in cases:
        median, p95, statements, shown = measure(case, users[case.user], runs, counter)
        shown = shown_range(shown)
        verdict = "ok" if p95 < TARGET_MS else "SLOW"
        print(f"{case.name:<46}{case.scope:<22}{case.user:<7}{shown:>12}{median:>11.1f}{p95:>9.1f}"
              f"{statements:>5}  {verdict}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true", help="make the data set anew")
    parser.add_argument("--reindex", action="store_true", help="fill the search tables anew (changed code)")
    parser.add_argument("--documents", type=int, default=1_000_000, help="when generating")
    parser.add_argument("--seed", type=int, default=1, help="when generating")
    parser.add_argument("--until", type=date.fromisoformat, default=date.today(), help="when generating")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    app, info = prepare(args, search_data.database_url())
    with app.app_context():
        print_dataset(info)
        cases = dashboard_cases()
        if info["search_indexed"] == "1":
            cases = search_cases(info) + cases
        else:
            print("  The search tables are empty (app.search does not exist yet): search cases skipped")
        run_cases(cases, case_users(info), args.runs)
        print_load("after")
        print("\nTable sizes:")
        search_data.print_sizes()


if __name__ == "__main__":
    main()
