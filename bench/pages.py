"""How heavy and how fast the web pages are, on a year of twice-daily history.

    .venv/bin/python bench/pages.py [--requests 200] [--clients 4]

Builds a temporary SQLite database with a year of sessions (bench/history_speed.py's build_year),
starts the app in this process with uvicorn on a free local port, then for each page:

- the bytes sent, split into HTML (with any inline SVG charts, also shown on their own), CSS, JS
  and images: the page, then every file it links (/static files, and the exercise figures);
- the response time under a short local load: REQUESTS requests from CLIENTS concurrent httpx
  clients, timed inside the server (from the request arriving to the last byte sent) and, for
  comparison, as the clients saw it;
- whether everything the page needs stays under 150 KB before compression (and its gzip size).

Prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from history_speed import build_year

from backcoach.catalogue.loader import load_catalogue
from backcoach.services.context import App, local_scope
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.web.app import create_app

PAGES = [
    "/",
    "/screen",
    "/program",
    "/session",
    "/progress",
    "/activities",
    "/library",
    "/library/bridge",
    "/settings",
    "/checked",
]
BUDGET = 150 * 1024
NO_FIGURES_BUDGET = 50 * 1024  # a page without figures: html, css and js together
# What a browser fetches to show the page: stylesheets, scripts and images on this host (not links to follow).
LINKED = re.compile(r"""<(?:link|script|img|source)\b[^>]*?\b(?:href|src)\s*=\s*["']?(/(?!/)[^"'\s>]+)""", re.I)
INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.S | re.I)


class ServerTimes:
    """ASGI wrapper: how long the server takes for each request, from its start to the last byte sent."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.times: dict[str, list[float]] = defaultdict(list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()

        async def timed_send(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                self.times[scope["path"]].append(time.perf_counter() - start)

        await self.app(scope, receive, timed_send)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def kind_of(content_type: str) -> str:
    if "css" in content_type:
        return "css"
    if "javascript" in content_type:
        return "js"
    if content_type.startswith("image/"):
        return "img"
    return "html"


def weigh(client: httpx.Client, path: str) -> dict[str, int]:
    """Bytes of the page and of each file it links (each file once), before compression."""
    page = client.get(path)
    page.raise_for_status()
    sizes = {"html": len(page.content), "svg": sum(len(s.encode()) for s in INLINE_SVG.findall(page.text))}
    sizes |= {"css": 0, "js": 0, "img": 0, "gzip": len(gzip.compress(page.content))}
    for href in dict.fromkeys(LINKED.findall(page.text)):
        asset = client.get(href)
        asset.raise_for_status()
        kind = kind_of(asset.headers.get("content-type", ""))
        sizes[kind] += len(asset.content)
        sizes["gzip"] += len(gzip.compress(asset.content))
    return sizes


async def load(base: str, path: str, requests: int, clients: int) -> list[float]:
    """REQUESTS GETs of one page from CLIENTS concurrent clients; the round trips each client saw."""
    seen: list[float] = []
    share = [requests // clients + (1 if n < requests % clients else 0) for n in range(clients)]

    async def one_client(count: int) -> None:
        async with httpx.AsyncClient(base_url=base) as client:
            for _ in range(count):
                start = time.perf_counter()
                answer = await client.get(path)
                seen.append(time.perf_counter() - start)
                answer.raise_for_status()

    await asyncio.gather(*(one_client(n) for n in share))
    return seen


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="requests per page under load")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/year.sqlite3"
        start = time.perf_counter()
        last = build_year(url)
        print(f"built a year of history (730 sessions) in {time.perf_counter() - start:.1f} s")
        fixed = last + timedelta(hours=2)
        ctx = local_scope(App(Database(open_database(url)), load_catalogue(), lambda: fixed))
        app = ServerTimes(create_app(lambda: ctx.app))
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
        base = f"http://127.0.0.1:{port}"
        print(
            f"serving at {base} (uvicorn in this process); {options.requests} requests per page, "
            f"{options.clients} concurrent clients\n"
        )
        try:
            with httpx.Client(base_url=base) as client:
                weights = {path: weigh(client, path) for path in PAGES}
                for path in PAGES:  # warm up: templates compiled, charts' fonts loaded
                    client.get(path)
            app.times.clear()
            seen = {path: asyncio.run(load(base, path, options.requests, options.clients)) for path in PAGES}
        finally:
            server.should_exit = True
            thread.join()

    print(
        f"{'page':16} {'html':>8} {'(svg)':>8} {'css':>7} {'js':>7} {'img':>8} {'total':>8} {'gzip':>7}  "
        f"{'<150KB':6} {'<50KB*':6}  {'server ms':>15}  {'client ms':>15}"
    )
    print(
        f"{'':16} {'bytes':>8} {'bytes':>8} {'bytes':>7} {'bytes':>7} {'bytes':>8} {'bytes':>8} {'bytes':>7}  "
        f"{'':6} {'':6}  {'median':>7} {'p99':>7}  {'median':>7} {'p99':>7}"
    )
    for path in PAGES:
        w = weights[path]
        total = w["html"] + w["css"] + w["js"] + w["img"]
        server_ms = [t * 1000 for t in app.times[path]]
        client_ms = [t * 1000 for t in seen[path]]
        print(
            f"{path:16} {w['html']:8,} {w['svg']:8,} {w['css']:7,} {w['js']:7,} {w['img']:8,} {total:8,} "
            f"{w['gzip']:7,}  {'yes' if total < BUDGET else 'NO':6} "
            f"{'yes' if w['html'] + w['css'] + w['js'] < NO_FIGURES_BUDGET else 'NO':6}  "
            f"{statistics.median(server_ms):7.1f} {p99(server_ms):7.1f}  "
            f"{statistics.median(client_ms):7.1f} {p99(client_ms):7.1f}"
        )
    print("\n* <50KB: html + css + js, without the figures, under 50 KB before compression.")
    print("html includes the inline SVG charts, shown on their own as (svg); total = html + css + js + img;")
    print("gzip = the same files, each gzip-compressed. Times are for the page itself (its HTML), under load;")
    print("server = request in to last byte out, inside uvicorn; client = the round trip the clients saw.")


if __name__ == "__main__":
    sys.exit(main())
