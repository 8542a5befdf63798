"""Logging in (with throttling), changing and resetting passwords."""
import math
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select

from app.auth import passwords
from app.auth.models import LoginAttempt, RevokedSession
from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.extensions import db
from app.org.queries import user_by_username


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures_per_account: int
    max_failures_per_address: int
    lockout: timedelta

    @classmethod
    def from_config(cls, config):
        return cls(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"], config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
                   timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"]))


class LoginRefusal(StrEnum):
    BAD_CREDENTIALS = "bad_credentials"
    ACCOUNT_LOCKED = "account_locked"
    ADDRESS_LOCKED = "address_locked"


@dataclass(frozen=True)
class LoginOutcome:
    user: object | None = None
    refusal: LoginRefusal | None = None
    retry_in_minutes: int = 0


def attempt_login(*, username, password, address, policy, now=None):
    """Check the password unless the account or the address is locked out; record the attempt."""
    now = now or utcnow()
    username = username.strip().lower()[:64]
    window_start = now - policy.lockout
    address_failures = _failures_since(LoginAttempt.address == address, window_start)
    if len(address_failures) >= policy.max_failures_per_address:
        return _locked(LoginRefusal.ADDRESS_LOCKED, address_failures, policy.max_failures_per_address,
                       policy.lockout, now)
    account_failures = _failures_since(
        (LoginAttempt.username == username) & (LoginAttempt.id > _last_success_id(username)), window_start)
    if len(account_failures) >= policy.max_failures_per_account:
        return _locked(LoginRefusal.ACCOUNT_LOCKED, account_failures, policy.max_failures_per_account,
                       policy.lockout, now)

    user = user_by_username(username)
    valid = passwords.verify_password(user.password_hash if user else None, password)
    succeeded = bool(user and valid and user.is_active)
    db.session.add(LoginAttempt(username=username, address=address[:64], succeeded=succeeded, at=now))
    if not succeeded:
        return LoginOutcome(refusal=LoginRefusal.BAD_CREDENTIALS)
    user.last_login_at = now
    db.session.flush()
    return LoginOutcome(user=user)


def _failures_since(condition, since):
    return db.session.scalars(
        select(LoginAttempt.at).where(condition, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
        .order_by(LoginAttempt.at)
    ).all()


def _last_success_id(username):
    return db.session.scalar(select(func.coalesce(func.max(LoginAttempt.id), 0))
                             .where(LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)))


def _locked(refusal, failures, limit, lockout, now):
    # Locked until the oldest failure that still counts leaves the window.
    unlock_at = failures[-limit] + lockout
    minutes = max(1, math.ceil((unlock_at - now).total_seconds() / 60))
    return LoginOutcome(refusal=refusal, retry_in_minutes=minutes)


def end_session(user, *, session_key, keep_for, now=None):
    """Logging out: this session's key is revoked, so its cookie replayed later logs nobody in; the user's
    other sessions go on. Revocations older than `keep_for` are dropped: by then the idle timeout refuses
    those cookies by itself."""
    now = now or utcnow()
    db.session.execute(delete(RevokedSession).where(RevokedSession.revoked_at < now - keep_for))
    if session_key:
        db.session.add(RevokedSession(session_key=session_key[:64], user_id=user.id, revoked_at=now))
    db.session.flush()


def change_password(actor, user, *, current_password, new_password):
    if not passwords.verify_password(user.password_hash, current_password):
        raise BusinessRuleError(_l("The current password is not correct."))
    if passwords.verify_password(user.password_hash, new_password):
        raise BusinessRuleError(_l("The new password must be different from the current one."))
    passwords.check_strength(new_password, user.username)
    _set_password(user, new_password, must_change=False)
    audit.record(actor, "user.password_change", "user", user.id)
    return user


def reset_password(actor, user):
    """Give the user a one-time password they must change at their next login; returns it once."""
    temporary = passwords.temporary_password()
    _set_password(user, temporary, must_change=True)
    audit.record(actor, "user.password_reset", "user", user.id)
    return temporary


def _set_password(user, password, *, must_change):
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = must_change
    user.password_changed_at = utcnow()
    user.session_version += 1  # every other session of this user ends
    db.session.flush()
