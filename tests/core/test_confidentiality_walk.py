"""No path reads, tests or infers a confidential field (sylva.core.confidential).

A unique secret is planted in every registered confidential field of every row, then:

- every registered ModelAdmin is walked as a superuser: every lookup that reaches a
  confidential field — on the model or through any chain of relations, with ``__exact``,
  ``__startswith``, ``__icontains``, ``__regex`` — is refused (400), not answered with a
  filtered count; the secret appears on no changelist, change, history or delete page; a
  search for it finds nothing; private rows cannot be deleted;
- every API route (the OpenAPI document's paths, path parameters filled with the rows'
  keys) is read by people outside the exchange — a colleague, the learner's manager, an
  animator, a designer, an administrator — and no response holds a secret, and no query
  parameter answers differently to a prefix of a secret than to a random string;
- every page of the URL resolver (insights pages and their CSV exports among them) is read
  by the same people, and holds no secret.

A new confidential field, a new ModelAdmin, a new route or a new page is walked with no
change here; a new ModelAdmin without the guard fails ``test_every_admin_is_guarded``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.models import User
from django.db import models
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sylva.core import confidential
from sylva.core.admin import ConfidentialMixin, SylvaModelAdmin, admin_problems
from sylva.exchange.models import Exchange, Message
from sylva.microlearning.models import Card, Module
from sylva.microlearning.models import Review as Answer
from sylva.people.models import ApiToken
from tests.exchange.conftest import Board, reviewed
from tests.exchange.conftest import xboard as xboard
from tests.factories import make_person

pytestmark = pytest.mark.walk

LOOKUPS = ("exact", "startswith", "icontains", "regex")
VIEWERS = ("outsider", "manager", "animator", "designer", "admin")


class Planted:
    def __init__(self, xboard: Board) -> None:
        self.board = xboard
        self.secrets: dict[str, tuple[type[models.Model], str]] = {}

    def new(self, model: type[models.Model], field: str) -> str:
        # hexadecimal, so that it also fits a field that must hold a hex key
        secret = "5ec0" + uuid.uuid4().hex[:20]
        self.secrets[secret] = (model, field)
        return secret

    def prefix(self, secret: str) -> str:
        return secret[:12]

    def found_in(self, text: str) -> list[str]:
        return [
            f"{m._meta.label}.{f}"
            for s, (m, f) in self.secrets.items()
            if s in text or self.prefix(s) in text
        ]


def _rows(xboard: Board) -> None:
    """At least one row of every model that declares confidential fields."""
    org = xboard.org
    x = reviewed(xboard)
    Message.objects.create(exchange=x, author=org.learner, body="placeholder")
    Exchange.objects.create(
        teacher=org.learner,
        learner=org.expert,
        offer=xboard.learner_offer,
        request=xboard.expert_request,
        skill=org.excel,
        state=Exchange.State.DECLINED,
        decline_reason="placeholder",
        declined_by=org.learner,
    )
    module = Module.objects.create(code="reflect", title="Réfléchir", status="published")
    card = Card.objects.create(module=module, kind=Card.Kind.REFLECTION, title="Et vous ?")
    Answer.objects.create(person=org.learner, card=card, response="placeholder")
    ApiToken.objects.create(person=org.learner, name="t", prefix="sylva_abcdef", digest="0" * 64)
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=org.expert.user, name="phone")
    device = StaticDevice.objects.create(user=org.expert.user, name="codes")
    StaticToken.objects.create(device=device, token="placeholder")
    # a work situation debriefed by the learner and the expert (their tutor), assigned by the
    # learner's manager; feedback to the learner from the expert (as if another manager of
    # theirs): the viewers — the manager among them — are none of the two participants
    from sylva.communities.models import Assignment, FieldFeedback, WorkSituation

    situation = WorkSituation.objects.create(title="Régler", task="Régler", author=org.designer)
    situation.skills.set([org.extrude])
    assignment = Assignment.objects.create(
        situation=situation,
        learner=org.learner,
        tutor=org.expert,
        assigned_by=org.manager,
        state=Assignment.State.DEBRIEFED,
        debrief="placeholder",
    )
    FieldFeedback.objects.create(
        giver=org.expert,
        person=org.learner,
        assignment=assignment,
        situation="placeholder",
        went_well="placeholder",
    )


def _plant(planted: Planted) -> None:
    for model, names in confidential.registry().items():
        rows = list(model._default_manager.all())
        assert rows, (
            f"{model._meta.label} declares confidential fields but the walk has no row of it: "
            "add one to _rows()."
        )
        for row in rows:
            for name in names:
                field = model._meta.get_field(name)
                secret = planted.new(model, name)
                current = getattr(row, name)
                if isinstance(field, models.JSONField):
                    if isinstance(current, dict):
                        value: Any = {**current, "planted": secret}
                    elif isinstance(current, list):
                        value = [*current, secret]
                    else:
                        value = secret
                else:
                    value = secret[: field.max_length] if field.max_length else secret
                    planted.secrets[value] = planted.secrets.pop(secret)
                model._default_manager.filter(pk=row.pk).update(**{name: value})


@pytest.fixture
def planted(xboard: Board, settings: Any) -> Planted:
    settings.SYLVA_API_RATE = settings.SYLVA_API_ADDRESS_RATE = None  # the crawl is fast
    settings.RATELIMIT_ENABLE = False
    org = xboard.org
    org.outsider = make_person("outsider", first="Oscar", last="Dehors", team=org.people_team)
    User.objects.filter(pk=org.admin.user_id).update(is_superuser=True, is_staff=True)
    _rows(xboard)
    from sylva.insights import services as insights

    insights.compute_snapshot(window_days=90)
    result = Planted(xboard)
    _plant(result)
    return result


def _client(planted: Planted, role: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(pk=planted.board.org.person(role).user_id))
    return client


# --- the admin -----------------------------------------------------------------------


def test_every_admin_is_guarded() -> None:
    assert admin_problems(admin.site) == []
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, ConfidentialMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, ConfidentialMixin), (model, inline)
        if type(model_admin).__module__.startswith("sylva."):
            # Sylva's own admins derive from the guard themselves (not wrapped at start)
            assert getattr(model_admin, "guarded_from", None) is None, model


def test_the_system_check_refuses_an_admin_that_names_a_confidential_field() -> None:
    site = AdminSite(name="probe")

    class Careless(admin.ModelAdmin):  # type: ignore[type-arg]
        list_display = ["pk", "body"]
        search_fields = ["exchange__reviews__learned"]

    site.register(Message, Careless)
    ids = [p.id for p in admin_problems(site)]
    assert ids.count("sylva.E001") == 2 and "sylva.E002" in ids


def _paths(model: type[models.Model]) -> Iterator[tuple[str, str]]:
    for path, owner, name in confidential.paths_to(model, depth=3):
        yield path, f"{owner._meta.label}.{name}"


def test_every_lookup_on_a_confidential_field_is_refused(planted: Planted) -> None:
    """Through HTTP: every path of at most one relation with each lookup, every longer path
    (up to three relations) with one lookup in turn; and every path with every lookup
    through the admin's own ``lookup_allowed``, which the changelist asks."""
    client = _client(planted, "admin")
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=planted.board.org.admin.user_id)
    answered = []
    tried = 0
    secret = planted.prefix(next(iter(planted.secrets)))
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        reached: set[str] = set()
        for i, (path, target) in enumerate(_paths(model)):
            for lookup in LOOKUPS:
                if model_admin.lookup_allowed(f"{path}__{lookup}", secret, request):
                    answered.append(f"{model_admin}.lookup_allowed({path}__{lookup}) ({target})")
            # through HTTP: the paths of at most one relation with every lookup, and the
            # first longer path to each field with one lookup in turn
            if path.count("__") <= 1:
                lookups: tuple[str, ...] = LOOKUPS
            elif target not in reached:
                lookups = (LOOKUPS[i % len(LOOKUPS)],)
            else:
                continue
            reached.add(target)
            for lookup in lookups:
                tried += 1
                response = client.get(url, {f"{path}__{lookup}": secret})
                if response.status_code != 400:
                    answered.append(f"{url}?{path}__{lookup} → {response.status_code} ({target})")
    assert tried > 200  # messages, reviews and reasons are reached from most models
    assert not answered, "\n".join(answered[:40])


