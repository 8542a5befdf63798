"""Wrong signing PINs: SIGNING_PIN_MAX_FAILURES in a row lock the key for SIGNING_PIN_LOCKOUT_MINUTES.

A wrong PIN ends in an error, and the request's transaction is rolled back, so the count cannot be written
in it. Each outcome is queued on the session and written in a transaction of its own on another
connection when the session's transaction ends (commit or rollback), after its connection is released:
on SQLite, the single writer is then free; on MariaDB, nothing waits on the request's row locks (the table
has no foreign key). The state is read the same way, on a fresh connection, so a long transaction's
snapshot never hides a failure counted by another request.
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import event as orm_event
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.signing.models import SigningPinLock

log = logging.getLogger(__name__)
_PENDING = "signing_pin_outcomes"
TABLE = SigningPinLock.__table__


@dataclass(frozen=True)
class PinState:
    failures: int = 0
    locked_until: datetime | None = None
    updated_at: datetime | None = None

    def locked_at(self, at):
        return self.locked_until is not None and self.locked_until > at


@dataclass(frozen=True)
class Policy:
    max_failures: int
    lockout: timedelta

    @classmethod
    def current(cls):
        return cls(current_app.config["SIGNING_PIN_MAX_FAILURES"],
                   timedelta(minutes=current_app.config["SIGNING_PIN_LOCKOUT_MINUTES"]))


def after_failure(state, at, policy):
    """The state after one more wrong PIN at `at`: failures older than the lockout window, or from before
    an expired lock, no longer count; the last allowed failure starts a lock."""
    failures = state.failures
    if state.locked_until is not None and state.locked_until <= at:
        failures = 0
    elif state.updated_at is not None and state.updated_at < at - policy.lockout:
        failures = 0
    failures += 1
    if failures >= policy.max_failures:
        return PinState(0, at + policy.lockout, at)
    return PinState(failures, None, at)


def _read(connection, user_id, *, for_update=False):
    statement = select(TABLE.c.failures, TABLE.c.locked_until, TABLE.c.updated_at).where(
        TABLE.c.user_id == user_id)
    row = connection.execute(statement.with_for_update() if for_update else statement).first()
    return PinState(*row) if row else PinState()


def state_of(user_id):
    """The stored state plus what this session has queued and not yet written."""
    with db.engine.connect() as connection:
        state = _read(connection, user_id)
    for queued_user, outcome, at in db.session.info.get(_PENDING, []):
        if queued_user == user_id:
            state = after_failure(state, at, Policy.current()) if outcome == "failure" else PinState()
    return state


def note(user_id, outcome, at):
    """Queue a "failure" or "success" for writing when the session's transaction ends; returns the state
    it leads to."""
    session = db.session()
    if not session.in_transaction():
        session.begin()
    session.info.setdefault(_PENDING, []).append((user_id, outcome, at))
    session.info["signing_pin_policy"] = Policy.current()
    return state_of(user_id)


def write(outcomes, policy):
    with db.engine.begin() as connection:
        for user_id, outcome, at in outcomes:
            if outcome == "success":
                connection.execute(update(TABLE).where(TABLE.c.user_id == user_id).values(
                    failures=0, locked_until=None, updated_at=at))
                continue
            connection.execute(insert(TABLE).prefix_with(
                "OR IGNORE" if connection.dialect.name == "sqlite" else "IGNORE").values(
                user_id=user_id, failures=0))
            state = after_failure(_read(connection, user_id, for_update=True), at, policy)
            connection.execute(update(TABLE).where(TABLE.c.user_id == user_id).values(
                failures=state.failures, locked_until=state.locked_until, updated_at=state.updated_at))


@orm_event.listens_for(Session, "after_transaction_end")
def _write_queued(session, transaction):
    if transaction.parent is not None or not session.info.get(_PENDING):
        return
    outcomes = session.info.pop(_PENDING)
    try:
        write(outcomes, session.info.pop("signing_pin_policy"))
    except Exception:  # noqa: BLE001 - never turn the end of a request into an error; say what was lost
        log.exception("could not record %d signing PIN outcome(s) for user(s) %s", len(outcomes),
                      sorted({user_id for user_id, _, _ in outcomes}))
