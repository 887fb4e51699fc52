"""Every route of the clinic's web app, pages and API, asked by everyone: nobody signed in, a
patient, another patient, a physiotherapist in the care team, one of the same clinic outside it,
one of another clinic, an admin, and another clinic's admin.

The routes are read from the app itself, with what each depends on (a patient's own record, a
staff member, anyone signed in, nobody), so a new route is in the matrix the day it is added. For a
route that names a patient, whoever the policy refuses gets exactly the answer they would get for a
patient who does not exist: nothing tells them that this one does.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import pyotp
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from backcoach.core.access import Action, allowed
from backcoach.services import accounts, clinic
from backcoach.services.context import App
from backcoach.web import deps
from backcoach.web.app import create_app
from backcoach.web.deps import SESSION_COOKIE
from backcoach.web.form_tokens import FIELD, FormTokens
from tests.conftest import MovableNow
from tests.forms import HIDDEN
from tests.test_clinic_access import staff_actor

PASSWORD = "correct horse battery staple"
PATIENT_PARAMS = {"public_id", "patient_id"}  # a path naming a patient of the clinic
OTHER_PARAMS = {"session_id": "1", "activity_id": "1", "exercise_id": "bridge", "lesson_id": "flare-up-plan"}
WHO = (
    "nobody",
    "the patient",
    "another patient",
    "physio in the care team",
    "physio outside the care team",
    "physio of another clinic",
    "admin",
    "admin of another clinic",
)
STAFF = {w for w in WHO if "physio" in w or "admin" in w}
ADMINS = {"admin", "admin of another clinic"}
# The staff pages for admins only (running the clinic): a physiotherapist is refused them (403),
# whatever they name. Every other staff page is every staff member's.
ADMIN_ONLY = {
    "/clinic/staff",
    "/clinic/staff/{account_id}/disable",
    "/clinic/audit",
    "/clinic/audit.csv",
    "/clinic/thresholds",
    "/clinic/patients/{public_id}/care-team",
    "/clinic/patients/{public_id}/delete",
}
PATIENTS = {"the patient", "another patient"}


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    needs: str  # "patient" (their own record), "staff", "signed in", or "nobody"

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def names_a_patient(self) -> bool:
        return any("{" + p + "}" in self.path for p in PATIENT_PARAMS)


def _calls(dependant: Any) -> set[Any]:
    found = {dependant.call}
    for inner in dependant.dependencies:
        found |= _calls(inner)
    return found


def routes_of(web: Any) -> Iterator[Route]:
    for context in iter_route_contexts(web.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or context.path is None:
            continue
        calls = _calls(route.dependant)
        needs = (
            "patient"
            if deps.get_scope in calls
            else "staff"
            if deps.get_staff in calls
            else "signed in"
            if deps.get_actor in calls or deps.signed_in in calls
            else "nobody"
        )
        for method in sorted((route.methods or set()) - {"HEAD"}):
            yield Route(method, context.path, needs)


def browser(app: App) -> TestClient:
    web = create_app(lambda: app, form_tokens=FormTokens(secure_cookie=True), clinic=True)
    return TestClient(web, base_url="https://127.0.0.1", follow_redirects=False)


def signed_in(app: App, now: MovableNow, email: str | None) -> TestClient:
    client = browser(app)
    if email is None:
        return client
    done = accounts.sign_in(app, email, PASSWORD, "127.0.0.1")
    login = accounts.current_login(app, done.token)
    assert login is not None
    if done.second_factor is not None:
        secret = login.account.totp_secret or accounts.totp_setup(app, login).secret
        now.advance(seconds=31)
        accounts.second_factor(app, login, pyotp.TOTP(secret).at(now().replace(tzinfo=UTC)), "127.0.0.1")
    client.cookies.set(SESSION_COOKIE, done.token, domain="127.0.0.1")
    return client


@dataclass
class Clinics:
    clients: dict[str, TestClient]
    patient_id: str  # the patient's public id
    nobody_id: str  # a public id that names nobody


@pytest.fixture
def clinics(app: App, now: MovableNow) -> Clinics:
    emails: dict[str, str | None] = {"nobody": None}
    for name in ("home", "away"):
        clinic.create_clinic(app, name.title(), f"admin@{name}.example", "Admin", PASSWORD)
        admin = staff_actor(app, f"admin@{name}.example")
        for physio in ("pat", "quinn"):
            invite = clinic.add_staff(app, admin, "physio", f"{physio}@{name}.example", physio.title())
            clinic.accept_invitation(app, invite.token, PASSWORD)
    pat = staff_actor(app, "pat@home.example")
    patient, invite = clinic.invite_patient(app, pat, "Maya Patel", "maya@example.org")
    clinic.accept_invitation(app, invite.token, PASSWORD)
    _, other = clinic.invite_patient(app, staff_actor(app, "quinn@home.example"), "Ben Ode", "ben@example.org")
    clinic.accept_invitation(app, other.token, PASSWORD)
    emails |= {
        "the patient": "maya@example.org",
        "another patient": "ben@example.org",
        "physio in the care team": "pat@home.example",
        "physio outside the care team": "quinn@home.example",
        "physio of another clinic": "pat@away.example",
        "admin": "admin@home.example",
        "admin of another clinic": "admin@away.example",
    }
    clients = {who: signed_in(app, now, email) for who, email in emails.items()}
    return Clinics(clients, patient.public_id, str(uuid.uuid4()))


def concrete(path: str, patient_id: str) -> str:
    def fill(found: re.Match[str]) -> str:
        name = found.group(1)
        return patient_id if name in PATIENT_PARAMS else OTHER_PARAMS.get(name, patient_id)

    return re.sub(r"\{([a-z_]+)(?::[a-z]+)?\}", fill, path)


def ask(client: TestClient, route: Route, path: str) -> Any:
    if route.method == "GET":
        return client.get(path)
    if route.api:
        return client.request(route.method, path, json={})
    page = client.get("/sign-in") if SESSION_COOKIE not in client.cookies else client.get("/settings")
    token = HIDDEN.search(page.text)
    return client.request(route.method, path, data={FIELD: token.group(1) if token else ""})


def refused_for_nobody(route: Route, answer: Any) -> bool:
    if route.api:
        return bool(answer.status_code == 401)
    return bool(answer.status_code == 303 and answer.headers["location"] == "/sign-in")


def test_every_route_answers_each_role_as_the_policy_says(app: App, clinics: Clinics) -> None:
    web_routes = list(routes_of(clinics.clients["nobody"].app))
    assert {r.needs for r in web_routes} >= {"patient", "staff", "nobody"}
    checked = 0
    for route in web_routes:
        if route.path in ("/sign-out", "/sign-out-everywhere"):
            continue  # each would end the session the rest of the matrix uses: tested on their own
        path = concrete(route.path, clinics.patient_id)
        for who in WHO:
            answer = ask(clinics.clients[who], route, path)
            where = (route.method, route.path, who, answer.status_code)
            assert answer.status_code < 500, where
            if route.needs == "nobody":
                continue
            if who == "nobody":
                assert refused_for_nobody(route, answer), where
            elif route.needs == "patient":
                assert (answer.status_code == 403) is (who in STAFF), where
            elif route.needs == "staff":
                if who in PATIENTS:
                    assert answer.status_code == 403, where
                elif route.path in ADMIN_ONLY and who not in ADMINS:
                    # refused, or (naming a patient) not found or the form asked again: never done
                    assert answer.status_code in ((403, 404, 422) if route.names_a_patient else (403,)), where
                else:
                    assert answer.status_code != 403, where
            checked += 1
    assert checked > 100


def test_a_route_naming_a_patient_tells_nothing_to_whoever_may_not_see_them(app: App, clinics: Clinics) -> None:
    """For the actors the policy refuses, the patient's id and a made-up one get the same answer."""
    naming = [r for r in routes_of(clinics.clients["nobody"].app) if r.names_a_patient]
    assert naming, "the clinic has pages for one patient"
    for route in naming:
        for who in WHO[1:]:
            client = clinics.clients[who]
            real = ask(client, route, concrete(route.path, clinics.patient_id))
            made_up = ask(client, route, concrete(route.path, clinics.nobody_id))
            assert made_up.status_code in (403, 404), (route, who, made_up.status_code)
            if real.status_code in (403, 404):
                assert (real.status_code, real.text) == (made_up.status_code, made_up.text), (route, who)
        care_team = ask(clinics.clients["physio in the care team"], route, concrete(route.path, clinics.patient_id))
        outside = ask(clinics.clients["physio outside the care team"], route, concrete(route.path, clinics.patient_id))
        assert outside.status_code in (403, 404) and care_team.status_code != 404, route


def test_the_policy_decides_who_reads_a_record() -> None:
    """The matrix above leans on these lines of the policy (checked in full in test_clinic_access)."""
    from tests.test_clinic_access import ACTORS, PATIENT

    assert allowed(ACTORS["physio in the care team"], Action.read_record, PATIENT)
    assert not allowed(ACTORS["physio outside the care team"], Action.read_record, PATIENT)
    assert not allowed(ACTORS["admin of another clinic"], Action.read_record, PATIENT)
