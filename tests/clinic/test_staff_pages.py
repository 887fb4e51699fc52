"""The admin's pages: adding staff with a one-time invitation (shown once, working once), the list
of staff, disabling an account (its sign-ins end), and the audit trail with its CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from backcoach.services import clinic
from backcoach.services.context import App
from tests.clinic.helpers import PASSWORD, Riverside, riverside
from tests.forms import post_form

LINK = re.compile(r'<a class="invite-link" href="([^"]+)">')
CODE = re.compile(r'<p class="invite-code"><code>([^<]+)</code></p>')


@pytest.fixture
def place(app: App) -> Riverside:
    return riverside(app)


@pytest.fixture
def admin(place: Riverside) -> TestClient:
    return place.clinic.signed_in(place.admin)


def add_staff(admin: TestClient, name: str, email: str, role: str = "physio") -> tuple[str, str]:
    shown = post_form(admin, "/clinic/staff", {"name": name, "email": email, "role": role})
    assert shown.status_code == 200, shown.text
    link, code = LINK.search(shown.text), CODE.search(shown.text)
    assert link is not None and code is not None
    assert "shown only this once" in shown.text and "UTC" in shown.text  # and until when it works
    return link.group(1), code.group(1)


def join(browser: TestClient, path: str, token: str = "", code: str = "") -> int:
    page = browser.get(path)
    assert page.status_code == 200
    done = post_form(browser, "/join", {"token": token, "code": code, "password": PASSWORD, "again": PASSWORD})
    assert done.status_code in (303, 422)
    return done.status_code


def test_an_invitation_link_is_shown_once_and_works_once(place: Riverside, admin: TestClient) -> None:
    link, code = add_staff(admin, "Rosa Physio", "rosa@riverside.example")
    assert link.startswith("http://127.0.0.1/join?t=")
    assert code not in admin.get("/clinic/staff").text  # never shown again
    rosa = place.clinic.browser()
    token = link.split("?t=")[1]
    assert f'name="token" value="{token}"' in rosa.get(link).text
    assert join(rosa, link, token=token) == 303
    assert join(place.clinic.browser(), link, token=token) == 422  # used
    place.clinic.app.now.advance(minutes=5)  # type: ignore[attr-defined]  # past the wait a failure brings
    assert join(place.clinic.browser(), "/join", code=code) == 422  # the code of the same invitation too
    place.clinic.sign_in(rosa, "rosa@riverside.example")
    assert rosa.get("/clinic").status_code == 200
    listed = admin.get("/clinic/staff").text
    row = listed.split("rosa@riverside.example")[1].split("</tr>")[0]
    assert "Physiotherapist" in row and "Set up" in row and "Not set up" not in row


def test_the_short_code_works_instead_of_the_link(place: Riverside, admin: TestClient) -> None:
    _, code = add_staff(admin, "Ines Admin", "ines@riverside.example", role="admin")
    ines = place.clinic.browser()
    assert join(ines, "/join", code=code.lower()) == 303
    place.clinic.sign_in(ines, "ines@riverside.example")
    assert ines.get("/clinic/staff").status_code == 200  # an admin now


def test_the_staff_list_shows_every_account_as_text(place: Riverside, admin: TestClient) -> None:
    add_staff(admin, "<script>alert(1)</script>", "odd@riverside.example")
    listed = admin.get("/clinic/staff").text
    assert "<script>alert(1)</script>" not in listed and "&lt;script&gt;alert(1)&lt;/script&gt;" in listed
    for name in ("Admin Riverside", "Pat Physio", "Quinn Physio"):
        assert name in listed
    assert "Hal Physio" not in listed  # another clinic's
    odd = listed.split("odd@riverside.example")[1].split("</tr>")[0]
    assert "Not set up yet" in odd


def test_a_wrong_form_says_what_is_wrong_and_adds_nobody(place: Riverside, admin: TestClient) -> None:
    before = admin.get("/clinic/staff").text.count("<tr>")
    refused = post_form(admin, "/clinic/staff", {"name": "Tom", "email": "not an address", "role": "physio"})
    assert refused.status_code == 422 and "give an email address" in refused.text
    assert 'value="not an address"' in refused.text  # what was typed stays in the form
    taken = post_form(admin, "/clinic/staff", {"name": "Pat", "email": place.pat.email, "role": "physio"})
    assert taken.status_code == 422 and "already exists" in taken.text
    bad_role = post_form(admin, "/clinic/staff", {"name": "Tom", "email": "tom@riverside.example", "role": "patient"})
    assert bad_role.status_code == 422
    assert admin.get("/clinic/staff").text.count("<tr>") == before


def test_disabling_an_account_ends_its_sign_ins_and_is_audited(place: Riverside, admin: TestClient) -> None:
    quinn = place.clinic.signed_in(place.quinn)
    assert quinn.get("/clinic").status_code == 200
    done = post_form(admin, f"/clinic/staff/{place.quinn.public_id}/disable", {})
    assert done.headers["location"] == "/clinic/staff?disabled=1"
    assert quinn.get("/clinic").headers["location"] == "/sign-in"
    again = post_form(place.clinic.browser(), "/sign-in", {"email": place.quinn.email, "password": PASSWORD})
    assert again.status_code == 422
    row = admin.get("/clinic/staff").text.split(place.quinn.email)[1].split("</tr>")[0]
    assert "Disabled" in row and "<form" not in row
    assert place.quinn.email in admin.get("/clinic/audit?action=account_disabled").text


def test_an_admin_cannot_disable_themselves_nor_another_clinics_account(place: Riverside, admin: TestClient) -> None:
    mine = post_form(admin, f"/clinic/staff/{place.admin.public_id}/disable", {})
    assert mine.status_code == 422 and "your own account" in mine.text
    assert post_form(admin, f"/clinic/staff/{place.other_admin.public_id}/disable", {}).status_code == 404
    assert place.clinic.signed_in(place.other_admin).get("/clinic").status_code == 200


def test_the_audit_trail_newest_first_filtered_and_as_csv(place: Riverside, admin: TestClient) -> None:
    pat = place.clinic.signed_in(place.pat)
    maya = place.maya.public_id
    assert pat.get(f"/clinic/patients/{maya}").status_code == 200  # a read of her record: audited
    page = admin.get("/clinic/audit").text
    actions = re.findall(r"</td><td>([a-z_]+)</td><td>", page)
    assert actions[0] == "read_record" and actions[-1] == "clinic_created"
    assert "bo@hilltop.example" not in page  # another clinic's trail
    reads = admin.get(f"/clinic/audit?action=read_record&who=PAT@&patient={maya}").text
    assert re.findall(r"</td><td>([a-z_]+)</td><td>", reads) == ["read_record"]
    assert f'href="/clinic/audit.csv?action=read_record&amp;who=PAT%40&amp;patient={maya}"' in reads
    got = admin.get(f"/clinic/audit.csv?action=read_record&who=PAT@&patient={maya}")
    assert got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"].startswith("attachment; filename=")
    rows = list(csv.reader(io.StringIO(got.text)))
    assert rows[0][:3] == ["at (UTC)", "who", "action"]
    assert [r[1:4] for r in rows[1:]] == [[place.pat.email, "read_record", maya]]
    assert len(list(csv.reader(io.StringIO(admin.get("/clinic/audit.csv").text)))) == len(actions) + 1
    assert "Nothing matches." in admin.get("/clinic/audit?action=no_such_thing").text


def test_a_cell_a_spreadsheet_would_run_is_escaped_in_the_csv(place: Riverside, admin: TestClient) -> None:
    add_staff(admin, "Formula", "=1+2@riverside.example")
    formula = next(a for a in clinic.staff(place.clinic.app, place.admin.actor) if a.email[0] == "=")
    post_form(admin, f"/clinic/staff/{formula.public_id}/disable", {})
    got = admin.get("/clinic/audit.csv?action=account_disabled").text
    rows = list(csv.reader(io.StringIO(got)))
    assert rows[1][2:5] == ["account_disabled", "", "'=1+2@riverside.example"]
    assert "<td>=1+2@riverside.example</td>" in admin.get("/clinic/audit?action=account_disabled").text
