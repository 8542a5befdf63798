"""Benchmark: `flask demo load` on the embedded SQLite default, as `make run` runs it (issue 14); target < 5 s.

Each run copies a freshly migrated SQLite file into a new instance folder and runs the real command in a
process of its own, so the figure includes starting Python and the app, playing the ~86 demo letters through
the services in time order, and the one commit (the audit chain is sealed there). It reports the wall time
and the CPU time of each run (median, min, max), then checks what was loaded as the demo tests do: the
audit chain verifies, the letters and users are all there, every handling and delivery state appears, and
a demo user logs in with the demo password.

    .venv/bin/python -m tests.bench.demo_load [--runs 5] [--profile]

--profile runs the load once more inside this process under cProfile and prints where the time went.
"""
import argparse
import cProfile
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLASK = [str(ROOT / ".venv/bin/flask"), "--app", "app"]
DATABASE_FILE = "esaraban.sqlite3"
HANDLING_STATES = {"new", "with_manager", "in_progress", "awaiting_signature", "signed", "sent_back", "done",
                   "closed", "forwarded", "dispatched"}
DELIVERY_STATES = {"sent", "read", "registered", "returned", "recalled"}


def environ(instance):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(INSTANCE_PATH=str(instance), LOG_LEVEL="WARNING")
    return env


def migrated(workdir):
    """A freshly migrated database file, made once and copied for every run."""
    instance = workdir / "template"
    instance.mkdir()
    subprocess.run(FLASK + ["db", "upgrade"], cwd=ROOT, env=environ(instance), check=True,
                   capture_output=True)
    return instance / DATABASE_FILE


def one_run(workdir, template, number):
    instance = workdir / f"run-{number}"
    instance.mkdir()
    shutil.copy(template, instance / DATABASE_FILE)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(FLASK + ["demo", "load"], cwd=ROOT, env=environ(instance), capture_output=True,
                            text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"flask demo load failed:\n{result.stdout}\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, instance


def check(instance):
    """What a newcomer is promised: the demo is complete and its audit chain intact."""
    os.environ.update(environ(instance))
    from sqlalchemy import func, select

    from app import create_app
    from app.auth.passwords import verify_password
    from app.core.audit import verify_chain
    from app.documents.models import Document
    from app.extensions import db
    from app.handling.models import Handling
    from app.org import demo
    from app.org.models import User
    from app.routing.models import Delivery

    with create_app().app_context():
        broken = verify_chain()
        letters = db.session.scalar(select(func.count(Document.id)))
        users = db.session.scalars(select(User)).all()
        handlings = Counter(db.session.scalars(select(Handling.status)))
        deliveries = Counter(db.session.scalars(select(Delivery.status)))
        saraban = next(user for user in users if user.username == "saraban")
        logs_in = verify_password(saraban.password_hash, demo.DEMO_PASSWORD)
    problems = []
    if broken is not None:
        problems.append(f"the audit chain breaks at event {broken.event_id}: {broken.reason}")
    if not 60 <= letters <= 120 or len(users) != len(demo.USERS):
        problems.append(f"{letters} letters, {len(users)} users")
    if missing := (HANDLING_STATES - set(handlings)) | (DELIVERY_STATES - set(deliveries)):
        problems.append(f"states missing: {sorted(missing)}")
    if not logs_in:
        problems.append("saraban cannot log in with the demo password")
    print(f"checked: {letters} letters, {len(users)} users, {sum(handlings.values())} handlings, "
          f"{sum(deliveries.values())} deliveries, audit chain {'intact' if broken is None else 'BROKEN'}")
    return problems


def profile(workdir, template, top=25):
    instance = workdir / "profile"
    instance.mkdir()
    shutil.copy(template, instance / DATABASE_FILE)
    os.environ.update(environ(instance))
    from app import create_app
    from app.extensions import db
    from app.org import demo
    from app.org.cli import CLI_ACTOR

    with create_app().app_context():
        profiler = cProfile.Profile()
        profiler.enable()
        demo.load(CLI_ACTOR)
        db.session.commit()
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"/app/", top)


def summary(label, values):
    return (f"{label} median {statistics.median(values):.2f} s (min {min(values):.2f}, "
            f"max {max(values):.2f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="esaraban-bench-demo-") as tmp:
        workdir = Path(tmp)
        template = migrated(workdir)
        walls, cpus, instance = [], [], None
        for number in range(args.runs):
            wall, cpu, instance = one_run(workdir, template, number)
            walls.append(wall)
            cpus.append(cpu)
            print(f"run {number + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU")
        print(summary("flask demo load: wall", walls))
        print(summary("                 CPU ", cpus))
        problems = check(instance)
        if args.profile:
            profile(workdir, template)
    if problems:
        sys.exit("the demo is not what it should be: " + "; ".join(problems))


if __name__ == "__main__":
    main()
