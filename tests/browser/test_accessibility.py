"""Every page of Sylva through axe-core in Chromium: no serious or critical violation.

The pages come from the URL resolver and from the pages themselves: each role signs in,
asks for every route that takes no argument, then follows the links it is shown, one
instance per route (an offer, a request, an exchange, a module, a person, a team, a fair,
a duel…: real rows of the demo company). A page whose content and shell were already
checked for another role is not checked again. Each checked page is run through axe at
1280 px and at 360 px, in French; a handful of pages again in English, switched through the
page's own language switcher. The admin's changelists and change forms, the sign-in page and
the error pages are part of it.

`test_every_route_is_visited_or_excluded` fails when a new route is neither reached by
the crawl nor listed in ``NOT_PAGES`` with its reason.

axe-core is pinned in tests/browser/package.json (make test runs `npm ci`).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import DESKTOP, PHONE, languages_kept, new_page, sign_in

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")

#: who signs in, in this order (the first to see a page checks it)
ROLES = ("newcomer", "expert", "manager", "animator", "designer", "admin")
#: pages also checked in English, by these roles, after the page's own language switcher
ENGLISH_PAGES = ("/", "/exchange/", "/learn/", "/insights/", "/people/", "/me/", "/skills/")
ENGLISH_ROLES = ("newcomer", "admin")

#: pages no link leads to, or that a link reaches only with a query: asked for directly
EXTRA_URLS = (
    "/people/?q=maintenance",
    "/exchange/?kind=offers",
    "/page-that-does-not-exist/",
)
#: the admin's: its index, and the page its password form leads to once a password is changed
#: (what it shows does not depend on the change, so it is asked for directly)
ADMIN_URLS = ["/admin/", "/admin/password_change/done/"]
ANONYMOUS_URLS = (
    "/login/",
    "/login/code/",
    "/admin/login/",
    "/page-that-does-not-exist/",
    "/inbox/unsubscribe/not-a-valid-token/",
)

ACTION = "an action (POST only): its form is checked on the page that shows it"
#: routes that are not pages a person looks at, each with its reason
NOT_PAGES: dict[str, str] = {
    "logout": ACTION,
    "set_language": ACTION + " (every page's language switcher)",
    "second_factor_codes": ACTION + " (me/security/)",
    "second_factor_off": ACTION + " (me/security/)",
    "healthz": "a probe for the load balancer (plain text)",
    "readyz": "a probe for the load balancer (plain text)",
    "people:remove_skill": ACTION + " (me/skills/)",
    "people:remove_wish": ACTION + " (me/skills/)",
    "people:revoke_token": ACTION + " (me/tokens/)",
    "notifications:service_worker": "JavaScript (the push service worker)",
    "notifications:unsubscribe": (
        "an email's signed link: the anonymous crawl checks its refusal page "
        "(the test process cannot sign a token with the live server's key)"
    ),
    "exchange:set_state": ACTION + " (the posting's page)",
    "exchange:propose": ACTION + " (the posting's page)",
    "exchange:propose_to": ACTION + " (a person's page)",
    "exchange:accept": ACTION + " (the exchange's page)",
    "exchange:decline": ACTION + " (the exchange's page)",
    "exchange:schedule": ACTION + " (the exchange's page)",
    "exchange:confirm": ACTION + " (the exchange's page)",
    "exchange:held": ACTION + " (the exchange's page)",
    "exchange:no_show": ACTION + " (the exchange's page)",
    "exchange:cancel": ACTION + " (the exchange's page)",
    "exchange:review": ACTION + " (the exchange's page)",
    "exchange:wait": ACTION + " (the exchange's page, when the offer is full)",
    "exchange:propose_instead": ACTION + " (the exchange's page, when the offer is full)",
    "exchange:message": ACTION + " (the exchange's page)",
    "exchange:ics": "a calendar file (text/calendar)",
    "exchange:start_run": ACTION + " (exchange/runs/)",
    "exchange:send_run": ACTION + " (a run's page)",
    "exchange:review_proposal": ACTION + " (a run's page)",
    "exchange:fair_live": "a fragment the fair's page includes and polls (htmx, every 5 s): "
    "checked within exchange:fair",
    "exchange:fair_post": ACTION + " (the fair's live page)",
    "exchange:fair_match": ACTION + " (the fair's live page)",
    "exchange:fair_pair": ACTION + " (the fair's live page)",
    "exchange:fair_close": ACTION + " (the fair's live page)",
    "microlearning:answer": ACTION + " (learn/)",
    "microlearning:pause": ACTION + " (learn/settings/)",
    "microlearning:resume": ACTION + " (learn/settings/)",
    "microlearning:leaderboard_consent": ACTION + " (learn/challenges/)",
    "microlearning:preview": ACTION + " (the module editor's preview)",
    "microlearning:export": "a module's Markdown file (text/markdown)",
    "microlearning:review": ACTION + " (a submitted module's page, for its reviewers)",
    "microlearning:publish": ACTION + " (the module's page)",
    "microlearning:submit": ACTION + " (the module's page)",
    "microlearning:duel_answer": ACTION + " (the duel's page)",
    "microlearning:rematch": ACTION + " (the duel's page)",
    "microlearning:accept_duel": ACTION + " (the duel's page)",
    "microlearning:decline_duel": ACTION + " (the duel's page)",
    "microlearning:analytics_csv": "a CSV file",
    "microlearning:manifest": "the web app manifest (JSON)",
    "microlearning:service_worker": "JavaScript (the offline service worker)",
    "insights:export": "a CSV file",
    "insights:introduce": ACTION + " (insights/spot/)",
    "insights:accept": ACTION + " (insights/structure/)",
    "insights:answer": ACTION + " (the inbox)",
    "insights:task_done": ACTION + " (insights/)",
    "insights:recompute": ACTION + " (insights/)",
    # the communities' actions whose form the demo never shows to a crawl role (the crawl
    # counts an action reached when its form is on a page it checks): each is posted by
    # tests/communities/test_*_pages.py and, where named, a browser test
    "communities:assignment_agree": ACTION + " (an assignment's page, a raise proposed)",
    "communities:assignment_decline": ACTION + " (an assignment's page, a raise proposed)",
    "communities:assignment_propose": ACTION + " (an assignment's page, once debriefed)",
    "communities:assignment_done": ACTION + " (an assignment's page, the learner's)",
    "communities:assignment_cancel": ACTION + " (an assignment's page, the manager's)",
    "communities:circle_accept": ACTION + " (a circle's page, when invited)",
    "communities:circle_decline": ACTION + " (a circle's page, when invited)",
    "communities:circle_decline_facilitation": ACTION + " (a draft circle's page)",
    "communities:circle_open": ACTION + " (a draft circle's page, its facilitator's)",
    "communities:circle_from_requests": ACTION + " (insights/structure/, on a cluster)",
    "communities:circle_move": ACTION + " (an upcoming session's page, the facilitator's)",
    "communities:circle_cancel": ACTION + " (an upcoming session's page, the facilitator's)",
    "communities:circle_ics": "a calendar file (text/calendar)",
    "communities:feedback_answer": ACTION + " (a feedback's page, its receiver's)",
    "communities:feedback_share": ACTION + " (a feedback's page, its receiver's)",
    "communities:invite": ACTION + " (a question's invitations, for its hosts)",
    "communities:join": ACTION + " (a community's page, for a non-member)",
    "communities:restore_post": ACTION + " (a hidden post, for its hosts)",
    "communities:restore_reply": ACTION + " (a hidden reply, for its hosts)",
    "communities:unaccept": ACTION + " (an accepted answer, for the asker)",
    "admin:logout": ACTION,
    "admin:jsi18n": "JavaScript (the admin's translations)",
    "admin:autocomplete": "JSON (the admin's autocomplete)",
    "admin:view_on_site": "a redirect to the object's page on the site",
    "admin:otp_totp_totpdevice_config": "refused (403) and linked from nowhere: Sylva hides "
    "the authenticators' keys from the admin (OTP_ADMIN_HIDE_SENSITIVE_DATA = True)",
    "admin:otp_totp_totpdevice_qrcode": "an image of the authenticator's key, refused (403): "
    "Sylva hides the keys from the admin (OTP_ADMIN_HIDE_SENSITIVE_DATA = True)",
    "admin:axes_accessfailurelog_change": "no row ever: Sylva turns axes' failure log off "
    "(AXES_ENABLE_ACCESS_FAILURE_LOG = False), so its changelist stays empty",
}
NOT_PAGES_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^api:(?!openapi-view$)"), "the JSON API (tests/*/test_api*.py), not a page"),
)
#: the admin renders every model's add, delete and history page through one template each:
#: one instance of each is checked (the change forms and changelists are checked for every
#: model, their ModelAdmins differ)
ADMIN_ONE_PER_TEMPLATE = re.compile(r"^admin:\w+?_(add|delete|history|password_change)$")
ADMIN_MODEL_PAGE = re.compile(r"^admin:\w+?_(changelist|change)$")

VERBOSE = bool(os.environ.get("SYLVA_A11Y_VERBOSE"))
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"|(nonce=")[^"]*"')
NEXT = re.compile(r'(name="next" value=")[^"]*"')
TITLE = re.compile(r"<title>.*?</title>", re.S)
CURRENT = re.compile(r' aria-current="[^"]*"| class="current"')
TAG = re.compile(r"<(nav|header|footer|details|summary|form|button|a|input|select)\b")
TEXT = re.compile(r">[^<]*<")
MAIN = re.compile(r"<main\b.*?</main>", re.S)
HREF = re.compile(r'\bhref="([^"#]*)')
#: a form that posts (its action): the action is checked with the page that shows its form
POST_FORM = re.compile(r'<form\b(?=[^>]*\bmethod="post")[^>]*\baction="([^"#]*)"', re.I)


def not_a_page(route: str) -> str | None:
    if route in NOT_PAGES:
        return NOT_PAGES[route]
    for rule, reason in NOT_PAGES_RULES:
        if rule.search(route):
            return reason
    return None


def route_of(path: str) -> tuple[str, bool] | None:
    """The route's name (``namespace:name``) and whether it takes arguments."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, bool(match.args or match.kwargs)


