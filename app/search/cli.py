"""`flask search rebuild` / `flask search apply`: the search rows, made anew or brought up to date."""
import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.search import services

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("rebuild")
def rebuild():
    """Make every document's search rows anew (after restoring a backup, or to be sure they are right)."""
    started = time.monotonic()
    done = services.rebuild_all(current_app.config["BABEL_DEFAULT_TIMEZONE"],
                                progress=lambda n: click.echo(f"\r{n:,} documents", nl=False))
    click.echo(f"\rSearch rows rebuilt for {done:,} documents in {time.monotonic() - started:.0f} s.")


@search_cli.command("apply")
def apply():
    """Apply the changes still waiting (the periodic job does this every SWEEP_SECONDS)."""
    done = services.apply_pending(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    click.echo(f"Search rows brought up to date for {done:,} documents.")
