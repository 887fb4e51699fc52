"""The local-only guard and the security headers, the serve command's address check, and the OpenAPI
document. The app has no accounts, so only this computer's own pages may talk to it."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.core.result import Ok
from typer.testing import CliRunner

from backcoach.cli import app as cli
from backcoach.services.context import Scope
from backcoach.services.programs import set_profile
from backcoach.web.app import create_app
from tests.examples import example_profile
from tests.forms import post_form

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["/", "/screen", "/profile", "/program", "/session", "/progress", "/library", "/library/bridge", "/settings"]


@pytest.fixture
def client(ctx: Scope) -> TestClient:
    return TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")


@pytest.fixture
def set_up(ctx: Scope) -> Scope:
    set_profile(ctx, example_profile("maya"))
    return ctx


# Host and Origin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "192.168.1.20:8000",
        "10.0.0.5",
        "0.0.0.0:8000",
        "[::]:8000",
        "127.0.0.1.example.com",  # DNS rebinding: a foreign name pointed at this machine
        "localhost.example.com:8000",
        "evil.test:8000",
        "127.0.0.1:8000@evil.example",  # a name after the port
        "127.0.0.1:80a",
        "localhost:",
        "",
    ],
)
@pytest.mark.parametrize("path", ["/", "/api/v1/program", "/static/app.css", "/api/v1/openapi.json"])
def test_a_host_that_is_not_this_computer_gets_421(client: TestClient, host: str, path: str):
    for method in ("GET", "POST"):
        answer = client.request(method, path, headers={"host": host})
        assert answer.status_code == 421, (method, answer.text)
        assert "this computer" in answer.text


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_this_computers_own_names_are_answered(client: TestClient, host: str):
    assert client.get("/", headers={"host": host}).status_code == 200
    origin = {"origin": f"http://{host}", "host": host}
    assert client.get("/api/v1/exercises", headers=origin).status_code == 200


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://example.com",
        "http://127.0.0.1.example.com",
        "http://localhost:8000",  # another local name, or another port, is another site
        "http://127.0.0.1:9999",
        "file://",
        "chrome-extension://abcdef",
    ],
)
def test_another_sites_origin_is_refused_on_get_and_post(client: TestClient, ctx: Scope, origin: str):
    for method, path, body in [
        ("GET", "/", None),
        ("GET", "/api/v1/export", None),
        ("POST", "/api/v1/profile", example_profile("maya").model_dump(mode="json")),
        ("POST", "/screen", None),
    ]:
        answer = client.request(method, path, json=body, headers={"origin": origin})
        assert answer.status_code == 403 and "other websites" in answer.text, (method, path)
    assert ctx.app.database.find_first_person() is None  # the refused profile was not saved


def test_a_cross_site_fetch_is_refused_even_without_an_origin(client: TestClient, ctx: Scope):
    for method, path in [("GET", "/api/v1/export"), ("GET", "/"), ("POST", "/api/v1/sessions")]:
        answer = client.request(method, path, headers={"sec-fetch-site": "cross-site"})
        assert answer.status_code == 403, (method, path)
    # An opaque ("null") origin is refused when the browser says the request is cross-site.
    answer = client.post("/screen", headers={"origin": "null", "sec-fetch-site": "cross-site"})
    assert answer.status_code == 403
    assert ctx.app.database.find_first_person() is None


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "null", "sec-fetch-site": "same-site"},  # another port on this computer, no-referrer page
        {"origin": "null"},  # a browser that hides both the origin and where the request is from
        {"sec-fetch-site": "same-site"},  # no Origin at all, from another local site
    ],
)
def test_a_write_from_another_local_page_is_refused(client: TestClient, ctx: Scope, headers: dict[str, str]):
    for path, body in [("/api/v1/profile", example_profile("maya").model_dump(mode="json")), ("/screen", None)]:
        answer = client.post(path, json=body, headers=headers)
        assert answer.status_code == 403 and "other websites" in answer.text, (path, headers)
    assert ctx.app.database.find_first_person() is None  # nothing was saved
    assert client.get("/", headers=headers).status_code == 200  # reading a page is still fine


def test_same_origin_requests_are_served(client: TestClient, set_up: Scope):
    same = {"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"}
    assert client.get("/program", headers=same).status_code == 200
    started = client.post("/api/v1/sessions", headers=same)
    assert started.status_code == 200 and started.json()["exercises"]
    # The app's own form posts: with no-referrer, browsers send the origin as "null".
    page = post_form(client, "/screen", headers={"origin": "null", "sec-fetch-site": "same-origin"})
    assert page.status_code == 422  # served (and the empty form is asked again)
    assert client.get("/", headers={"sec-fetch-site": "none"}).status_code == 200  # typed in the address bar


# Security headers on every response -----------------------------------------------------------------


def assert_secured(answer: Any, what: str) -> None:
    csp = answer.headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives.get("default-src") == ["'self'"], (what, csp)
    assert directives.get("frame-ancestors") == ["'none'"], (what, csp)
    assert not any("'unsafe-inline'" in v or "*" in v for v in directives.values()), (what, csp)
    assert answer.headers.get("x-content-type-options") == "nosniff", what
    assert answer.headers.get("x-frame-options") == "DENY", what
    assert answer.headers.get("referrer-policy") == "no-referrer", what


def test_every_kind_of_response_carries_the_security_headers(client: TestClient, set_up: Scope):
    requests: list[tuple[str, str, dict[str, Any]]] = [
        *[("GET", page, {}) for page in PAGES],
        ("GET", "/library/moonwalk", {}),  # 404 page
        ("GET", "/nowhere", {}),  # 404 from the router
        ("GET", "/static/app.css", {}),
        ("GET", "/static/player.js", {}),
        ("GET", "/static/nothing.css", {}),  # 404 from the static files
        ("GET", "/figures/bridge.svg", {}),  # an exercise figure (SVG)
        ("GET", "/api/v1/exercises", {}),
        ("GET", "/api/v1/openapi.json", {}),
        ("GET", "/api/v1/export", {}),
        ("POST", "/api/v1/sessions", {"json": {"resume": "yes"}}),  # 422
        ("POST", "/api/v1/sessions/999/finish", {"json": {"end_reason": "finished"}}),  # 404
        ("DELETE", "/api/v1/program", {}),  # 405
        ("POST", "/screen", {"data": {}}),  # 422 page
        ("GET", "/settings/reminders.ics", {}),  # 404 page
        ("HEAD", "/", {}),
        ("GET", "/", {"headers": {"host": "example.com"}}),  # 421 refusal
        ("GET", "/", {"headers": {"origin": "https://evil.example"}}),  # 403 refusal
    ]
    statuses = set()
    for method, path, extra in requests:
        answer = client.request(method, path, follow_redirects=False, **extra)
        statuses.add(answer.status_code)
        assert_secured(answer, f"{method} {path} -> {answer.status_code}")
    assert {200, 403, 404, 405, 421, 422} <= statuses


# Nothing from elsewhere -----------------------------------------------------------------------------

REFERENCE = re.compile(r"""\b(src|href|action|formaction|srcset|poster|data|xlink:href)\s*=\s*["']?([^"'\s>]*)""", re.I)
ELSEWHERE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.I)  # any scheme, or a host-relative URL
CSS_URL = re.compile(r"""url\(\s*["']?\s*([^"')\s]*)""", re.I)


