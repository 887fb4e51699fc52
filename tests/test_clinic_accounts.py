"""Signing in to a clinic, on an injected clock, on SQLite and PostgreSQL: the second factor staff
must use, sign-in sessions (rotation at sign-in, idle and absolute expiry, sign-out, sign-out
everywhere, disabling), growing waits after failures, and invitations that work once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

import pyotp
import pytest

from backcoach.core.access import Role
from backcoach.core.errors import InvalidInput, NotAllowed, TryLater
from backcoach.security.session_rules import timeouts_for
from backcoach.services import accounts, clinic
from backcoach.services.accounts import Login
from backcoach.services.context import App
from tests.conftest import MovableNow

PASSWORD = "correct horse battery staple"
ADDRESS = "203.0.113.7"


@dataclass
class Staff:
    email: str
    secret: str


def code_at(secret: str, now: MovableNow) -> str:
    return pyotp.TOTP(secret).at(now().replace(tzinfo=UTC))


def full_sign_in(app: App, now: MovableNow, email: str, secret: str | None = None) -> tuple[str, Login]:
    done = accounts.sign_in(app, email, PASSWORD, ADDRESS)
    login = accounts.current_login(app, done.token)
    assert login is not None
    if done.second_factor is not None:
        assert secret is not None
        now.advance(seconds=31)  # a new time step: each code works once
        accounts.second_factor(app, login, code_at(secret, now), ADDRESS)
        login = accounts.current_login(app, done.token)
        assert login is not None
    return done.token, login


@pytest.fixture
def admin(app: App, now: MovableNow) -> Staff:
    clinic.create_clinic(app, "Riverside Physio", "admin@riverside.example", "Ada Admin", PASSWORD)
    done = accounts.sign_in(app, "Admin@Riverside.example ", PASSWORD, ADDRESS)  # folded like the stored one
    assert done.second_factor == "setup"
    login = accounts.current_login(app, done.token)
    assert login is not None and login.needs_second_factor
    setup = accounts.totp_setup(app, login)
    assert setup.secret in setup.uri and setup.qr_svg.startswith("<svg")
    recovery = accounts.second_factor(app, login, code_at(setup.secret, now), ADDRESS)
    assert len(recovery) == 10 and len(set(recovery)) == 10  # shown once, at set-up
    return Staff("admin@riverside.example", setup.secret)


def test_staff_are_half_signed_in_until_their_code_works(app: App, now: MovableNow, admin: Staff) -> None:
    done = accounts.sign_in(app, admin.email, PASSWORD, ADDRESS)
    assert done.second_factor == "code"
    login = accounts.current_login(app, done.token)
    assert login is not None and login.needs_second_factor
    with pytest.raises(InvalidInput):
        accounts.second_factor(app, login, "000000", ADDRESS)
    now.advance(seconds=31)
    assert accounts.second_factor(app, login, code_at(admin.secret, now), ADDRESS) == []
    login = accounts.current_login(app, done.token)
    assert login is not None and not login.needs_second_factor and login.actor.role is Role.admin


def test_a_code_works_once(app: App, now: MovableNow, admin: Staff) -> None:
    first = accounts.current_login(app, accounts.sign_in(app, admin.email, PASSWORD, ADDRESS).token)
    second = accounts.current_login(app, accounts.sign_in(app, admin.email, PASSWORD, ADDRESS).token)
    assert first is not None and second is not None
    now.advance(seconds=31)
    code = code_at(admin.secret, now)
    accounts.second_factor(app, first, code, ADDRESS)
    with pytest.raises(InvalidInput):
        accounts.second_factor(app, second, code, ADDRESS)  # replayed: refused


def test_a_recovery_code_signs_in_once(app: App, now: MovableNow) -> None:
    clinic.create_clinic(app, "Riverside", "ada@riverside.example", "Ada", PASSWORD)
    done = accounts.sign_in(app, "ada@riverside.example", PASSWORD, ADDRESS)
    login = accounts.current_login(app, done.token)
    assert login is not None
    setup = accounts.totp_setup(app, login)
    codes = accounts.second_factor(app, login, code_at(setup.secret, now), ADDRESS)
    for attempt in range(2):
        now.advance(seconds=120)  # past any wait after the failure below
        again = accounts.current_login(app, accounts.sign_in(app, "ada@riverside.example", PASSWORD, ADDRESS).token)
        assert again is not None
        if attempt == 0:
            accounts.second_factor(app, again, codes[0].lower(), ADDRESS)  # typed loosely: still the code
        else:
            with pytest.raises(InvalidInput):
                accounts.second_factor(app, again, codes[0], ADDRESS)


def test_signing_in_makes_a_new_token_and_ends_the_old_one(app: App, now: MovableNow, admin: Staff) -> None:
    old, _ = full_sign_in(app, now, admin.email, admin.secret)
    new = accounts.sign_in(app, admin.email, PASSWORD, ADDRESS, old_token=old)
    assert new.token != old
    assert accounts.current_login(app, old) is None


def test_idle_and_absolute_expiry(app: App, now: MovableNow, admin: Staff) -> None:
    idle, absolute = timeouts_for("admin")
    token, _ = full_sign_in(app, now, admin.email, admin.secret)
    now.advance(seconds=idle.total_seconds() - 5)
    assert accounts.current_login(app, token) is not None  # seen just in time: idle again from now
    now.advance(seconds=idle.total_seconds())
    assert accounts.current_login(app, token) is None  # idle too long
    token, _ = full_sign_in(app, now, admin.email, admin.secret)
    steps = int(absolute / (idle / 2))
    for _ in range(steps - 1):
        now.advance(seconds=idle.total_seconds() / 2)
        assert accounts.current_login(app, token) is not None
    now.advance(seconds=idle.total_seconds() / 2)
    assert accounts.current_login(app, token) is None  # open too long, however busy


def test_sign_out_and_sign_out_everywhere(app: App, now: MovableNow, admin: Staff) -> None:
    one, login = full_sign_in(app, now, admin.email, admin.secret)
    accounts.sign_out(app, login)
    assert accounts.current_login(app, one) is None
    tokens = [full_sign_in(app, now, admin.email, admin.secret)[0] for _ in range(3)]
    current = accounts.current_login(app, tokens[0])
    assert current is not None
    assert accounts.sign_out_everywhere(app, current) == 4  # and the one the fixture signed in with
    assert all(accounts.current_login(app, t) is None for t in tokens)


def test_wrong_passwords_wait_longer_and_longer_but_never_lock_out(app: App, now: MovableNow, admin: Staff) -> None:
    waits = []
    for _ in range(8):
        with pytest.raises(InvalidInput) as wrong:
            accounts.sign_in(app, admin.email, "not the password at all", ADDRESS)
        assert str(wrong.value) == accounts.WRONG
        with pytest.raises(TryLater) as early:
            accounts.sign_in(app, admin.email, PASSWORD, ADDRESS)
        waits.append(early.value.retry_after)
        now.advance(seconds=early.value.retry_after)
    assert waits == sorted(waits) and waits[0] == 1 and waits[-1] > waits[0]
    assert max(waits) <= 60
    full_sign_in(app, now, admin.email, admin.secret)  # the right password still works after the wait


def test_an_unknown_email_gets_the_same_answer_and_the_same_wait(app: App, now: MovableNow, admin: Staff) -> None:
    with pytest.raises(InvalidInput) as unknown:
        accounts.sign_in(app, "nobody@riverside.example", PASSWORD, "198.51.100.1")
    with pytest.raises(InvalidInput) as wrong:
        accounts.sign_in(app, admin.email, "wrong wrong wrong", "198.51.100.2")
    assert str(unknown.value) == str(wrong.value)
    with pytest.raises(TryLater):
        accounts.sign_in(app, "nobody@riverside.example", PASSWORD, "198.51.100.3")


def test_disabling_an_account_ends_its_sessions(app: App, now: MovableNow, admin: Staff) -> None:
    _, login = full_sign_in(app, now, admin.email, admin.secret)
    invite = clinic.add_staff(app, login.actor, "physio", "pat@riverside.example", "Pat Physio")
    clinic.accept_invitation(app, invite.token, PASSWORD)
    token = accounts.sign_in(app, "pat@riverside.example", PASSWORD, ADDRESS).token
    assert accounts.current_login(app, token) is not None
    clinic.disable_staff(app, login.actor, invite.account.public_id)
    assert accounts.current_login(app, token) is None
    now.advance(seconds=5)
    with pytest.raises(InvalidInput):
        accounts.sign_in(app, "pat@riverside.example", PASSWORD, ADDRESS)


def test_an_invitation_works_once_and_not_after_it_expires(app: App, now: MovableNow, admin: Staff) -> None:
    _, login = full_sign_in(app, now, admin.email, admin.secret)
    _, invite = clinic.invite_patient(app, login.actor, "Maya Patel", "maya@example.org")
    with pytest.raises(InvalidInput):
        clinic.accept_invitation(app, invite.token, "maya")  # too short: nothing used up
    clinic.accept_invitation(app, invite.code.lower().replace("-", " "), PASSWORD)  # the code, typed loosely
    with pytest.raises(InvalidInput):
        clinic.accept_invitation(app, invite.token, "another good passphrase here")
    patient = accounts.sign_in(app, "maya@example.org", PASSWORD, ADDRESS)
    assert patient.second_factor is None  # patients sign in with a password alone
    _, late = clinic.invite_patient(app, login.actor, "Sam Lee", "sam@example.org")
    now.advance(days=8)
    with pytest.raises(InvalidInput):
        clinic.accept_invitation(app, late.token, PASSWORD)


def test_only_admins_manage_staff(app: App, now: MovableNow, admin: Staff) -> None:
    _, login = full_sign_in(app, now, admin.email, admin.secret)
    invite = clinic.add_staff(app, login.actor, "physio", "pat@riverside.example", "Pat Physio")
    clinic.accept_invitation(app, invite.token, PASSWORD)
    physio = accounts.current_login(app, accounts.sign_in(app, "pat@riverside.example", PASSWORD, ADDRESS).token)
    assert physio is not None
    with pytest.raises(NotAllowed):
        clinic.add_staff(app, physio.actor, "admin", "eve@riverside.example", "Eve")
    with pytest.raises(NotAllowed):
        clinic.audit_trail(app, physio.actor)


def test_a_new_invitation_ends_the_one_before(app: App, now: MovableNow, admin: Staff) -> None:
    _, login = full_sign_in(app, now, admin.email, admin.secret)
    patient, first = clinic.invite_patient(app, login.actor, "Maya Patel", "maya@example.org")
    physio = clinic.add_staff(app, login.actor, "physio", "pat@riverside.example", "Pat Physio")
    clinic.accept_invitation(app, physio.token, PASSWORD)
    pat = accounts.current_login(app, accounts.sign_in(app, "pat@riverside.example", PASSWORD, ADDRESS).token)
    assert pat is not None
    clinic.add_to_care_team(app, login.actor, patient.public_id, physio.account.public_id)
    second = clinic.reinvite(app, pat.actor, patient.public_id)
    now.advance(seconds=1)
    with pytest.raises(InvalidInput):
        clinic.accept_invitation(app, first.token, PASSWORD)  # the earlier link no longer works
    now.advance(seconds=2)  # past the wait after that failed try
    clinic.accept_invitation(app, second.code, PASSWORD)
