"""Sylva's one settings module, configured by SYLVA_* environment variables.

See docs/operations.md for the list. Defaults give a working embedded installation: an SQLite
file in the working folder, debug off unless asked for.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from sylva.core import secret_key
from sylva.core.env import (
    env_bool,
    env_choices,
    env_header,
    env_int,
    env_list,
    env_rate,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("SYLVA_DEBUG", False)

DATABASES = {
    "default": dj_database_url.parse(
        env_str("SYLVA_DATABASE_URL", f"sqlite:///{Path.cwd() / 'sylva.sqlite3'}"),
        conn_max_age=env_int("SYLVA_DB_CONN_MAX_AGE", 0),
    )
}
# No key is committed in the repository: SYLVA_SECRET_KEY, or the one `sylva demo` generated
# beside its SQLite database, or (tests only) a throwaway one; otherwise Sylva refuses to start.
SECRET_KEY, SYLVA_SECRET_KEY_SOURCE = secret_key.resolve(
    configured=env_str("SYLVA_SECRET_KEY", ""),
    key_file=secret_key.key_file_for(DATABASES["default"]),
)
SYLVA_SECRET_KEY_FILE = secret_key.key_file_for(DATABASES["default"])

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
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "ninja",  # serves the API docs' own static files (no CDN, so CSP holds)
    "sylva.core",
    "sylva.people",
    "sylva.notifications",
    "sylva.exchange",
    "sylva.microlearning",
    "sylva.communities",
    "sylva.insights",
]

MIDDLEWARE = [
    "sylva.core.edges.EdgeMiddleware",  # first: probes, JSON errors under /api/
    "django.middleware.security.SecurityMiddleware",
    "sylva.core.security.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sylva.people.middleware.SecondFactorMiddleware",
    "sylva.core.ratelimit.ApiRateLimitMiddleware",
    "sylva.core.middleware.UserLanguageMiddleware",
    "sylva.core.edges.InputGuardMiddleware",  # after the language: refusals are translated
    "django.contrib.messages.middleware.MessageMiddleware",
    "sylva.core.web.ServiceErrorMiddleware",  # a refusal no page handled: its status page
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
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
            ],
        },
    },
]

# Form widgets are drawn through TEMPLATES, so templates/admin/widgets/ can label the admin's
# split date/time inputs (Django's own widget templates come from "django.forms").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
# seconds the mail server has to answer before a delivery is retried later
EMAIL_TIMEOUT = env_int("SYLVA_EMAIL_TIMEOUT", 10, minimum=1)

# Web push (docs/operations.md, "Notifications"): the VAPID key pair signs the pushes; no
# private key, no push channel. The public key is derived from it when not given.
SYLVA_VAPID_PRIVATE_KEY = env_str("SYLVA_VAPID_PRIVATE_KEY", "")
SYLVA_VAPID_PUBLIC_KEY = env_str("SYLVA_VAPID_PUBLIC_KEY", "")
SYLVA_VAPID_SUBJECT = env_str("SYLVA_VAPID_SUBJECT", "mailto:sylva@localhost")
# chat webhooks must be https://, except where this allows a local plain-http server
SYLVA_WEBHOOK_ALLOW_HTTP = env_bool("SYLVA_WEBHOOK_ALLOW_HTTP", False)

REDIS_URL = env_str("SYLVA_REDIS_URL", "")

SESSION_COOKIE_SECURE = env_bool("SYLVA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- HTTPS and security headers (docs/operations.md, "Security") -------------------------
SECURE_SSL_REDIRECT = env_bool("SYLVA_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SYLVA_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SYLVA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SYLVA_HSTS_PRELOAD", False)
# Behind a TLS-terminating proxy: "X-Forwarded-Proto=https" (only if the proxy sets it).
SECURE_PROXY_SSL_HEADER = env_header("SYLVA_SECURE_PROXY_SSL_HEADER")
# How many proxies in front of Sylva append to X-Forwarded-For (0: use the peer's address).
SYLVA_TRUSTED_PROXY_COUNT = env_int("SYLVA_TRUSTED_PROXY_COUNT", 0)
SECURE_REFERRER_POLICY = env_str("SYLVA_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SYLVA_PERMISSIONS_POLICY = env_str(
    "SYLVA_PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
)
# No inline script anywhere: scripts come from Sylva's own static files. Styles allow inline
# style attributes (charts and bars are drawn with them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Sign-in protection: django-axes locks on the account and on the address -------------
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out sign-in is refused before any password is hashed.
    "sylva.core.auth.SignInGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Where the API's TokenAuth (core) finds a personal token: the ground owns the accounts.
SYLVA_TOKEN_FINDER = "sylva.people.services.find_token"
AXES_FAILURE_LIMIT = env_int("SYLVA_LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SYLVA_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks: account or address
# ... each at its own limit: an address (often a whole site's) takes more failures
SYLVA_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("SYLVA_LOGIN_ADDRESS_FAILURE_LIMIT", 100, minimum=1)
AXES_HANDLER = "sylva.core.auth.SignInLockout"
AXES_RESET_ON_SUCCESS = True  # only failures count: a right password clears them
AXES_LOCKOUT_CALLABLE = "sylva.core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "sylva.core.security.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# --- API rate limits (django-ratelimit's counters, in a cache shared by every process) -----
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The database cache holds across processes and servers; its table is made by the
    # people migrations (and `sylva createcachetable`).
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sylva_ratelimit_cache",
        # Counters last a window; culling a third of them at 300 rows would forget live ones.
        "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4},
    },
}
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_IP_META_KEY = "sylva.core.security.client_ip"
SYLVA_API_RATE = env_rate("SYLVA_API_RATE", "600/m")  # per person (token or session)
SYLVA_API_ADDRESS_RATE = env_rate("SYLVA_API_ADDRESS_RATE", "3000/m")  # per client address

# --- Second factor (django-otp: TOTP, with static recovery codes) -------------------------
# Administrators (staff, superusers, the administrator role) always need one; this adds roles.
SYLVA_REQUIRE_MFA_FOR = env_choices(
    "SYLVA_REQUIRE_MFA_FOR",
    "admin",
    {"admin", "administrator", "animator", "manager", "designer", "learner"},
)
# Usernames that need no second factor even where the rule asks for one: only `sylva demo`
# fills it (its demo accounts), in its own process.
SYLVA_MFA_RELAXED_FOR: frozenset[str] = frozenset()
SYLVA_MFA_ENFORCED = True  # the test suite turns it off, except in the tests of the rule
OTP_TOTP_ISSUER = "Sylva"
# The admin lists and deletes devices (to reset a lost phone) but never shows a key or a
# recovery code: an administrator cannot take another person's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SYLVA_LOG_LEVEL", "WARNING")},
}

# Sylva's own knobs.
SYLVA_NEWCOMER_DAYS = env_int("SYLVA_NEWCOMER_DAYS", 90)
SYLVA_PAGE_SIZE = env_int("SYLVA_PAGE_SIZE", 20)
# communities: an unanswered question goes to its community's hosts after this many hours
SYLVA_COMMUNITIES_ESCALATE_HOURS = env_int("SYLVA_COMMUNITIES_ESCALATE_HOURS", 48, minimum=1)
SYLVA_MIN_AGGREGATE = 5  # no aggregate is ever shown over fewer people than this
SYLVA_ORGANISATION_NAME = env_str("SYLVA_ORGANISATION_NAME", "Boréal Emballages")
# The address people reach Sylva at: links in emails and calendar invites are absolute.
SYLVA_BASE_URL = env_str("SYLVA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Static files are served from the finders when STATIC_ROOT has not been collected (embedded
# demo); WhiteNoise's warning about the missing folder says nothing useful then.
import warnings  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
