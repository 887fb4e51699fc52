"""The physiotherapist's home: the list of patients (searched, filtered, paged by `services.roster`),
and the admin's page for the clinic's alert thresholds. These only parse and render."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.core.access import Actor, Role
from backcoach.core.alerts import AlertTier
from backcoach.core.errors import InvalidInput
from backcoach.services import clinic, roster, thresholds
from backcoach.services.context import App
from backcoach.services.roster import Filters, Line
from backcoach.web.clinic.common import TEXT
from backcoach.web.deps import AppDep, StaffDep, client_address
from backcoach.web.pages import page

router = APIRouter(include_in_schema=False)
TIERS = ("critical", "high", "low", "none")
SPARK_WIDTH, SPARK_HEIGHT = 64, 20
MOST_PAGES = 10_000


@dataclass(frozen=True)
class Spark:
    """A tiny line of the latest worst pains, with the same facts in words for everyone."""

    points: str
    words: str
    arrow: str


def spark(line: Line) -> Spark | None:
    scores = [p.score for p in line.pains]
    if not scores:
        return None
    step = SPARK_WIDTH / max(1, len(scores) - 1)
    points = " ".join(
        f"{i * step:.0f},{SPARK_HEIGHT - 2 - s * (SPARK_HEIGHT - 4) / 10:.0f}" for i, s in enumerate(scores)
    )
    change = scores[-1] - scores[0]
    arrow = "rising" if change > 0 else "falling" if change < 0 else "steady"
    words = f"Worst pain at the last {len(scores)} check-ins: {', '.join(map(str, scores))} out of 10 ({arrow})"
    return Spark(points, words, arrow)


def _filters(request: Request) -> tuple[Filters, str | None]:
    q = request.query_params
    error = None
    tier_text = q.get("tier", "").strip()
    if tier_text and tier_text not in TIERS:
        error, tier_text = "Choose a tier from the list: critical, high, low or none.", ""
    page_text = q.get("page", "1").strip()
    if not (page_text.isascii() and page_text.isdigit()) or not 1 <= int(page_text) <= MOST_PAGES:
        error, page_text = error or "The page number must be a whole number from 1.", "1"
    tier = AlertTier(tier_text) if tier_text in ("critical", "high", "low") else None
    filters = Filters(
        search=q.get("q", "").strip()[:200],
        tier=tier,
        none_open=tier_text == "none",
        open_only=q.get("open") == "1",
        not_joined=q.get("notjoined") == "1",
        page=int(page_text),
    )
    return filters, error


def _link(filters: Filters, page_number: int) -> str:
    tier = "none" if filters.none_open else (filters.tier.value if filters.tier else "")
    values = {"q": filters.search, "tier": tier, "open": "1" if filters.open_only else "", "page": str(page_number)}
    values["notjoined"] = "1" if filters.not_joined else ""
    return "/clinic?" + urlencode({k: v for k, v in values.items() if v})


@router.get("/clinic", response_class=HTMLResponse)
def clinic_home(request: Request, app: AppDep, actor: StaffDep) -> HTMLResponse:
    filters, error = _filters(request)
    found = roster.roster(app, actor, filters, address=client_address(request))
    # An admin runs the clinic: everyone's name and place in it, but records only in their care teams.
    everyone = clinic.patients(app, actor) if actor.role is Role.admin else []
    links = {
        "previous": _link(filters, found.page - 1) if found.page > 1 else None,
        "next": _link(filters, found.page + 1) if found.page < found.pages else None,
    }
    lines = [(line, spark(line)) for line in found.lines]
    tier = "none" if filters.none_open else (filters.tier.value if filters.tier else "")
    return page(
        request,
        "clinic/home.html",
        422 if error else 200,
        actor=actor,
        roster=found,
        lines=lines,
        everyone=everyone,
        filters=filters,
        tier=tier,
        tiers=TIERS,
        links=links,
        error=error,
        spark_size=(SPARK_WIDTH, SPARK_HEIGHT),
    )


def _thresholds_page(
    request: Request,
    app: App,
    actor: Actor,
    status: int = 200,
    error: str | None = None,
    saved: bool = False,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    """The form; after bad input, with what was typed (nothing was stored)."""
    fields = thresholds.threshold_fields(app, actor)
    typed = form or {f.name: str(f.value) for f in fields}
    return page(request, "clinic/thresholds.html", status, fields=fields, typed=typed, error=error, saved=saved)


@router.get("/clinic/thresholds", response_class=HTMLResponse)
def thresholds_form(request: Request, app: AppDep, actor: StaffDep) -> HTMLResponse:
    return _thresholds_page(request, app, actor, saved=request.query_params.get("saved") == "1")


@router.post("/clinic/thresholds", response_class=HTMLResponse)
def thresholds_change(
    request: Request,
    app: AppDep,
    actor: StaffDep,
    engagement_low_hours: TEXT = "",
    engagement_high_days: TEXT = "",
    engagement_dropped_days: TEXT = "",
    pain_watch_level: TEXT = "",
    pain_watch_rise: TEXT = "",
    pain_act_rise: TEXT = "",
    pain_critical: TEXT = "",
    function_drop: TEXT = "",
) -> Response:
    values = {
        "engagement_low_hours": engagement_low_hours,
        "engagement_high_days": engagement_high_days,
        "engagement_dropped_days": engagement_dropped_days,
        "pain_watch_level": pain_watch_level,
        "pain_watch_rise": pain_watch_rise,
        "pain_act_rise": pain_act_rise,
        "pain_critical": pain_critical,
        "function_drop": function_drop,
    }
    try:
        thresholds.set_thresholds(app, actor, values, client_address(request))
    except InvalidInput as error:
        return _thresholds_page(request, app, actor, 422, error=str(error), form=values)
    return RedirectResponse("/clinic/thresholds?saved=1", status_code=303)
