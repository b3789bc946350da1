"""Light resources: anyone drafts, a reviewer approves (the author credited), asks for
changes or declines with a reason."""

from __future__ import annotations

import pytest

from sylva.core.errors import ServiceError
from sylva.microlearning.models import Badge, Module
from sylva.microlearning.services import content
from sylva.people import verbs
from sylva.people.models import LearningEvent
from tests.microlearning.conftest import SAFETY

TIP = SAFETY.replace("code: safety-basics", "code: mon-astuce")


def _draft(org):  # type: ignore[no-untyped-def]
    return content.save_text(author=org.learner, user=org.learner.user, text=TIP, light=True)


def test_a_colleague_drafts_and_a_reviewer_approves_with_credit(org) -> None:  # type: ignore[no-untyped-def]
    module = _draft(org)
    assert module.status == Module.Status.DRAFT and module.is_light
    content.submit_resource(author=org.learner, module=module)
    content.review_resource(reviewer=org.designer, module=module, decision="approve")
    module.refresh_from_db()
    assert module.status == Module.Status.PUBLISHED and module.author == org.learner
    assert module.reviewed_by == org.designer
    event = LearningEvent.objects.get(verb=verbs.ADL_VERBS + "authored")
    assert event.actor == org.learner and event.object_name == module.title
    assert Badge.objects.filter(person=org.learner, code="author").exists()


@pytest.mark.parametrize("decision", ["changes", "decline"])
def test_asking_for_changes_or_declining_needs_a_reason(org, decision) -> None:  # type: ignore[no-untyped-def]
    module = _draft(org)
    content.submit_resource(author=org.learner, module=module)
    with pytest.raises(ServiceError) as caught:
        content.review_resource(reviewer=org.designer, module=module, decision=decision)
    assert caught.value.field == "note"
    module.refresh_from_db()
    assert module.status == Module.Status.SUBMITTED
    content.review_resource(
        reviewer=org.designer, module=module, decision=decision, note="Ajoutez une source."
    )
    module.refresh_from_db()
    assert module.review_note == "Ajoutez une source."
    assert module.status == ("changes" if decision == "changes" else "declined")


def test_nobody_reviews_their_own_resource_nor_edits_anothers(org) -> None:  # type: ignore[no-untyped-def]
    module = content.save_text(author=org.designer, user=org.designer.user, text=TIP, light=True)
    content.submit_resource(author=org.designer, module=module)
    with pytest.raises(ServiceError) as caught:
        content.review_resource(reviewer=org.designer, module=module, decision="approve")
    assert caught.value.status == 403
    with pytest.raises(ServiceError) as caught:
        content.save_text(author=org.learner, user=org.learner.user, text=TIP)
    assert caught.value.status == 403


def test_editing_keeps_cards_in_place(org, module) -> None:  # type: ignore[no-untyped-def]
    ids = list(module.cards.order_by("position").values_list("pk", flat=True))
    content.save_text(
        author=org.designer,
        user=org.designer.user,
        text=SAFETY.replace("Vérifiez les carters.", "Vérifiez les carters !"),
    )
    assert list(module.cards.order_by("position").values_list("pk", flat=True)) == ids
    assert content.export_text(module).count("## ") == 4
