"""What makes the web app installable and friendly at its edges: the manifest and its icons, the
service worker at the root, a favicon, and HTML pages (not JSON) for a wrong address or a failure."""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.testclient import TestClient

from backcoach import __version__
from backcoach.services.context import Scope
from backcoach.web.app import create_app


def client_for(ctx: Scope, raise_server_exceptions: bool = True) -> TestClient:
    return TestClient(
        create_app(lambda: ctx.app), base_url="http://127.0.0.1", raise_server_exceptions=raise_server_exceptions
    )


def test_the_manifest_names_icons_that_are_served(ctx: Scope):
    client = client_for(ctx)
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(answer.text)
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes  # what browsers want before they offer to install
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200 and got.headers["content-type"] == icon["type"], icon["src"]
    assert client.get("/favicon.ico").headers["content-type"] == "image/png"
    page = client.get("/library").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page and 'rel="icon"' in page


def test_the_service_worker_is_served_from_the_root_for_this_version(ctx: Scope):
    answer = client_for(ctx).get("/sw.js")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"  # a new version is picked up at once
    assert f'const VERSION = "{__version__}";' in answer.text and "__VERSION__" not in answer.text
    assert '"/api/"' in answer.text  # API calls are never answered from a cache


def test_a_wrong_address_is_a_page_for_people_and_a_problem_for_programs(ctx: Scope):
    client = client_for(ctx)
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text and 'href="/"' in page.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_a_failure_is_a_page_for_people_and_a_problem_for_programs(ctx: Scope):
    app = create_app(lambda: ctx.app)
    broken = APIRouter()

    @broken.get("/broken")
    @broken.get("/api/v1/broken")
    def fail() -> None:
        raise RuntimeError("a bug")

    app.include_router(broken)
    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    page = client.get("/broken")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "Something went wrong on our side" in page.text and "a bug" not in page.text
    api = client.get("/api/v1/broken")
    assert api.status_code == 500 and "a bug" not in api.text and "Something went wrong" in api.json()["detail"]
