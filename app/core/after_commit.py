"""Side effects that must happen only once the transaction that caused them has committed.

A service registers a callback; it runs after COMMIT and is dropped on ROLLBACK, so a job is never
enqueued for a change that did not happen (microblog's enqueue-before-commit race).
"""
from sqlalchemy import event
from sqlalchemy.orm import Session

_PENDING = "after_commit_callbacks"


def call_after_commit(session, callback):
    if not session.in_transaction():
        session.begin()  # tie the callback to a transaction, so a rollback before any query drops it
    session.info.setdefault(_PENDING, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_callbacks(session):
    callbacks = session.info.pop(_PENDING, [])
    for callback in callbacks:
        callback()


@event.listens_for(Session, "after_soft_rollback")
def _drop_callbacks(session, previous_transaction):
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info.pop(_PENDING, None)
