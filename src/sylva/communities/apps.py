from django.utils.translation import gettext_lazy as _

from sylva.communities import verbs
from sylva.core import pillars
from sylva.core.pillars import NavEntry, NoticeKind


class CommunitiesConfig(pillars.Pillar):
    name = "sylva.communities"
    label = "communities"
    verbose_name = _("Communities")
    url_prefix = "communities/"
    api_prefix = "/communities/"
    nav = (NavEntry("communities:home", _("Communities"), "communities"),)
    role_permissions = {
        "animator": ("communities.moderate_community",),
        "designer": ("communities.design_situations",),
    }
    # never shown, filtered, searched or ordered on outside the two people concerned
    confidential = {
        "FieldFeedback": ("situation", "went_well", "to_improve", "next_step", "answer"),
        "Assignment": ("debrief",),
    }
    verbs = verbs.ALL
    tasks = "sylva.communities.tasks"
    inbox = "sylva.communities.inbox"
    search = "sylva.communities.search"
    ways = "sylva.communities.ways"
    demo = "sylva.communities.demo.seed_demo"
    notices = (
        NoticeKind("communities.invited", _("I am invited to answer a question")),
        NoticeKind("communities.answered", _("My question has an answer")),
        NoticeKind("communities.accepted", _("My answer is accepted or thanked")),
        NoticeKind("communities.followed", _("New questions in what I follow")),
        NoticeKind("communities.escalated", _("An unanswered question in a community I host")),
        NoticeKind("communities.moderation", _("A report to moderate, or my post was hidden")),
        NoticeKind("communities.membership", _("Requests to join, and answers to mine")),
        NoticeKind(
            "communities.session",
            _("A learning circle's session (calendar invitation)"),
            urgent=True,
        ),
        NoticeKind("communities.circle", _("Learning circles I am invited to")),
        NoticeKind("communities.situation", _("A work situation assigned to me or to tutor")),
        NoticeKind("communities.feedback", _("Feedback after a field situation, and answers")),
    )
