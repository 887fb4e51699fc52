"""What makes the web app installable and usable offline: the manifest, the service worker at
the root (so it may serve every page), and the icons browsers ask for by fixed names."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from backcoach import __version__

router = APIRouter(include_in_schema=False)
STATIC = resources.files("backcoach.web").joinpath("static")
THEME = "#1f5fbf"

MANIFEST = {
    "name": "backcoach",
    "short_name": "backcoach",
    "description": "Safe, guided exercise for back pain. It guides exercise; it does not diagnose.",
    "start_url": "/",
    "scope": "/",
    "display": "standalone",
    "background_color": "#fbfaf7",
    "theme_color": THEME,
    "icons": [
        {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {"src": "/static/icons/maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        {"src": "/static/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"},
    ],
}


@router.get("/manifest.webmanifest")
def manifest() -> JSONResponse:
    return JSONResponse(MANIFEST, media_type="application/manifest+json")


@router.get("/sw.js")
def service_worker() -> Response:
    """Served from the root so that it controls every page; never cached by the browser's HTTP
    cache, so a new version is picked up on the next visit."""
    script = STATIC.joinpath("sw.js").read_text(encoding="utf-8").replace("__VERSION__", __version__)
    return Response(script, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/favicon.ico")
def favicon() -> Response:
    icon = STATIC.joinpath("icons", "favicon-32.png").read_bytes()
    return Response(icon, media_type="image/png", headers={"Cache-Control": "max-age=86400"})
