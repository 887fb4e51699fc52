"""What the clinic's pages share: form fields, the one-time invitation as a page shows it, and a
FHIR bundle as a download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from backcoach.core.notes import MAX_NOTE
from backcoach.services.clinic import Invite

TEXT = Annotated[str, Form(max_length=400)]
# A note longer than `MAX_NOTE` still reaches its use case, whose message says how long it may be.
NOTE_TEXT = Annotated[str, Form(max_length=2 * MAX_NOTE)]
FHIR_JSON = "application/fhir+json"


def fhir_download(bundle: str, day: str) -> Response:
    """A FHIR bundle as a file to save, named by the day it was made."""
    headers = {"Content-Disposition": f'attachment; filename="backcoach-fhir-{day}.json"'}
    return Response(bundle, media_type=FHIR_JSON, headers=headers)


@dataclass(frozen=True)
class Shown:
    """An invitation's link and code, shown once to whoever made it (neither is kept)."""

    link: str
    code: str
    expires_at: datetime
    name: str
    email: str


def shown(request: Request, invite: Invite) -> Shown:
    """The invitation with its link in full: this server's own address (as the browser reached it,
    through the clinic's https proxy) and /join?t=TOKEN."""
    link = f"{str(request.base_url).rstrip('/')}/join?t={invite.token}"
    return Shown(link, invite.code, invite.expires_at, invite.account.name, invite.account.email)