def references_elsewhere(text: str) -> list[str]:
    found = [value for _, value in REFERENCE.findall(text) if ELSEWHERE.match(value) and not value.startswith("data:")]
    found += [value for value in CSS_URL.findall(text) if ELSEWHERE.match(value) and not value.startswith("data:")]
    names = re.sub(r"""\sxmlns(?::\w+)?=["'][^"']*["']""", "", text)  # XML namespace names are not links
    found += re.findall(r"https?://[^\s\"'<>]+", names)
    return found


def test_no_page_refers_to_another_host(client: TestClient, ctx: Scope):
    paths = [*PAGES, "/library/moonwalk"]
    pages = {f"new {p}": client.get(p).text for p in paths}
    set_profile(ctx, example_profile("maya"))
    pages |= {f"set up {p}": client.get(p).text for p in paths}
    pages |= {f"set up /library/{i}": client.get(f"/library/{i}").text for i in ctx.catalogue.ids()}
    # What the pages load (stylesheet, script, figures) is all on this host, answers, and refers nowhere else.
    loaded = {v for t in pages.values() for a, v in REFERENCE.findall(t) if a.lower() == "src" or "/static/" in v}
    assert "/static/app.css" in loaded and any(v.startswith("/static/player.js?v=") for v in loaded)
    for path in loaded:
        answer = client.get(path)
        assert answer.status_code == 200, path
        pages[path] = answer.text
    assert {name: refs for name, text in pages.items() if (refs := references_elsewhere(text))} == {}


