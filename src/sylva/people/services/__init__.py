"""Every write about people, their skills and the learning-event log, one module per use
case (keyword-only arguments; each runs in a transaction, validates its input, raising
:class:`~sylva.core.errors.ServiceError` with nothing changed, and records the learning
event that goes with it):

- :mod:`.events` — the learning-event log's one write path (``record_event``,
  ``build_event`` for bulk writers);
- :mod:`.profile` — one's own profile, skills and levels, wishes;
- :mod:`.organisation` — a person's place in the organisation (an administrator's act);
- :mod:`.tokens` — personal API tokens;
- :mod:`.accounts` — the person of an account, roles, language.

The names below are re-exported: ``from sylva.people.services import record_event`` is the
way every app calls them.
"""

from sylva.people.services.accounts import (
    assign_roles,
    ensure_person,
    give_first_roles,
    set_language,
)
from sylva.people.services.events import build_event, record_event, skill_iri
from sylva.people.services.organisation import ORG_PLACEMENT, check_manager, place_person
from sylva.people.services.profile import (
    SELF_EDITABLE,
    add_wish,
    check_level,
    remove_skill,
    remove_wish,
    set_skill,
    update_profile,
)
from sylva.people.services.tokens import (
    MAX_LIVE_TOKENS,
    TOKEN_LIFETIMES,
    TOKEN_PREFIX,
    authenticate_token,
    create_token,
    find_token,
    password_mark,
    revoke_stale_tokens,
    revoke_token,
    token_digest,
)

__all__ = [
    "MAX_LIVE_TOKENS",
    "ORG_PLACEMENT",
    "SELF_EDITABLE",
    "TOKEN_LIFETIMES",
    "TOKEN_PREFIX",
    "add_wish",
    "assign_roles",
    "authenticate_token",
    "build_event",
    "check_level",
    "check_manager",
    "create_token",
    "ensure_person",
    "find_token",
    "give_first_roles",
    "password_mark",
    "place_person",
    "record_event",
    "remove_skill",
    "remove_wish",
    "revoke_stale_tokens",
    "revoke_token",
    "set_language",
    "set_skill",
    "skill_iri",
    "token_digest",
    "update_profile",
]
