"""Sign-in and the language switch (a signed-in person's choice is saved on their profile)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.middleware import SESSION_KEY
from sylva.people.services import set_language as save_language
from sylva.people.web import current_person


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        person = current_person(self.request)
        if person.language:
            self.request.session[SESSION_KEY] = person.language
            translation.activate(person.language)
        elif SESSION_KEY in self.request.session:
            del self.request.session[SESSION_KEY]
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; for a signed-in user the choice is saved on their profile."""
    lang = request.POST.get("language", "")
    if lang not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language."))
    next_url = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, lang, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
    )
    request.session[SESSION_KEY] = lang
    if request.user.is_authenticated:
        save_language(person=current_person(request), language=lang)
    return response
