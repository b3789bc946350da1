"""Communities: learning in the work itself.

Communities of practice with their posts (questions, experience reports, resources,
announcements), replies, thanks and moderation; questions routed to colleagues who know;
learning circles with their sessions, attendance and reflections; projects as learning
spaces with milestone reviews; work situations assigned as learning situations with a
tutor's debrief; a manager's feedback after a field situation.

Limits are written once, on the fields (``max_length``) and in the ranges below: forms,
schemas and services read them.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sylva.people.models import Person, Skill, SkillDomain, Team

#: hosts' permission on every community (the animators'): moderate, create open spaces
MODERATE = "communities.moderate_community"
#: designers' permission: describe work situations, capitalise reports and answers
DESIGN = "communities.design_situations"
#: how many members a learning circle holds
CIRCLE_MIN, CIRCLE_MAX = 4, 12
RATING = (1, 5)  # a session's rating, a goal's "was it met" at the end
FORMATS = (
    ("in_person", _("face to face")),
    ("phone", _("phone")),
    ("video", _("video")),
)


def _rating() -> list[Any]:
    return [MinValueValidator(RATING[0]), MaxValueValidator(RATING[1])]


class Community(models.Model):
    """A community of practice: a space per trade, domain or set of skills."""

    class Access(models.TextChoices):
        OPEN = "open", _("open to everyone")
        REQUEST = "request", _("on request (a host accepts)")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"), max_length=2000, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Person.Language.choices, blank=True, default=""
    )
    access = models.CharField(
        _("access"), max_length=8, choices=Access.choices, default=Access.OPEN
    )
    domain = models.ForeignKey(
        SkillDomain,
        verbose_name=_("skill domain"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communities",
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="communities"
    )
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")
        permissions = [
            ("moderate_community", _("Can host and moderate every community")),
            ("design_situations", _("Can describe work situations and capitalise experience")),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        HOST = "host", _("host")
        MEMBER = "member", _("member")

    class State(models.TextChoices):
        PENDING = "pending", _("asked to join")
        ACTIVE = "active", _("member")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="one_membership")
        ]
        indexes = [models.Index(fields=["person", "state"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.community}"


class Follow(models.Model):
    """A person follows a community or a skill (new questions reach them)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="follows")
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=False, skill__isnull=True)
                | Q(community__isnull=True, skill__isnull=False),
                name="follow_one_thing",
            ),
            models.UniqueConstraint(
                fields=["person", "community"],
                condition=Q(community__isnull=False),
                name="follow_community_once",
            ),
            models.UniqueConstraint(
                fields=["person", "skill"],
                condition=Q(skill__isnull=False),
                name="follow_skill_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} follows {self.community or self.skill}"


class Project(models.Model):
    """A project as a learning space: its learning goals, members and milestones."""

    title = models.CharField(_("title"), max_length=160)
    purpose = models.TextField(_("purpose"), max_length=2000, blank=True)
    learning_goals = models.TextField(_("learning goals"), max_length=2000, blank=True)
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="owned_projects")
    members: models.ManyToManyField[Person, ProjectMember] = models.ManyToManyField(
        Person, through="ProjectMember", related_name="projects", blank=True
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="projects")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project space")

    def __str__(self) -> str:
        return self.title


class ProjectMember(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="one_project_seat")
        ]

    def __str__(self) -> str:
        return f"projectmember {self.pk}"