def test_the_check_for_other_hosts_would_see_them():
    assert references_elsewhere('<script src="https://cdn.example/x.js"></script>')
    assert references_elsewhere("<link href=//fonts.example/css rel=stylesheet>")
    assert references_elsewhere("<div style=\"background: url('http://x.example/a.png')\">")
    assert references_elsewhere('<a href="javascript:alert(1)">')
    assert not references_elsewhere('<a href="/library">x</a><img src="data:image/png;base64,AAAA">')
    assert not references_elsewhere('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>')


# backcoach serve ------------------------------------------------------------------------------------


@pytest.fixture
def listens(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Records uvicorn.run calls instead of listening (with the app it would serve)."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({**kwargs, "app": app}))
    return calls


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "10.0.0.5", "::", "[::]", "example.com", "172.16.0.9"])
def test_serve_refuses_any_address_but_this_computers(listens, host: str):
    result = CliRunner().invoke(cli, ["serve", "--host", host])
    assert result.exit_code == 2, result.output
    assert f"refusing to listen on {host}" in result.stderr and "127.0.0.1" in result.stderr
    assert listens == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_serve_listens_on_this_computers_own_addresses(listens, host: str):
    result = CliRunner().invoke(cli, ["serve", "--host", host, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert [(c["host"], c["port"]) for c in listens] == [(host, 8123)]
    # ...and answers there: a request naming that address is served, not refused with 421.
    name = f"[{host}]:8123" if ":" in host else f"{host}:8123"
    assert TestClient(listens[0]["app"], base_url=f"http://{name}").get("/static/app.css").status_code == 200


def test_serve_on_all_addresses_exits_at_once_without_listening(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"BACKCOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "backcoach"), "serve", "--host", "0.0.0.0", "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=60,  # it would hang here if it were serving
        env=env,
    )
    assert done.returncode == 2 and "refusing to listen on 0.0.0.0" in done.stderr, done.stderr
    assert "running at" not in done.stdout
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    assert not (tmp_path / "db.sqlite3").exists()  # it did not even open the database


# The OpenAPI document -------------------------------------------------------------------------------


def test_the_openapi_document_is_valid_and_lists_the_api(client: TestClient):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    doc = answer.json()
    assert doc["openapi"].startswith("3.") and doc["info"]["title"] == "backcoach"
    schema = schemathesis.openapi.from_dict(doc)
    schema.validate()  # against the OpenAPI specification's own schema
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results)  # every operation loads: each $ref resolves
    assert {(r.ok().method.upper(), r.ok().path) for r in results if isinstance(r, Ok)} >= {
        ("GET", "/api/v1/exercises"),
        ("GET", "/api/v1/exercises/{exercise_id}"),
        ("GET", "/api/v1/screen/questions"),
        ("POST", "/api/v1/plan"),
        ("POST", "/api/v1/profile"),
        ("GET", "/api/v1/program"),
        ("POST", "/api/v1/sessions"),
        ("POST", "/api/v1/sessions/{session_id}/outcomes"),
        ("POST", "/api/v1/sessions/{session_id}/pain"),
        ("POST", "/api/v1/sessions/{session_id}/choice"),
        ("POST", "/api/v1/sessions/{session_id}/finish"),
        ("GET", "/api/v1/export"),
        ("POST", "/api/v1/import"),
    }
    assert all(path.startswith("/api/v1/") for path in doc["paths"])  # the pages are not part of the API
    assert client.get("/docs").status_code == 404  # the interactive docs would load scripts from a CDN
