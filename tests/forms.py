"""Posting the app's HTML forms from tests as a browser does: with the hidden field a page of the
app gave this browser (and the cookie that came with it)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from weakref import WeakKeyDictionary

from fastapi.testclient import TestClient

from backcoach.web.form_tokens import FIELD

_TOKENS: WeakKeyDictionary[TestClient, str] = WeakKeyDictionary()
HIDDEN = re.compile(rf'<input type="hidden" name="{FIELD}" value="([^"]*)">')


def form_token(client: TestClient, page: str = "/screen") -> str:
    """The hidden field of a form on `page`, as this client's browser is given it."""
    shown = client.get(page)
    found = HIDDEN.search(shown.text)
    assert found is not None, f"no form token on {page}"
    return found.group(1)


def post_form(
    client: TestClient, path: str, data: Mapping[str, Any] | None = None, **kwargs: Any
) -> Any:  # the client's own Response type
    """POST a form with this browser's token, fetched once from a page with a form."""
    if client not in _TOKENS or client.cookies.get("backcoach_form") is None:
        _TOKENS[client] = form_token(client)
    return client.post(path, data={**(data or {}), FIELD: _TOKENS[client]}, **kwargs)