class Milestone(models.Model):
    """A project's milestone, closed with a short collective review (an After Action Review)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=160)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    intended = models.TextField(_("what was intended"), max_length=4000, blank=True)
    happened = models.TextField(_("what happened"), max_length=4000, blank=True)
    why = models.TextField(_("why"), max_length=4000, blank=True)
    next_time = models.TextField(_("what we will do next time"), max_length=4000, blank=True)
    closed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class WorkSituation(models.Model):
    """A situation of real work described by a designer as a learning situation."""

    title = models.CharField(_("title"), max_length=160)
    task = models.TextField(_("the task"), max_length=4000)
    debrief_questions = models.TextField(
        _("debrief questions (one per line)"), max_length=2000, blank=True
    )
    tutor_role = models.TextField(_("the tutor's role"), max_length=2000, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Person.Language.choices, blank=True, default=""
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills it develops"), related_name="work_situations"
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="work_situations")
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("work situation")

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """A work situation assigned by a manager to a team member, with a tutor."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("to do")
        DONE = "done", _("done, to debrief")
        DEBRIEFED = "debriefed", _("debriefed")
        CANCELLED = "cancelled", _("cancelled")

    situation = models.ForeignKey(
        WorkSituation, on_delete=models.PROTECT, related_name="assignments"
    )
    learner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="situations")
    tutor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="tutored_situations")
    assigned_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("to do by"), null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ASSIGNED)
    assigned_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    # the debrief, between the learner and the tutor (the manager sees that it happened)
    debrief = models.TextField(_("debrief"), max_length=6000, blank=True)
    debriefed_at = models.DateTimeField(null=True, blank=True)
    proposed_skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_level = models.PositiveSmallIntegerField(null=True, blank=True)
    level_agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        indexes = [
            models.Index(fields=["learner", "state"]),
            models.Index(fields=["tutor", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.situation} · {self.learner}"


class Post(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("question")
        EXPERIENCE = "experience", _("experience report")
        RESOURCE = "resource", _("resource")
        ANNOUNCEMENT = "announcement", _("announcement")

    class Audience(models.TextChoices):
        """Who may read an experience report (other kinds follow their community)."""

        TEAM = "team", _("my team")
        COMMUNITY = "community", _("the community")
        EVERYONE = "everyone", _("everyone")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=10000, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Person.Language.choices, blank=True, default=""
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="posts"
    )
    # an experience report, in the After Action Review's four parts
    intended = models.TextField(_("what was intended"), max_length=4000, blank=True)
    happened = models.TextField(_("what happened"), max_length=4000, blank=True)
    why = models.TextField(_("why it happened"), max_length=4000, blank=True)
    next_time = models.TextField(_("what we will do next time"), max_length=4000, blank=True)
    audience = models.CharField(
        _("who may read it"), max_length=10, choices=Audience.choices, default=Audience.COMMUNITY
    )
    # the author's team when the report was written ("my team" keeps meaning that team)
    audience_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    solved_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # folded, stemmed words of the title and text in both languages, kept by the search
    # service (communities.queries.search): the full-text index reads it
    search_document = models.TextField(editable=False, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-last_activity_at"]
        indexes = [
            models.Index(fields=["community", "kind", "-last_activity_at"]),
            # a community's page: the newest posts of each kind
            models.Index(fields=["community", "kind", "-created_at"]),
            models.Index(fields=["author", "-created_at"]),
            # questions due for escalation, oldest first (a background task). Not
            # (kind, solved_at): most rows hold no solved_at, and the planner, reading the
            # few distinct dates, took it for selective and walked every open question of
            # the company on each page
            models.Index(fields=["kind", "created_at"]),
            # the questions escalated to a community's hosts (every page's inbox count)
            models.Index(
                fields=["community", "escalated_at"],
                condition=Q(escalated_at__isnull=False),
                name="post_escalated",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Reply(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="replies")
    body = models.TextField(_("answer (Markdown)"), max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"], condition=Q(accepted_at__isnull=False), name="one_accepted_reply"
            )
        ]
        indexes = [
            models.Index(fields=["author", "accepted_at"]),
            # the answers accepted lately (a community's "who answers most"): a short range
            # of the accepted ones, not every reply to the community's posts
            models.Index(
                fields=["accepted_at"],
                condition=Q(accepted_at__isnull=False),
                name="reply_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"reply {self.pk} to {self.post_id}"


class Thanks(models.Model):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="thanks")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reply", "person"], name="thank_once")]

    def __str__(self) -> str:
        return f"thanks {self.pk}"


class Revision(models.Model):
    """A post's or reply's text before an edit (the edit history)."""

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    editor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=10000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"revision {self.pk}"


class Flag(models.Model):
    """Somebody reports a post or a reply to the hosts."""

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reporter = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("what is wrong"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # the open reports (every page's inbox count, for hosts and moderators)
            models.Index(
                fields=["-created_at"], condition=Q(resolved_at__isnull=True), name="flag_open"
            ),
        ]

    def __str__(self) -> str:
        return f"flag {self.pk}"


class Invitation(models.Model):
    """A colleague invited to answer a question, with the reasons Sylva chose them."""

    class State(models.TextChoices):
        PENDING = "pending", _("invited")
        ANSWERED = "answered", _("answered")
        DECLINED = "declined", _("passed")
        CLOSED = "closed", _("closed (solved by someone else)")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    # invited by Sylva's routing (empty) or by a host's escalation (the host)
    by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=9, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "invitee"], name="invite_once")]
        indexes = [
            models.Index(fields=["invitee", "state"]),
            models.Index(fields=["invitee", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class Circle(models.Model):
    """A learning circle: 4 to 12 people, a purpose, a facilitator, sessions."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open to join")
        RUNNING = "running", _("running")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("title"), max_length=160)
    purpose = models.TextField(_("purpose"), max_length=2000)
    facilitator = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="facilitated_circles"
    )
    sponsor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="sponsored_circles"
    )
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.SET_NULL, related_name="circles"
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="circles")
    private = models.BooleanField(_("private (members only see it)"), default=False)
    max_members = models.PositiveSmallIntegerField(
        _("at most"),
        default=CIRCLE_MAX,
        validators=[MinValueValidator(CIRCLE_MIN), MaxValueValidator(CIRCLE_MAX)],
    )
    format = models.CharField(_("format"), max_length=9, choices=FORMATS, default="in_person")
    place = models.CharField(_("place or link"), max_length=200, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closing_review = models.TextField(_("closing review"), max_length=4000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("learning circle")

    def __str__(self) -> str:
        return self.title


class CircleMember(models.Model):
    class State(models.TextChoices):
        INVITED = "invited", _("invited")
        ACTIVE = "active", _("member")
        LEFT = "left", _("left")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="circle_seats")
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACTIVE)
    goal = models.CharField(_("my goal"), max_length=500, blank=True)
    goal_rating = models.PositiveSmallIntegerField(
        _("was it met (1 to 5)"), null=True, blank=True, validators=_rating()
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["circle", "person"], name="one_circle_seat")]

    def __str__(self) -> str:
        return f"circlemember {self.pk}"


class CircleSession(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    format = models.CharField(_("format"), max_length=9, choices=FORMATS, default="in_person")
    place = models.CharField(_("place or link"), max_length=200, blank=True)
    prompt = models.CharField(_("reflection prompt"), max_length=300, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # the calendar invitation's SEQUENCE
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "number"], name="one_session_number")
        ]

    def __str__(self) -> str:
        return f"circlesession {self.pk}"


class Attendance(models.Model):
    session = models.ForeignKey(CircleSession, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(default=True)
    marked_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attend_once")]

    def __str__(self) -> str:
        return f"attendance {self.pk}"


class Reflection(models.Model):
    """A member's short reflection after a session (read by the circle's members)."""

    session = models.ForeignKey(CircleSession, on_delete=models.CASCADE, related_name="reflections")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    prompt = models.CharField(max_length=300, blank=True)
    text = models.TextField(_("my reflection"), max_length=2000)
    rating = models.PositiveSmallIntegerField(
        _("the session (1 to 5)"), null=True, blank=True, validators=_rating()
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="reflect_once")]

    def __str__(self) -> str:
        return f"reflection {self.pk}"


class FieldFeedback(models.Model):
    """A manager's feedback after a field situation: private between the two of them,
    unless the person shares it."""

    giver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="feedback_given")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_received")
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    situation = models.TextField(_("the situation"), max_length=2000)
    went_well = models.TextField(_("what went well"), max_length=2000)
    to_improve = models.TextField(_("what to improve"), max_length=2000, blank=True)
    next_step = models.TextField(_("the next step"), max_length=2000, blank=True)
    answer = models.TextField(_("my answer"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    shared = models.BooleanField(_("shared by the person with the team"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["giver", "created_at"]),
            models.Index(fields=["person", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"feedback {self.pk}"
