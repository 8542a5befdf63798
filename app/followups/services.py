"""Following a document (R30) and no longer following it."""
from sqlalchemy import delete, select

from app.core.models import insert_if_missing, utcnow
from app.extensions import db
from app.followups.models import Follow


def follow(user, document):
    insert_if_missing(db.session, Follow.__table__, {"user_id": user.id, "document_id": document.id,
                                                     "created_at": utcnow()})


def unfollow(user, document):
    db.session.execute(delete(Follow).where(Follow.user_id == user.id, Follow.document_id == document.id))


def is_following(user, document):
    return db.session.scalar(select(Follow.id).where(Follow.user_id == user.id,
                                                     Follow.document_id == document.id)) is not None