def test_a_lookup_on_an_ordinary_field_still_works(planted: Planted) -> None:
    client = _client(planted, "admin")
    x = Message.objects.first().exchange  # type: ignore[union-attr]
    response = client.get("/admin/exchange/message/", {"exchange": x.pk, "created_at__year": 2000})
    assert response.status_code == 200 and response.context["cl"].result_count == 0
    response = client.get("/admin/exchange/message/", {"exchange": x.pk})
    assert response.context["cl"].result_count == Message.objects.filter(exchange=x).count()


def test_the_admin_shows_no_secret_and_deletes_no_private_row(planted: Planted) -> None:
    client = _client(planted, "admin")
    leaks = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        pages = [reverse(f"{base}_changelist")]
        if model_admin.search_fields:
            probe = next(iter(planted.secrets))
            found = client.get(pages[0], {"q": planted.prefix(probe)})
            assert found.status_code == 200, pages[0]
            assert found.context["cl"].result_count == 0, (pages[0], "search reached a secret")
        for row in model._default_manager.all()[:3]:
            pages += [
                reverse(f"{base}_change", args=[row.pk]),
                reverse(f"{base}_history", args=[row.pk]),
                reverse(f"{base}_delete", args=[row.pk]),
            ]
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 302, 403), (url, response.status_code)
            found = planted.found_in(response.content.decode(errors="replace"))
            if found:
                leaks.append(f"{url}: {found}")
        if confidential.fields_of(model) and model_admin.protect_private_rows:
            row = model._default_manager.first()
            assert client.post(reverse(f"{base}_delete", args=[row.pk]), {"post": "yes"})
            assert model._default_manager.filter(pk=row.pk).exists(), f"{meta.label} deleted"
    assert not leaks, "\n".join(leaks)


