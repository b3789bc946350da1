"""Sylva's one settings module, configured by SYLVA_* environment variables.

See docs/operations.md for the list. Defaults give a working embedded installation: an SQLite
file in the working folder, debug off unless asked for.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from sylva.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("SYLVA_DEBUG", False)
SECRET_KEY = env_str("SYLVA_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("SYLVA_REQUIRE_SECRET_KEY", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SYLVA_SECRET_KEY must be set")
    # A fixed development key: fine for the embedded demo, never for production
    # (set SYLVA_SECRET_KEY, or SYLVA_REQUIRE_SECRET_KEY=true to refuse to start without one).
    SECRET_KEY = "sylva-insecure-development-key-change-me-in-production-0123456789"

ALLOWED_HOSTS = env_list("SYLVA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("SYLVA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "sylva.core",
    "sylva.people",
    "sylva.exchange",
    "sylva.microlearning",
    "sylva.insights",
]

MIDDLEWARE = [
    "sylva.core.edges.EdgeMiddleware",  # first: probes, JSON errors under /api/
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sylva.core.middleware.UserLanguageMiddleware",
    "sylva.core.edges.InputGuardMiddleware",  # after the language: refusals are translated
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "sylva.urls"
WSGI_APPLICATION = "sylva.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sylva.core.context_processors.shell",
                "sylva.microlearning.context_processors.learn_urls",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("SYLVA_DATABASE_URL", f"sqlite:///{Path.cwd() / 'sylva.sqlite3'}"),
        conn_max_age=env_int("SYLVA_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("SYLVA_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "sylva_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("SYLVA_STATIC_ROOT", str(Path.cwd() / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": env_str("SYLVA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_URL = env_str("SYLVA_EMAIL_URL", "console://")
if EMAIL_URL.startswith("console:"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:  # smtp://user:password@host:port
    from urllib.parse import unquote, urlparse

    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
DEFAULT_FROM_EMAIL = env_str("SYLVA_DEFAULT_FROM_EMAIL", "sylva@localhost")

REDIS_URL = env_str("SYLVA_REDIS_URL", "")

SESSION_COOKIE_SECURE = env_bool("SYLVA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SYLVA_LOG_LEVEL", "WARNING")},
}

# Sylva's own knobs.
SYLVA_NEWCOMER_DAYS = env_int("SYLVA_NEWCOMER_DAYS", 90)
SYLVA_PAGE_SIZE = env_int("SYLVA_PAGE_SIZE", 20)
SYLVA_MIN_AGGREGATE = 5  # no aggregate is ever shown over fewer people than this
SYLVA_ORGANISATION_NAME = env_str("SYLVA_ORGANISATION_NAME", "Boréal Emballages")
# The address people reach Sylva at: links in emails and calendar invites are absolute.
SYLVA_BASE_URL = env_str("SYLVA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Static files are served from the finders when STATIC_ROOT has not been collected (embedded
# demo); WhiteNoise's warning about the missing folder says nothing useful then.
import warnings  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
