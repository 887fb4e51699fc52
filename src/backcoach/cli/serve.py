"""`backcoach serve`: the web app on this computer."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from backcoach.cli.common import fail


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on. Only this computer's own address is allowed.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Start the web app at http://127.0.0.1:8000 (open it in your browser)."""
    if not is_loopback(host):
        fail(
            f"refusing to listen on {host}: without accounts the app must stay on this computer "
            "(use 127.0.0.1). Clinic mode with accounts comes later."
        )
    import uvicorn

    from backcoach.settings import get_settings
    from backcoach.web.app import create_app
    from backcoach.web.form_tokens import FormTokens
    from backcoach.web.guard import LOOPBACK_NAMES

    # The address it listens on is an address it answers: 127.0.0.2 is this computer too.
    name = f"[{host.strip('[]')}]" if ":" in host else host.lower()
    typer.echo(f"backcoach is running at http://{name}:{port}  (Ctrl-C stops it)")
    settings = get_settings()
    tokens = FormTokens.from_settings(settings.form_secret, settings.secure_cookies)
    web = create_app(allowed_hosts=LOOPBACK_NAMES | {name}, form_tokens=tokens)
    uvicorn.run(web, host=host, port=port, log_level="warning")
