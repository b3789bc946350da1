"""Workers racing for the same deliveries, on PostgreSQL (each worker its own connection,
all released at once): each message reaches the SMTP server exactly once."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from sylva.notifications.models import Delivery
from sylva.notifications.services import notify, sending
from tests.concurrency import ON_POSTGRES, at_once
from tests.factories import Org
from tests.notifications.servers import SMTPServer

pytestmark = ON_POSTGRES

MESSAGES = 40


def queue(org: Org) -> list[int]:
    org.learner.user.email = "helene@example.org"
    org.learner.user.save(update_fields=["email"])
    for i in range(MESSAGES):
        notify(org.learner, "test.proposed", key=f"race:{i}", subject=f"Message {i}", url="/inbox/")
    return list(Delivery.objects.values_list("pk", flat=True))


def test_four_workers_sending_at_once_send_each_message_once(org: Org, smtp: SMTPServer) -> None:
    ids = queue(org)
    assert len(ids) == MESSAGES

    results = at_once([sending.send_due] * 4)

    assert sum(int(r) for r in results) == MESSAGES  # type: ignore[call-overload]
    subjects = Counter(str(m.message["Subject"]) for m in smtp.received)
    assert len(smtp.received) == MESSAGES
    assert set(subjects.values()) == {1}
    message_ids = {str(m.message["Message-ID"]) for m in smtp.received}
    assert len(message_ids) == MESSAGES
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_two_claims_of_the_same_deliveries_at_once_share_nothing(org: Org) -> None:
    ids = queue(org)
    now = timezone.now()

    first, second = at_once([lambda: sending.claim(ids, now), lambda: sending.claim(ids, now)])

    claimed = [d.pk for d in first] + [d.pk for d in second]  # type: ignore[attr-defined]
    assert sorted(claimed) == sorted(ids)
    assert Delivery.objects.filter(state=Delivery.State.SENDING).count() == MESSAGES
