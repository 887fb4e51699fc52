"""A clinic in a test database, and browsers (test clients) signed in to it through its pages, as
people sign in: a password, then for staff the code an authenticator app would show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC

import pyotp
from fastapi.testclient import TestClient

from backcoach.core.access import Actor, Role
from backcoach.services import clinic
from backcoach.services.context import App, Scope
from backcoach.web.app import create_app
from tests.forms import post_form

PASSWORD = "a long walk by the river"
KEY = re.compile(r'<code class="key">([A-Z2-7]+)</code>')


def totp_code(app: App, secret: str) -> str:
    """The code an authenticator app shows now, on the app's own clock."""
    return pyotp.TOTP(secret).at(app.now().replace(tzinfo=UTC))


@dataclass
class Person:
    email: str
    actor: Actor
    public_id: str  # the account's (staff) or the patient's own public id


class TestClinic:
    """A clinic's web app on `app`'s database; people are added through the use cases."""

    __test__ = False

    def __init__(self, app: App) -> None:
        self.app = app
        self.web = create_app(lambda: app, clinic=True)

    def browser(self) -> TestClient:
        return TestClient(self.web, base_url="http://127.0.0.1", follow_redirects=False)

    def _person(self, email: str, public_id: str) -> Person:
        account = self.app.database.accounts.by_email(email)
        assert account is not None
        return Person(
            email, Actor(Role(account.role), account.person_id, account.id, account.clinic_id, email), public_id
        )

    def new_clinic(self, name: str, email: str) -> Person:
        admin = clinic.create_clinic(self.app, name, email, "Admin " + name, PASSWORD)
        return self._person(email, admin.public_id)

    def staff(self, admin: Person, role: str, email: str, name: str) -> Person:
        invite = clinic.add_staff(self.app, admin.actor, role, email, name)
        clinic.accept_invitation(self.app, invite.token, PASSWORD)
        return self._person(email, invite.account.public_id)

    def patient(self, physio: Person, email: str, name: str, join: bool = True) -> Person:
        entry, invite = clinic.invite_patient(self.app, physio.actor, name, email)
        if join:
            clinic.accept_invitation(self.app, invite.token, PASSWORD)
        return self._person(email, entry.public_id)

    def own_scope(self, patient: Person) -> Scope:
        assert patient.actor.person_id is not None
        return Scope(self.app, patient.actor, patient.actor.person_id)

    def sign_in(self, browser: TestClient, who: Person | str, password: str = PASSWORD) -> TestClient:
        """Signed in through the pages: password, then (staff) the code, setting it up the first time."""
        email = who if isinstance(who, str) else who.email
        done = post_form(browser, "/sign-in", {"email": email, "password": password})
        assert done.status_code == 303, done.text
        if done.headers["location"] == "/sign-in/code":
            shown = browser.get("/sign-in/code")
            found = KEY.search(shown.text)
            account = self.app.database.accounts.by_email(email)
            assert account is not None and account.totp_secret is not None
            secret = found.group(1) if found else account.totp_secret
            self.app.now.advance(seconds=31)  # type: ignore[attr-defined]  # a code works once: the next step's
            coded = post_form(browser, "/sign-in/code", {"code": totp_code(self.app, secret)})
            assert coded.status_code in (200, 303), coded.text
        return browser

    def signed_in(self, who: Person | str) -> TestClient:
        return self.sign_in(self.browser(), who)


@dataclass
class Riverside:
    """Two clinics: Riverside (an admin, two physiotherapists, a patient in Pat's care team) and
    Hilltop (an admin and a patient of its own)."""

    clinic: TestClinic
    admin: Person
    pat: Person
    quinn: Person
    maya: Person
    other_admin: Person
    other_patient: Person


def riverside(app: App) -> Riverside:
    c = TestClinic(app)
    admin = c.new_clinic("Riverside", "ada@riverside.example")
    pat = c.staff(admin, "physio", "pat@riverside.example", "Pat Physio")
    quinn = c.staff(admin, "physio", "quinn@riverside.example", "Quinn Physio")
    maya = c.patient(pat, "maya@home.example", "Maya Patient")
    other_admin = c.new_clinic("Hilltop", "bo@hilltop.example")
    hill_physio = c.staff(other_admin, "physio", "hal@hilltop.example", "Hal Physio")
    other = c.patient(hill_physio, "nora@home.example", "Nora Patient")
    return Riverside(c, admin, pat, quinn, maya, other_admin, other)
