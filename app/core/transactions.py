"""The one commit of a unit of work, run again when the database chose it as a deadlock's victim.

Two transactions that lock the same rows in opposite orders (two clerks sending to units B and C, one
as "B, C" and one as "C, B", each telling both units' clerks on LINE) deadlock; MariaDB and MySQL roll
one of them back whole and say "try restarting transaction". Nothing of it was kept, and its after-commit
side effects were dropped with it (app/core/after_commit.py), so running the same change again is safe
and is what the person asked for.
"""
import random
import time

from sqlalchemy.exc import OperationalError

from app.extensions import db

ATTEMPTS = 4
DEADLOCK = 1213  # ER_LOCK_DEADLOCK: the whole transaction was rolled back


def commit(change, *, attempts=ATTEMPTS):
    """Run `change()` and commit, up to `attempts` times while it is a deadlock's victim; returns what
    `change` returned. Any other error, and the last deadlock, propagate after a rollback."""
    for attempt in range(1, attempts + 1):
        try:
            result = change()
            db.session.commit()
            return result
        except OperationalError as error:
            db.session.rollback()
            if attempt == attempts or not is_deadlock(error):
                raise
            time.sleep(random.uniform(0.005, 0.03) * attempt)  # let the winner finish first


def is_deadlock(error):
    code = getattr(error.orig, "args", (None,))[0]
    return code == DEADLOCK
