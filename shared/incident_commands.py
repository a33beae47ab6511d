"""The request/reply contract of manual incident changes: the api asks, a notifier
(the only writer of incidents) acknowledges or resolves and answers, so the HTTP
caller hears the outcome synchronously. A service never imports another, so the
contract lives here.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Struct

from shared.bounds import RefId, plain

SUBJECT = "upmon.incidents.command"
QUEUE = "notifier"
# A change is one short transaction; longer than this, the notifier is not answering.
TIMEOUT_S = 5.0

Action = Literal["acknowledge", "resolve"]
# done: applied, or already so (acknowledging an acknowledged incident, resolving a
# resolved one); conflict: acknowledging a resolved incident; invalid: a malformed
# command; unavailable: the notifier cannot reach Postgres.
Outcome = Literal["done", "not_found", "conflict", "invalid", "unavailable"]


class IncidentCommand(Struct, kw_only=True, forbid_unknown_fields=True):
    incident_id: RefId
    action: Action
    # Who asked, as the incident records it: "user:<name>" or "api-key:<name>".
    by: Annotated[str, plain(400, 1)]


class IncidentCommandReply(Struct, kw_only=True):
    outcome: Outcome
    detail: str | None = None


command_decoder = msgspec.json.Decoder(IncidentCommand)
reply_decoder = msgspec.json.Decoder(IncidentCommandReply)