def all_routes() -> dict[str, str]:
    """Every named route of the resolver -> its pattern."""
    from django.urls import URLPattern, URLResolver, get_resolver

    routes: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(n for n in (namespace, p.namespace) if n) or None
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                routes.setdefault(
                    f"{namespace}:{p.name}" if namespace else p.name, prefix + str(p.pattern)
                )

    walk(get_resolver().url_patterns, "", None)
    return routes


def urls_without_arguments() -> list[str]:
    from django.urls import NoReverseMatch, reverse

    urls = []
    for route in all_routes():
        if not_a_page(route) or route.startswith("admin:"):
            continue
        try:
            urls.append(reverse(route))
        except NoReverseMatch:
            continue  # takes arguments: reached through the links
    return urls


def signature(text: str) -> tuple[str, str]:
    """What the page shows, as (its main content, its shell), without per-request tokens."""
    text = NEXT.sub(r"\1", CSRF.sub(r"\1\2", text))
    main = MAIN.search(text)
    body = main.group(0) if main else ""
    shell = text.replace(body, "") if body else text
    # the shell's structure only: its texts, title and current section follow the page
    shell = TEXT.sub("><", CURRENT.sub("", TITLE.sub("", shell)))
    shell = "".join(TAG.findall(shell))
    return (hashlib.sha1(body.encode()).hexdigest(), hashlib.sha1(shell.encode()).hexdigest())


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    targets: list[str]


