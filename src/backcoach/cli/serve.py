"""`backcoach serve`: the web app on this computer."""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
import sys
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


KEEP_ALIVE_SECONDS = 30  # an idle connection stays open this long: the next request needs no new one
MAX_WORKERS = 16


def listening_socket(host: str, port: int, share_port: bool = False) -> socket.socket:
    """The address bound by this process, for a worker (each of `--workers N` has its own socket on
    the same port: `share_port`). Made as a TCP socket (uvicorn makes its own without saying so,
    and then asyncio never sets TCP_NODELAY on the connections it accepts): so every reply goes out
    at once instead of waiting ~40 ms for a delayed ACK."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if share_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # and Linux hands it on to each connection
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as error:
        sock.close()
        fail(f"cannot listen on {host}:{port} ({error.strerror})", 1)
    sock.set_inheritable(True)
    return sock


def check_clinic(database_url: str, demo: bool) -> None:
    """A clinic keeps many people's health data: on PostgreSQL, not in a file on one computer."""
    if not database_url.startswith("postgresql") and not demo:
        fail(
            "clinic mode needs PostgreSQL: set BACKCOACH_DATABASE_URL=postgresql://USER@HOST/DBNAME "
            "(to try it out on SQLite on this computer only, set BACKCOACH_CLINIC_DEMO=true)"
        )


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on. Only this computer's own address is allowed.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=MAX_WORKERS, help="Worker processes answering requests (more use more of the computer's cores)."
        ),
    ] = 1,
    clinic: Annotated[
        bool,
        typer.Option(
            "--clinic",
            help="Clinic mode: accounts for staff and patients, on PostgreSQL, behind an https proxy (see README).",
        ),
    ] = False,
) -> None:
    """Start the web app at http://127.0.0.1:8000 (open it in your browser)."""
    from backcoach.settings import get_settings

    if clinic:
        os.environ["BACKCOACH_MODE"] = "clinic"  # for this process and every worker it starts
        get_settings.cache_clear()
    settings = get_settings()
    if settings.clinic:
        check_clinic(settings.resolved_database_url(), settings.clinic_demo)
    elif not is_loopback(host):
        fail(
            f"refusing to listen on {host}: without accounts the app must stay on this computer "
            "(use 127.0.0.1, or clinic mode: backcoach serve --clinic)."
        )
    import uvicorn

    from backcoach.web.served import IMPORT, NAME, served_app

    # The address it listens on is an address it answers: 127.0.0.2 is this computer too.
    name = f"[{host.strip('[]')}]" if ":" in host else host.lower()
    os.environ[NAME] = name
    if workers == 1:
        typer.echo(f"backcoach is running at http://{name}:{port}  (Ctrl-C stops it)")
        web = served_app()
        uvicorn.run(web, host=host, port=port, log_level="warning", timeout_keep_alive=KEEP_ALIVE_SECONDS)
        return
    if not get_settings().form_secret:  # one secret for all the workers, so any of them takes a page's form
        os.environ["BACKCOACH_FORM_SECRET"] = secrets.token_urlsafe(32)
    if not sys.platform.startswith("linux"):  # only Linux shares a port's connections out among sockets
        from uvicorn.supervisors import Multiprocess

        config = uvicorn.Config(
            IMPORT, factory=True, workers=workers, log_level="warning", timeout_keep_alive=KEEP_ALIVE_SECONDS
        )
        typer.echo(f"backcoach is running at http://{name}:{port} with {workers} workers  (Ctrl-C stops it)")
        Multiprocess(config, sockets=[listening_socket(host, port)]).run()
        return
    from backcoach.web.workers import run_workers

    # Bound once alone first: an address taken by anything else, a server sharing its port too, is refused.
    listening_socket(host, port).close()
    typer.echo(f"backcoach is running at http://{name}:{port} with {workers} workers  (Ctrl-C stops it)")
    why = run_workers(workers, lambda: listening_socket(host, port, share_port=True), IMPORT, KEEP_ALIVE_SECONDS)
    if why is not None:
        fail(why, 1)
