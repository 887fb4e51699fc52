"""Signing in and out of a clinic: passwords, the second factor staff must use, sign-in sessions
and their timeouts, failed attempts slowed down, and an account's first password (from an
invitation). Every face calls these; the rules and the secrets are `security/`'s.

A sign-in session is a random token in a cookie; the database keeps only its digest. Each sign-in
makes a new token (the one the browser had before is revoked), so a token planted before signing in
is worth nothing after. Staff are only half signed in until their TOTP code (or a recovery code) is
checked; the first time, they set the code up and are shown their recovery codes once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from backcoach.core.access import STAFF, Actor, Role
from backcoach.core.errors import InvalidInput, NotSignedIn, TryLater
from backcoach.security import passwords, throttle, tokens, totp
from backcoach.security.session_rules import session_state
from backcoach.services.context import App
from backcoach.storage.accounts import AccountRecord, LoginRecord

ISSUER = "backcoach"
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often (a write per read is dear)
WRONG = "That email address and password do not match an account."  # the same for every reason
WRONG_CODE = "That code did not work. Check the time on your phone and try again."


@dataclass(frozen=True)
class SignedIn:
    token: str  # for the cookie; never stored
    second_factor: str | None  # "setup" (staff with no code yet), "code", or None: fully signed in


@dataclass(frozen=True)
class Login:
    """A live sign-in session, as a request sees it."""

    id: int
    account: AccountRecord
    second_factor_done: bool

    @property
    def actor(self) -> Actor:
        a = self.account
        return Actor(Role(a.role), a.person_id, a.id, a.clinic_id, a.email)

    @property
    def needs_second_factor(self) -> bool:
        return Role(self.account.role) in STAFF and not self.second_factor_done


def fold_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    folded = fold_email(email)
    name, at, domain = folded.partition("@")
    if not at or not name or "." not in domain or len(folded) > 320 or any(ch.isspace() for ch in folded):
        raise InvalidInput("email", "give an email address, like name@example.org")
    return folded


def check_password(password: str, *, email: str, name: str) -> None:
    problem = passwords.password_problem(password, user_inputs=(email, name))
    if problem is not None:
        raise InvalidInput("password", problem, problem)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def wait_after_failures(app: App, *keys: str) -> None:
    now = app.now()
    waits = [throttle.retry_after(*app.database.accounts.failures(key), now) for key in keys]
    longest = max(waits, default=timedelta(0))
    if longest > timedelta(0):
        raise TryLater(max(1, int(longest.total_seconds() + 0.999)))


def count_failure(app: App, *keys: str) -> None:
    for key in keys:
        app.database.accounts.add_failure(key, app.now())


def sign_in(app: App, email: str, password: str, address: str, old_token: str | None = None) -> SignedIn:
    """A new sign-in session for the right email and password; InvalidInput (one message for every
    wrong answer, so it tells nobody who has an account) or TryLater after failures."""
    accounts = app.database.accounts
    folded = fold_email(email)
    keys = (f"account:{folded}", f"address:{address}")
    wait_after_failures(app, *keys)
    account = accounts.by_email(folded)
    if account is None or account.password_hash is None:
        passwords.dummy_verify()  # the same time as a real check: timing tells nothing either
        ok, upgraded = False, None
    else:
        ok, upgraded = passwords.verify_password(password, account.password_hash)
    if account is None or not ok or account.disabled:
        count_failure(app, *keys)
        _audit(app, account, "sign_in_failed", address, detail=folded)
        raise InvalidInput("password", "wrong", WRONG)
    accounts.clear_failures(keys[0])
    if upgraded is not None:
        accounts.set_password_hash(account.id, upgraded)
    if old_token:
        revoke_token(app, old_token)
    token = tokens.new_session_token()
    staff = Role(account.role) in STAFF
    accounts.add_login(account.id, tokens.token_digest(token), app.now(), second_factor_done=not staff)
    _audit(app, account, "sign_in", address)
    step = None if not staff else ("code" if account.totp_confirmed else "setup")
    return SignedIn(token, step)


def current_login(app: App, token: str | None) -> Login | None:
    """The live sign-in session for this token: None when there is none, it was revoked, its
    account is disabled, or it has been idle or open too long (then it is revoked now)."""
    if not token:
        return None
    accounts = app.database.accounts
    found: LoginRecord | None = accounts.login(tokens.token_digest(token))
    if found is None or found.account.disabled:
        return None
    now = app.now()
    if session_state(found.created_at, found.last_seen_at, now, found.account.role) != "live":
        accounts.revoke(found.id, now)
        return None
    if now - found.last_seen_at >= TOUCH_EVERY:
        accounts.touch(found.id, now)
    return Login(found.id, found.account, found.second_factor_done)


def revoke_token(app: App, token: str) -> None:
    found = app.database.accounts.login(tokens.token_digest(token))
    if found is not None:
        app.database.accounts.revoke(found.id, app.now())


def sign_out(app: App, login: Login, address: str = "") -> None:
    app.database.accounts.revoke(login.id, app.now())
    _audit(app, login.account, "sign_out", address)


def sign_out_everywhere(app: App, login: Login, address: str = "") -> int:
    ended = app.database.accounts.revoke_all(login.account.id, app.now())
    _audit(app, login.account, "sign_out_everywhere", address, detail=f"{ended} sessions ended")
    return ended


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    uri: str
    qr_svg: str


def totp_setup(app: App, login: Login) -> TotpSetup:
    """A new secret to scan, for a staff account that has none confirmed yet (asked again, the same)."""
    account = login.account
    if account.totp_confirmed:
        raise InvalidInput("code", "already set up", "Your code is already set up.")
    secret = account.totp_secret
    if secret is None:
        secret = totp.new_totp_secret()
        app.database.accounts.set_totp_secret(account.id, secret)
    uri = totp.provisioning_uri(secret, account.email, ISSUER)
    return TotpSetup(secret, uri, totp.qr_svg(uri))


def second_factor(app: App, login: Login, code: str, address: str) -> list[str]:
    """Check a TOTP code (or a recovery code) and finish signing in. The first time, this confirms
    the set-up and gives back new recovery codes, to be shown once; later, an empty list."""
    accounts = app.database.accounts
    account = accounts.by_id(login.account.id)
    if account is None or account.totp_secret is None:
        raise NotSignedIn()
    keys = (f"code:{account.id}", f"address:{address}")
    wait_after_failures(app, *keys)
    now = app.now()
    step = totp.totp_step(account.totp_secret, code, _aware(now), account.totp_last_step)
    passed = step is not None and accounts.use_totp_step(account.id, step, now)
    if not passed and account.totp_confirmed:
        passed = accounts.use_recovery_code(account.id, tokens.token_digest(tokens.normalise_code(code)), now)
    if not passed:
        count_failure(app, *keys)
        _audit(app, account, "second_factor_failed", address)
        raise InvalidInput("code", "wrong", WRONG_CODE)
    accounts.clear_failures(keys[0])
    accounts.second_factor_done(login.id, now)
    _audit(app, account, "second_factor", address)
    if account.totp_confirmed:
        return []
    codes = tokens.new_recovery_codes()
    accounts.replace_recovery_codes(account.id, [tokens.token_digest(tokens.normalise_code(c)) for c in codes])
    return codes


def _audit(app: App, account: AccountRecord | None, action: str, address: str, detail: str = "") -> None:
    """Sign-ins go in the account's clinic's audit trail (an unknown name in no clinic's)."""
    if account is None:
        return
    app.database.clinic(account.clinic_id).audit(account.id, account.email, action, app.now(), None, detail, address)
