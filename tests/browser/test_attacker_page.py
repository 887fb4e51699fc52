"""A page served by another web server on this computer (another port is the same site, never the
same origin) cannot write to the app, even hiding its origin with a no-referrer policy."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import Browser

from backcoach.core.screening import QUESTION_IDS
from backcoach.services import programs
from tests.browser.conftest import App
from tests.examples import example_profile


def attacker_page(target: str) -> bytes:
    """Auto-submits "no warning signs" to the app's profile form, hiding where it comes from."""
    answers = "".join(f'<input type="hidden" name="flag_{q}" value="no">' for q in QUESTION_IDS)
    return (
        '<!doctype html><meta name="referrer" content="no-referrer">'
        f'<form id="f" method="post" action="{target}/profile">{answers}'
        '<input type="hidden" name="regions" value="lower_back"></form>'
        '<script>document.getElementById("f").submit()</script>'
    ).encode()


def test_a_page_on_another_local_port_cannot_write(browser: Browser, app: App) -> None:
    body = attacker_page(app.url)

    class Attacker(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Attacker)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        programs.set_profile(app.ctx, example_profile("maya"))  # the attacker tries to replace it
        with page.expect_response(lambda r: r.url.startswith(app.url) and r.request.method == "POST") as sent:
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        assert sent.value.status == 403
        assert sent.value.request.header_value("origin") == "null"  # the browser hid where it came from
        versions = app.ctx.repo.programs()
        assert len(versions) == 1, "nothing was written"
    finally:
        context.close()
        server.shutdown()
        server.server_close()
