"""The periodic CRL refresh: a new CRL a day before the current one's nextUpdate. Safe to run twice."""
from app.extensions import db
from app.signing import ca, services


def refresh_crl_if_due():
    try:
        authority = ca.authority()
        if authority is not None and services.crl_is_stale(authority):
            services.refresh_crl()
            db.session.commit()
    finally:
        db.session.remove()
