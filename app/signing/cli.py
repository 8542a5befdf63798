"""`flask signing init-ca` / `flask signing refresh-crl` / `flask signing show-ca`."""
import click
from cryptography.hazmat.primitives import hashes
from flask.cli import AppGroup

from app.extensions import db
from app.signing import ca, services

signing_cli = AppGroup("signing", help="The organisation's signing CA and its CRL.")


def _describe(authority):
    certificate = ca.certificate_of(authority)
    click.echo(f"CA: {certificate.subject.rfc4514_string()}")
    click.echo(f"valid until {certificate.not_valid_after_utc:%Y-%m-%d} · SHA-256 fingerprint "
               f"{certificate.fingerprint(hashes.SHA256()).hex(':').upper()}")
    click.echo(f"CRL #{authority.crl_number}, next update {authority.crl_next_update:%Y-%m-%d %H:%M} UTC · "
               f"published at {ca.public_url(ca.CRL_PATH)}")


@signing_cli.command("init-ca")
def init_ca():
    """Make the organisation's CA now (otherwise it is made when the first certificate is issued)."""
    existed = ca.authority() is not None
    try:
        authority = ca.ensure_authority()
    except ca.NoOrganisation:
        raise click.ClickException("There is no organisation yet: run `esaraban setup` first.") from None
    db.session.commit()
    click.echo("The CA already existed." if existed else "The CA was made.")
    _describe(authority)


@signing_cli.command("refresh-crl")
def refresh_crl():
    """Publish a new CRL now (the periodic job does it a day before nextUpdate)."""
    if ca.authority() is None:
        raise click.ClickException("There is no CA yet: run `flask signing init-ca`.")
    authority = services.refresh_crl()
    db.session.commit()
    _describe(authority)


@signing_cli.command("show-ca")
def show_ca():
    """Print the CA's name, fingerprint and CRL state (to compare with what Adobe Reader shows)."""
    authority = ca.authority()
    if authority is None:
        raise click.ClickException("There is no CA yet: run `flask signing init-ca`.")
    _describe(authority)
