"""Around the exchanges: newcomers' first week, live fairs, reminders and reconfirmation,
the reciprocity panel, `sylva match`."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.exchange import tasks
from sylva.exchange.models import Exchange, MatchRun
from sylva.exchange.services import board, fairs, reminders, welcome
from sylva.notifications.services import sending
from tests.exchange.conftest import held, scheduled
from tests.factories import make_person


def test_a_newcomer_s_first_week_proposes_three_exchanges_across_departments(xboard) -> None:
    org = xboard.org
    # three more teachers in other departments than the newcomer's (production)
    for i, skill in enumerate(["excel", "facilitation", "machine-safety"]):
        teacher = make_person(f"hr{i}", team=org.people_team)
        board.publish_offer(person=teacher, skill_codes=[skill], levels={skill: 4})
        board.publish_request(person=teacher, skill_codes=["extrusion-setup"])
    newcomer = make_person("fresh", team=org.extrusion, hire_date=date.today() - timedelta(days=2))
    board.publish_request(person=newcomer, skill_codes=["facilitation"])
    made = welcome.welcome_newcomer(person=newcomer)
    assert len(made) == 3
    assert all(x.teacher.team.department_id != org.prod.pk for x in made)
    assert all(x.origin == "newcomer" and x.state == "proposed" for x in made)
    assert not any(x.teacher_accepted or x.learner_accepted for x in made)  # nobody is forced
    assert made[0].skill == org.facilitation  # what they asked for comes first
    assert welcome.welcome_newcomer(person=newcomer) == []  # once


def test_no_welcome_after_the_first_week(xboard) -> None:
    assert welcome.welcome_newcomer(person=xboard.org.newcomer) == []  # hired 10 days ago


def test_the_fair_fills_in_live_and_ends_with_a_summary(xboard) -> None:
    org = xboard.org
    fair = fairs.open_fair(animator=org.animator, title="Bourse de Lyon", site=org.lyon)
    board.publish_offer(
        person=org.expert, skill_codes=["machine-safety"], fair=fair, levels={"machine-safety": 3}
    )
    wanted = board.publish_request(person=org.learner, skill_codes=["machine-safety"], fair=fair)
    learner = Client()
    learner.force_login(org.learner.user)
    live = learner.get(f"/exchange/fairs/{fair.pk}/live/")
    assert live.context["matches"] and live.context["matches"][0][0] == wanted
    offer = live.context["matches"][0][1].offer
    learner.post(f"/exchange/fairs/{fair.pk}/match/", {"request": wanted.pk, "offer": offer.pk})
    x = Exchange.objects.get(fair=fair)
    assert x.origin == "fair" and x.learner_accepted
    paired = fairs.pair_by_hand(
        animator=org.animator, fair=fair, teacher=org.learner, learner=org.expert, skill=org.excel
    )
    assert paired.origin == "animator" and not paired.teacher_accepted
    fairs.close_fair(fair=fair)
    summary = fairs.summary(fair)
    assert (summary.people, summary.offers, summary.requests, summary.exchanges) == (2, 1, 1, 2)
    with pytest.raises(ServiceError):
        fairs.pair_by_hand(
            animator=org.animator,
            fair=fair,
            teacher=org.expert,
            learner=org.learner,
            skill=org.safety,
        )


def test_only_animators_open_fairs(client: Client, org) -> None:
    client.force_login(org.learner.user)
    client.post("/exchange/fairs/", {"title": "Ma bourse", "minutes": 60})
    from sylva.exchange.models import Fair

    assert not Fair.objects.exists()
    client.force_login(org.animator.user)
    response = client.post("/exchange/fairs/", {"title": "Bourse", "minutes": 60})
    assert response.status_code == 302 and Fair.objects.get().is_open


def test_reminders_ask_to_reconfirm_the_day_before_and_to_review_after(
    xboard, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for p in (xboard.org.expert, xboard.org.learner):
        p.user.email = f"{p.user.username}@example.org"
        p.user.save()
    x = scheduled(xboard, when=timedelta(hours=20))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind() == {"before": 1, "after": 0, "fairs": 0}
        assert reminders.remind() == {"before": 0, "after": 0, "fairs": 0}  # idempotent
    sending.send_due()
    assert len([m for m in mail.outbox if m.subject.startswith("Demain")]) == 2  # both, once
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind() == {"before": 0, "after": 1, "fairs": 0}


def test_the_background_tasks_run(xboard) -> None:
    run_id = tasks.run_matching.call()
    assert MatchRun.objects.filter(pk=run_id).exists()
    assert tasks.expire_requests.call() == 0
    assert tasks.welcome_newcomers.call() == 0


def test_sylva_match_prints_the_run(xboard) -> None:
    out = StringIO()
    call_command("match", stdout=out)
    text = out.getvalue()
    assert "open requests" in text and "reciprocity cycles" in text
    assert MatchRun.objects.count() == 1


def test_my_profile_shows_my_balance_and_a_nudge_when_i_only_receive(xboard) -> None:
    held(xboard)
    learner = Client()
    learner.force_login(xboard.org.learner.user)
    page = learner.get(f"/people/{xboard.org.learner.pk}/").content.decode()
    assert 'id="reciprocity"' in page and "nudge" in page
    expert = Client()
    expert.force_login(xboard.org.expert.user)
    page = expert.get(f"/people/{xboard.org.expert.pk}/").content.decode()
    assert 'id="reciprocity"' in page and "nudge" not in page
    # someone else's profile shows what they can share, never their balance
    other = expert.get(f"/people/{xboard.org.learner.pk}/").content.decode()
    assert 'id="reciprocity"' not in other
