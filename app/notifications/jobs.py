"""Jobs of the notifications feature. They take ids, commit their own work, and are safe to run twice."""
import logging
from datetime import timedelta

from flask import current_app

from app.core.jobs import job_queue
from app.core.models import utcnow
from app.core.thai_dates import today_local
from app.extensions import db
from app.notifications import cards, line, linking, services

log = logging.getLogger(__name__)
SWEEP_BATCH = 100
# Due dates are days: each worker process checks them once an hour, not on every sweep (the check reads
# the open letters due near today). Another process, or a restart, checking again tells nobody twice (the
# notices' dedupe keys).
DUE_CHECK_EVERY = timedelta(hours=1)
_due_checked = {}


def send_push(push_id):
    try:
        services.send_push(push_id)
    finally:
        db.session.remove()


def sweep():
    """Every SWEEP_SECONDS: end a pause that is over, raise due-date notices (hourly), and hand every push
    still waiting past its time back to the workers (a lost job or a Redis restart only delays a message)."""
    now, queue = utcnow(), job_queue()
    # Jobs already waiting will be run: hand out only what the queue lacks, so a backlog is not fed with
    # duplicates of pushes that still have their own job queued.
    room = max(0, SWEEP_BATCH - queue.backlog())
    due_check = _due_checked.get("at") is None or now - _due_checked["at"] >= DUE_CHECK_EVERY
    try:
        services.check_channel(now)
        if due_check:
            services.raise_due_notices(today_local(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
        db.session.commit()
        if due_check:
            _due_checked["at"] = now
        due = services.due_pushes(now, limit=room) if room else []
    finally:
        db.session.remove()
    for push_id in due:
        queue.enqueue(services.SEND_JOB, push_id)
    return len(due)


def invite_to_link(line_user_id, reply_token):
    """A new friend of the official account gets a button to link their e-Saraban login."""
    try:
        link_token = line.issue_link_token(line_user_id)
        # written before the button is sent, so the link page knows whose token it is when it is tapped
        linking.record_link_request(line_user_id, link_token, line.display_name(line_user_id))
        db.session.commit()
        url = f"{current_app.config['PUBLIC_BASE_URL']}/line/link?linkToken={link_token}"
        line.reply(reply_token, [cards.link_invitation(url)])
    except line.LineError as error:
        log.warning("could not invite LINE user %s to link: %s", line_user_id, error)
    finally:
        db.session.remove()
