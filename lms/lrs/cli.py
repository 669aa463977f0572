"""`mafunzo lrs ...`: the administrator's commands for the built-in LRS."""

from __future__ import annotations

import click

from lms.lrs import auth


@click.group()
def lrs() -> None:
    """Manage the built-in Learning Record Store."""


@lrs.group()
def credentials() -> None:
    """Create, list and revoke the key/secret pairs xAPI clients use (HTTP Basic)."""


@credentials.command("create")
@click.option("--name", required=True, help="Who or what will use the credential.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    help=f"Repeat for several. One of: {', '.join(auth.SCOPES)}. "
    f"Default: {' '.join(auth.DEFAULT_SCOPES)}.",
)
def create(name: str, scopes: tuple[str, ...]) -> None:
    """Create a credential and print its key and secret (the secret is shown only once)."""
    with _app_context():
        try:
            key, secret = auth.create_credential(name, scopes)
        except auth.ScopeError as error:
            raise click.UsageError(str(error)) from None
    click.echo(f"key: {key}\nsecret: {secret}")


@credentials.command("list")
def list_() -> None:
    """List credentials: key, name, scopes, created, and when revoked."""
    with _app_context():
        rows = auth.list_credentials()
    for row in rows:
        state = f"revoked {row.revoked:%Y-%m-%dT%H:%M:%SZ}" if row.revoked else "active"
        click.echo(
            f"{row.key}\t{row.name}\t{' '.join(row.scopes)}\t"
            f"created {row.created:%Y-%m-%dT%H:%M:%SZ}\t{state}"
        )


@credentials.command("revoke")
@click.argument("key")
def revoke(key: str) -> None:
    """Revoke the credential with KEY; clients using it get 401 from then on."""
    with _app_context():
        revoked = auth.revoke_credential(key)
    if not revoked:
        raise click.ClickException(f"no active credential has the key {key}")
    click.echo(f"revoked {key}")


def _app_context():  # type: ignore[no-untyped-def]
    from lms import create_app

    return create_app().app_context()