def test_deleting_a_parent_that_cascades_onto_private_rows_is_refused(planted: Planted) -> None:
    client = _client(planted, "admin")
    learner = planted.board.org.learner
    page = client.get(f"/admin/people/person/{learner.pk}/delete/")
    assert page.status_code == 200 and page.context["perms_lacking"]
    client.post(f"/admin/people/person/{learner.pk}/delete/", {"post": "yes"})
    assert Message.objects.filter(author=learner).exists()
    assert type(learner).objects.filter(pk=learner.pk).exists()


def test_ordering_and_searching_through_a_confidential_field_are_refused(db: None) -> None:
    """Even an admin written carelessly on the guard: its ordering and search answer 400."""
    site = AdminSite(name="probe")

    class Careless(SylvaModelAdmin):
        search_fields = ["exchange__messages__body"]
        list_display = ["pk", "sorted_by_body"]

        @admin.display(ordering="body")
        def sorted_by_body(self, obj: Message) -> str:
            return "·"

    site.register(Message, Careless)
    superuser = User.objects.create_superuser("root", password="x")
    view = site._registry[Message].changelist_view
    # (no action column: private rows are not deleted, so column 1 is sorted_by_body)
    for params in ({"o": "1"}, {"q": "secret"}, {"body__regex": "^s"}):
        request = RequestFactory().get("/", params)
        request.user = superuser
        with pytest.raises(DisallowedModelAdminLookup):
            view(request)


# --- the API -------------------------------------------------------------------------


def _candidates(planted: Planted) -> dict[str, list[str]]:
    """Values to fill path parameters with: the keys of every planted row, the people's,
    and every code (slug) in the database."""
    ints: set[str] = set()
    for model in confidential.registry():
        keys = model._default_manager.values_list("pk", flat=True)[:3]
        ints |= {str(pk) for pk in keys if isinstance(pk, int)}
    org = planted.board.org
    ints |= {str(p.pk) for p in (org.learner, org.expert)}
    ints |= {str(x.pk) for x in (org.extrusion, org.printing, org.people_team)}
    codes: set[str] = set()
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, models.SlugField):
                codes |= set(model._default_manager.values_list(field.name, flat=True)[:3])
    from sylva.insights.tables import TABLES

    codes |= set(TABLES)
    return {"int": sorted(ints, key=int), "str": sorted(codes)}


def _api_schema() -> dict[str, Any]:
    from sylva.core.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")  # type: ignore[no-any-return]


def _fill(path: str, params: list[dict[str, Any]], values: dict[str, list[str]]) -> list[str]:
    names = re.findall(r"{(\w+)}", path)
    urls = [path]
    for name in names:
        spec = next((p for p in params if p.get("name") == name), {})
        kind = "int" if spec.get("schema", {}).get("type") == "integer" else "str"
        urls = [u.replace("{" + name + "}", v) for u in urls for v in values[kind]]
    return urls[:25]


def _normalised(response: Any, probe: str) -> str:
    body = response.content.decode(errors="replace").replace(probe, "<probe>")
    return f"{response.status_code}:{body}"


