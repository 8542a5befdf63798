"""`flask audit verify`: check the audit trail's hash chain."""
import sys

import click
from flask.cli import AppGroup

from app.core import audit

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def verify():
    """Check every event's hash and link; name the first broken one (exit status 1)."""
    broken = audit.verify_chain()
    if broken is not None:
        click.echo(f"Audit trail broken at event #{broken.event_id}: {broken.reason}")
        sys.exit(1)
    total, unchained, last_hash = audit.chain_summary()
    click.echo(f"Audit trail intact: {total} events, last hash {last_hash or '(none)'}")
    if unchained:
        click.echo(f"The first {unchained} events predate the hash chain and are not covered by it.")
