"""What microlearning contributes to the search across Sylva (its contract's ``search``):
modules and light resources, matched accent-blind by title, topic, code or skill (French or
English name). Published ones for everyone; a draft only for its author and for designers;
a resource waiting for review for reviewers too (as its page allows)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sylva.core.pillars import SearchKind, SearchResult
from sylva.microlearning.models import Module
from sylva.people.models import Person
from sylva.people.queries import Words, words_of
from sylva.people.text import fold

KINDS = (SearchKind("microlearning.module", gettext_lazy("Modules and resources")),)


def visible(person: Person) -> Q:
    """The modules ``person`` may open."""
    user = person.user
    if user.has_perm("microlearning.author_module"):
        return Q()
    seen = Q(status=Module.Status.PUBLISHED) | Q(author=person)
    if user.has_perm("microlearning.review_resource"):
        seen |= Q(status=Module.Status.SUBMITTED)
    return seen


def _matching(person: Person, words: Words) -> dict[int, int]:
    """The visible modules every word names (title, topic or code, or one of its skills),
    each with a score: words in the title count most."""
    rows = Module.objects.filter(visible(person)).values_list("pk", "title", "topic", "code")
    through = Module.skills.through.objects.filter(skill_id__in=words.all_skills)
    skills: dict[int, set[int]] = {}
    for module_id, skill_id in through.values_list("module_id", "skill_id"):
        skills.setdefault(module_id, set()).add(skill_id)
    scores: dict[int, int] = {}
    for pk, title, topic, code in rows:
        folded_title, text = fold(title), fold(f"{topic} {code}")
        score = 0
        for word in words.words:
            if word in folded_title:
                score += 3
            elif word in text or skills.get(pk, set()) & words.skills[word]:
                score += 1
            else:
                break
        else:
            scores[pk] = score
    return scores


def _detail(module: Module) -> str:
    parts = [_("Light resource") if module.is_light else _("Module")]
    parts.append(_("%(n)s min") % {"n": module.minutes})
    parts.append(module.language_label)
    if not module.is_published:
        parts.append(module.get_status_display())
    if module.topic:
        parts.append(module.topic)
    return " · ".join(str(p) for p in parts if p)


def results(person: Person, q: str, limit: int) -> list[SearchResult]:
    words = words_of(q)
    if not words.words:
        return []
    scores = _matching(person, words)
    best = sorted(scores, key=lambda pk: -scores[pk])[:limit]
    modules = Module.objects.filter(pk__in=best)
    return [
        SearchResult(
            "microlearning.module",
            m.title,
            _detail(m),
            reverse("microlearning:module", args=[m.code]),
            scores[m.pk],
        )
        for m in modules
    ]