def _filters_on_a_secret(
    client: Client, url: str, params: list[dict[str, Any]], planted: Planted, role: str
) -> list[str]:
    """The query parameters of ``url`` that answer differently to a secret's prefix than to
    a random text."""
    found = []
    for param in params:
        if param.get("in") != "query":
            continue
        for secret in list(planted.secrets)[:: max(1, len(planted.secrets) // 3)]:
            probe = planted.prefix(secret)
            other = "zz" + uuid.uuid4().hex[:10]
            hit = client.get(url, {param["name"]: probe})
            miss = client.get(url, {param["name"]: other})
            if _normalised(hit, probe) != _normalised(miss, other):
                found.append(f"{role} {url}?{param['name']}= ({planted.secrets[secret]})")
    return found


def test_no_api_route_shows_or_filters_on_a_secret(planted: Planted) -> None:
    schema = _api_schema()
    values = _candidates(planted)
    leaks: list[str] = []
    filtering: list[str] = []
    routes = 0
    for role in VIEWERS:
        client = _client(planted, role)
        for path, operations in schema["paths"].items():
            get = operations.get("get")
            if get is None:
                continue
            routes += 1
            params = get.get("parameters", [])
            for url in _fill(path, params, values):
                response = client.get(url)
                assert response.status_code < 500, (role, url, response.status_code)
                found = planted.found_in(response.content.decode(errors="replace"))
                if found:
                    leaks.append(f"{role} GET {url}: {found}")
                if "{" not in path and role in ("outsider", "animator"):
                    filtering += _filters_on_a_secret(client, url, params, planted, role)
    assert routes > 40
    assert not leaks, "\n".join(leaks[:40])
    assert not filtering, "\n".join(filtering[:40])


def test_the_participants_do_read_their_own_words(planted: Planted) -> None:
    """The walk is not vacuous: the same routes show the secrets to the two participants."""
    x = Exchange.objects.filter(state=Exchange.State.REVIEWED).get()
    client = _client(planted, "learner")
    body = client.get(f"/api/v1/exchange/exchanges/{x.pk}/messages").content.decode()
    assert "Message.body" in " ".join(planted.found_in(body))
    from sylva.communities.models import Assignment

    a = Assignment.objects.get()
    body = client.get(f"/api/v1/communities/situations/assignments/{a.pk}/debrief").content
    assert "communities.Assignment.debrief" in planted.found_in(body.decode())
    body = client.get("/api/v1/communities/feedback").content
    assert "communities.FieldFeedback.went_well" in planted.found_in(body.decode())


# --- the pages -----------------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{ns}{entry.name}", entry


def _page_urls(name: str, entry: Any, values: dict[str, list[str]]) -> list[str]:
    """The URLs of one named page: itself, or filled with every candidate value for one
    parameter (a sample for several)."""
    converters = entry.pattern.converters
    if not converters:
        try:
            return [reverse(name)]
        except Exception:  # a pattern that needs kwargs we cannot give
            return []
    keys = list(converters)
    kind = {
        k: "int" if type(c).__name__ == "IntConverter" else "str" for k, c in converters.items()
    }
    combos: list[dict[str, str]] = [{}]
    for key in keys:
        sample = values[kind[key]] if len(keys) == 1 else values[kind[key]][:5]
        combos = [{**c, key: v} for c in combos for v in sample]
    urls = []
    for kwargs in combos:
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except Exception:  # a value the converter refuses
            continue
    return urls


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


@pytest.mark.parametrize("role", VIEWERS)  # one walk per viewer: xdist shares them out
def test_no_page_shows_a_secret(planted: Planted, role: str) -> None:
    values = _candidates(planted)
    leaks: list[str] = []
    pages = 0
    entries = dict(_patterns(get_resolver()))
    names = [
        name
        for name in sorted(entries)
        if not name.startswith(("admin:", "api:")) and name not in {"logout", "set_language"}
    ]
    client = _client(planted, role)
    for name in names:
        for url in _page_urls(name, entries[name], values):
            pages += 1
            response = client.get(url)
            if response.status_code == 405:
                break  # a form action: it answers no GET, whatever its parameters
            found = planted.found_in(_body(response))
            if found:
                leaks.append(f"{role} GET {url}: {found}")
    assert pages > 100
    assert not leaks, "\n".join(leaks[:40])


def test_the_planted_rows_are_where_the_walk_expects_them(planted: Planted) -> None:
    """Every registered field was planted, in every row."""
    planted_fields = {(m, f) for m, f in planted.secrets.values()}
    expected = {(m, f) for m, names in confidential.registry().items() for f in names}
    assert planted_fields == expected