@dataclass
class Findings:
    #: (role, language, viewport, url) -> its serious/critical violations
    pages: dict[tuple[str, str, str, str], list[Violation]] = field(default_factory=dict)
    #: route -> "role url status"
    reached: dict[str, str] = field(default_factory=dict)
    #: route -> what it answered instead of a page
    odd: dict[str, str] = field(default_factory=dict)
    checked: int = 0
    skipped_same: int = 0
    seconds: float = 0.0

    def report(self) -> str:
        lines = []
        for (role, lang, size, url), found in sorted(self.pages.items()):
            for v in found:
                targets = ", ".join(v.targets[:4]) + (" …" if len(v.targets) > 4 else "")
                lines.append(
                    f"{url} [{role}, {lang}, {size}] {v.impact} {v.rule}: {targets} — {v.help}"
                )
        return "\n".join(lines)


AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(' '))}));
}"""


def run_axe(page: Any) -> list[Violation]:
    found = page.evaluate(AXE_RUN, AXE_TAGS)
    return [Violation(**v) for v in found if v["impact"] in BLOCKING]


class Crawler:
    def __init__(
        self,
        browser: Any,
        base_url: str,
        admin_urls: tuple[str, ...] = (),
        pages: list[str] | tuple[str, ...] = (),
    ) -> None:
        self.browser = browser
        self.admin_urls = [*ADMIN_URLS, *admin_urls]
        self.pages = list(pages)  # asked for by every role, as EXTRA_URLS
        self.base = base_url
        self.host = urlsplit(base_url).netloc
        self.findings = Findings()
        # what was already checked: a page whose main content and shell both were is skipped
        self.seen_main: set[str] = set()
        self.seen_shell: set[str] = set()

    def context(self, role: str | None) -> Any:
        page = new_page(self.browser, self.base, DESKTOP)
        page.context.add_init_script(path=str(AXE_JS))
        if role:
            sign_in(page, role)
        return page

    def check(self, page: Any, role: str, lang: str, url: str) -> None:
        """axe at 1280 px, then at 360 px (the page loaded again at that width)."""
        for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(url)
            found = run_axe(page)
            self.findings.checked += 1
            if found:
                self.findings.pages[(role, lang, name, url)] = found

    def fresh(self, text: str) -> bool:
        """Not checked yet: its main content, or its shell (each role's navigation)."""
        main, shell = signature(text)
        if main in self.seen_main and shell in self.seen_shell:
            self.findings.skipped_same += 1
            return False
        self.seen_main.add(main)
        self.seen_shell.add(shell)
        return True

    def links(self, text: str, url: str) -> Iterator[str]:
        for href in HREF.findall(text):
            target = urlsplit(urljoin(url, html.unescape(href)))
            if target.netloc == self.host and target.scheme in ("http", "https"):
                yield target.path

    def wanted(self, url: str, seeds: Any, asked: set[str]) -> str | None:
        """The route to check at this URL ("" for an unresolved seed), None to skip it."""
        if url in asked:
            return None
        asked.add(url)
        found = route_of(urlsplit(url).path)
        if found is None:
            return "" if url in seeds else None  # else a static file
        route, has_args = found
        if not_a_page(route):
            return None
        key = route if has_args else f"route {url}"
        one = ADMIN_ONE_PER_TEMPLATE.search(route)
        if one:
            key = f"admin template {one.group(1)}"
        if key in asked:
            return None
        asked.add(key)
        return route

    def actions(self, who: str, text: str, url: str) -> None:
        """The routes this page's forms post to: an action (POST only) is not a page of its
        own, its form is checked on the page that shows it."""
        for action in POST_FORM.findall(text):
            target = urlsplit(urljoin(url, html.unescape(action)))
            found = route_of(target.path) if target.netloc == self.host else None
            if found is not None:
                self.findings.reached.setdefault(found[0], f"{who} a form on {url}")

    def record(self, who: str, url: str, route: str, response: Any) -> None:
        final = route_of(urlsplit(response.url).path)
        if not (response.ok and route):
            return
        if (final and final[0] not in ("login", "admin:login")) or (final and route == final[0]):
            self.findings.reached.setdefault(route, f"{who} {url}")
        if final:
            self.findings.reached.setdefault(final[0], f"{who} {response.url}")

    def crawl(self, role: str | None, seeds: tuple[str, ...] | list[str]) -> None:
        page = self.context(role)
        who = role or "anonymous"
        queue = deque(seeds)
        asked: set[str] = set()  # each URL once, one instance per route with arguments
        while queue:
            url = queue.popleft()
            route = self.wanted(url, seeds, asked)
            if route is None:
                continue
            response = page.context.request.get(url)
            kind = response.headers.get("content-type", "")
            if not kind.startswith("text/html"):
                self.findings.odd.setdefault(route, f"{who} {url}: {response.status} {kind}")
                continue
            text = response.text()
            self.record(who, url, route, response)
            if VERBOSE:
                print(f"{time.monotonic():.1f} {who} {response.status} {url} {route}", flush=True)
            self.actions(who, text, response.url)
            if self.fresh(text):
                self.check(page, who, "fr", url)
            queue.extend(
                link
                for link in self.links(text, response.url)
                if role == "admin" or not link.startswith("/admin/")
            )
        page.context.close()

    def english(self, role: str) -> None:
        """A few pages in English, switched through the page's own switcher; French back after."""
        page = self.context(role)
        try:
            page.click(".langswitch button[value=en]")
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == "en"
            for url in ENGLISH_PAGES + (("/admin/",) if role == "admin" else ()):
                self.check(page, role, "en", url)
        finally:
            page.goto("/")
            page.click(".langswitch button[value=fr]")
            page.wait_for_load_state()
            page.context.close()

    def run(self) -> Findings:
        start = time.monotonic()
        self.crawl(None, ANONYMOUS_URLS)
        seeds = ["/", *urls_without_arguments(), *EXTRA_URLS, *self.pages]
        for role in ROLES:
            self.crawl(role, seeds + (self.admin_urls if role == "admin" else []))
        for role in ENGLISH_ROLES:
            self.english(role)
        self.findings.seconds = time.monotonic() - start
        return self.findings


#: what the demo company has no row of, made through Sylva's own services in the live
#: server's database before the crawl (so that each of these pages is checked), and removed
#: after it: a fair open now and a matching run (the animator's), a personal API token, a
#: push subscription and the admin's preferences, a webhook (inactive: the crawl sends
#: nothing), an unconfirmed authenticator and recovery codes of a seeded person (not a demo
#: account: their sign-in stays one step), a failed sign-in (an axes attempt), a queued task,
#: the organisation's memory settings saved at their defaults. The notifications and
#: deliveries come with the fair (its audience is told).
CRAWL_ROWS = """
import base64, json
from datetime import datetime, timezone as tz
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory
from sylva.exchange.services.fairs import open_fair
from sylva.exchange.services.runs import run_matching
from sylva.microlearning.models import OrgMemorySettings
from sylva.microlearning.services.answers import set_desired_retention
from sylva.microlearning.tasks import send_nudges
from sylva.notifications.models import Hook, Notification, Preference
from sylva.notifications.services.hooks import save_hook
from sylva.notifications.services.preferences import set_preferences, subscribe_push
from sylva.people.models import Person
from sylva.people.second_factor import new_key, new_recovery_codes, proposed_device
from sylva.people.services.tokens import create_token

def b64(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")

animator = Person.objects.get(user__username="animator")
admin = Person.objects.get(user__username="admin")
made = {
    "since": datetime.now(tz.utc).isoformat(),
    "notification": Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    "preference": Preference.objects.filter(person=admin).exists(),
    "memory": OrgMemorySettings.objects.exists(),
}
made["fair"] = open_fair(animator=animator, title="Axe crawl fair", site=None, minutes=60).pk
made["run"] = run_matching(started_by=animator).pk
made["token"] = create_token(person=admin, name="Axe crawl")[0].pk
made["hook"] = save_hook(
    Hook(name="Axe crawl", service=Hook.Service.values[0], url="https://hooks.example.org/axe",
         kinds=[], active=False)
).pk
set_preferences(admin, digest=None)
key = ec.derive_private_key(7, ec.SECP256R1()).public_key()
made["push"] = subscribe_push(
    admin, endpoint="https://push.example.org/axe-crawl",
    p256dh=b64(key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)),
    auth=b64(bytes(range(16))),
).pk
demo = ("newcomer", "expert", "field", "manager", "animator", "designer", "admin")
other = get_user_model().objects.exclude(username__in=demo).order_by("pk").first()
made["user"] = other.pk
# Sylva's admin hides the password hash (core/confidential.py), whose widget is the only link
# to the form that sets a user's password: the crawl asks for it directly
made["password"] = f"/admin/auth/user/{other.pk}/password/"
device = proposed_device(user=other, key=new_key())
device.save()
new_recovery_codes(user=other)
authenticate(
    request=RequestFactory().post("/login/", REMOTE_ADDR="192.0.2.77"),
    username="axe-crawl-nobody", password="not-a-password",
)
send_nudges.enqueue()
if not made["memory"]:
    set_desired_retention(retention=OrgMemorySettings.current().desired_retention)
# pages a link reaches only on some posts (the crawl sees one post of each role): the
# history of an edited post, and the edit form of a reply of the expert's (a row of its own,
# without the events and notices a reply through the service would add to the demo; every
# role asks for it, the others are refused)
from sylva.communities.models import Post, Reply, Revision
edited = Revision.objects.filter(post__isnull=False).order_by("pk").first()
open_post = Post.objects.filter(
    community__access="open", community__archived_at__isnull=True, hidden_at__isnull=True
).order_by("pk").first()
expert = Person.objects.get(user__username="expert")
made["reply"] = Reply.objects.create(post=open_post, author=expert, body="Axe crawl reply").pk
made["pages"] = [
    f"/communities/p/{edited.post_id}/history/", f"/communities/r/{made['reply']}/edit/"
]
print(json.dumps(made))
"""
CRAWL_ROWS_GONE = """
import json, sys
from axes.models import AccessAttempt
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from sylva.exchange.models import Fair, MatchRun, Proposal
from sylva.microlearning.models import OrgMemorySettings
from sylva.notifications.models import Hook, Notification, Preference, PushSubscription
from sylva.people.models import ApiToken, Person

made = json.loads(sys.stdin.read())
from sylva.communities.models import Reply
Reply.objects.filter(pk=made["reply"]).delete()
Notification.objects.filter(pk__gt=made["notification"]).delete()
Fair.objects.filter(pk=made["fair"]).delete()
Proposal.objects.filter(run_id=made["run"]).delete()
MatchRun.objects.filter(pk=made["run"]).delete()
ApiToken.objects.filter(pk=made["token"]).delete()
Hook.objects.filter(pk=made["hook"]).delete()
PushSubscription.objects.filter(pk=made["push"]).delete()
if not made["preference"]:
    Preference.objects.filter(person__user__username="admin").delete()
TOTPDevice.objects.filter(user_id=made["user"]).delete()
StaticDevice.objects.filter(user_id=made["user"]).delete()
AccessAttempt.objects.filter(username="axe-crawl-nobody").delete()
DBTaskResult.objects.filter(enqueued_at__gte=made["since"]).delete()
if not made["memory"]:
    OrgMemorySettings.objects.all().delete()
"""


def on_live(database: Path, script: str, given: str = "") -> str:
    """Run ``script`` in Django against the live server's database."""
    env = {
        **os.environ,
        "SYLVA_DATABASE_URL": f"sqlite:///{database}",
        "SYLVA_SECRET_KEY": "browser-tests-" + "k" * 50,
        "DJANGO_SETTINGS_MODULE": "sylva.settings",
    }
    code = "import django\ndjango.setup()\n" + script
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, input=given, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


@pytest.fixture(scope="module")
def findings(browser: Any, live_sylva: str, live_sylva_database: Path) -> Iterator[Findings]:
    if not AXE_JS.exists():
        message = f"{AXE_JS} is missing: `make test` installs it (npm ci --prefix tests/browser)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    made = on_live(live_sylva_database, CRAWL_ROWS)
    try:
        with languages_kept(live_sylva_database):  # the English pages switch back to French
            rows = json.loads(made)
            found = Crawler(browser, live_sylva, (rows["password"],), rows["pages"]).run()
        yield found
    finally:
        on_live(live_sylva_database, CRAWL_ROWS_GONE, made)


def test_no_page_has_a_serious_or_critical_accessibility_violation(findings: Findings) -> None:
    print(
        f"axe: {findings.checked} checks, {findings.skipped_same} pages as already checked, "
        f"{findings.seconds:.0f} s"
    )
    assert findings.checked > 100, "the crawl checked almost nothing: is the demo company there?"
    assert not findings.pages, "serious or critical accessibility violations:\n" + findings.report()


def test_every_route_is_visited_or_excluded(findings: Findings) -> None:
    """A new route must be reached by the crawl (a link to it, or a URL without arguments)
    or be listed in NOT_PAGES with the reason it is not a page."""
    missing = []
    for route, pattern in sorted(all_routes().items()):
        if route in findings.reached or not_a_page(route):
            continue
        if ADMIN_ONE_PER_TEMPLATE.search(route):
            kind = ADMIN_ONE_PER_TEMPLATE.search(route).group(1)  # type: ignore[union-attr]
            if any(ADMIN_ONE_PER_TEMPLATE.search(r) and r.endswith(kind) for r in findings.reached):
                continue
        missing.append(
            f"{route} ({pattern}){': ' + findings.odd[route] if route in findings.odd else ''}"
        )
    assert not missing, "routes the accessibility crawl never checked:\n" + "\n".join(missing)


if (
    __name__ == "__main__"
):  # python -m tests.browser.test_accessibility URL: against a running Sylva
    import sys

    import django
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sylva.settings")
    os.environ.setdefault("SYLVA_SECRET_KEY", "crawl-only")
    django.setup()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        result = Crawler(chromium, sys.argv[1]).run()
        chromium.close()
    print(result.report())
    print(
        f"{result.checked} checks, {result.skipped_same} as already checked, {result.seconds:.0f} s"
    )
    missing = [r for r in all_routes() if r not in result.reached and not not_a_page(r)]
    print("not reached:", " ".join(missing))
    print("odd:", result.odd)
