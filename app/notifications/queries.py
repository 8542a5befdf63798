"""Reading notices: a person's list and unread count, and the LINE outbox for the admin."""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.notifications.models import LinePush, Notification, PushStatus

RECENT = 100


def unread_count(user):
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def recent(user, limit=RECENT):
    """Newest first, unread ones before read ones of the same moment."""
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .options(selectinload(Notification.document), selectinload(Notification.from_unit))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()


def push_counts():
    rows = db.session.execute(select(LinePush.status, func.count()).group_by(LinePush.status)).all()
    counts = {status.value: 0 for status in PushStatus}
    counts.update({status: count for status, count in rows})
    return counts


def pushes(status=None, limit=RECENT):
    query = select(LinePush).options(selectinload(LinePush.user)).order_by(LinePush.id.desc()).limit(limit)
    if status:
        query = query.where(LinePush.status == status)
    return db.session.scalars(query).all()


def messages_sent_since(moment):
    """Messages LINE accepted from us since `moment` (each push counts its cards)."""
    return db.session.scalar(select(func.coalesce(func.sum(LinePush.message_count), 0)).where(
        LinePush.status == PushStatus.SENT, LinePush.sent_at >= moment)) or 0
