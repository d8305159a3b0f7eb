"""Django settings: one base, filled from the ``PEERLADDER_*`` environment.

Defaults work on a laptop with nothing installed (SQLite in ``./var``); production
values come from the environment (see docs/configuration.md).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from peerladder.config import environment

try:
    ENV = environment.load()
except environment.ConfigurationError as exc:
    raise ImproperlyConfigured(str(exc)) from None

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = ENV.data_dir

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI's files itself: the API docs work offline
    "peerladder.catalogue",
    "peerladder.accounts",
    "peerladder.web",
    "peerladder.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "peerladder.config.security.content_security_policy",
    "peerladder.config.security.url_length_limit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for responses with no CSRF token and no signed-in reader's own page (BREACH):
    # config/compression.py. Static files never get here (WhiteNoise answers them).
    "peerladder.config.compression.compress_public_responses",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: from its URL prefix (/es/…), else English (web/language.py
    # sends a visitor who chose or asks for another language to its prefixed page).
    "django.middleware.locale.LocaleMiddleware",
    "peerladder.web.language.prefer_language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "peerladder.web.error_pages.method_not_allowed_pages",
    "peerladder.web.moved.moved_cases",
    "peerladder.api.moved.moved_cases",
]

if ENV.replicas:
    DATABASE_ROUTERS = ["peerladder.config.replicas.ReplicaRouter"]
    # Before the session is read: a pinned client's session comes from the primary too.
    MIDDLEWARE.insert(1, "peerladder.config.replicas.ReplicaRoutingMiddleware")

ROOT_URLCONF = "peerladder.config.urls"
# A form without a valid CSRF token gets the site's own 403 page, saying what to do.
CSRF_FAILURE_VIEW = "peerladder.web.error_pages.csrf_failure"
WSGI_APPLICATION = "peerladder.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "peerladder.web.language.language_context",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": ENV.database}
# Read replicas (PEERLADDER_DATABASE_REPLICA_URLS, docs/scaling.md): read-only requests
# read from a replica; a client that just wrote reads from the primary for
# REPLICA_PIN_SECONDS; a replica further behind than REPLICA_MAX_LAG_SECONDS, or down,
# is skipped (each process checks at most every REPLICA_CHECK_SECONDS).
for _number, _replica in enumerate(ENV.replicas, start=1):
    DATABASES[f"replica{_number}"] = _replica
REPLICA_MAX_LAG_SECONDS = 5.0
REPLICA_CHECK_SECONDS = 2.0
REPLICA_PIN_SECONDS = 10
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PEERLADDER_CACHE_URL = ENV.cache_url
if ENV.cache_url:
    CACHES = {
        "default": {
            # A Redis that fails is bypassed (logged), never a 500: config/cache.py.
            "BACKEND": "peerladder.config.cache.ResilientRedisCache",
            "LOCATION": ENV.cache_url,
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }
else:
    # Each worker's own memory: room for the pages of a few thousand cases (kept
    # compressed, about 6 KB each; Django's default of 300 entries thrashes).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Named pages: each resolves to the address in the visitor's language.
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "en"
# Each language under its own name, as a speaker of it looks for it in the switcher.
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt-br", "Português (Brasil)"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
]
# The ladder's texts have their catalogue in locale/, the interface's in web/locale
# (docs/translating.md). Both are listed here, not left to be found as the apps' own:
# an app's catalogue yields to those of the apps listed before it, and Django's admin
# would then answer for the interface's "History" or "Save".
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "web" / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Dates and numbers in each language's own way (Django's formats); English keeps the
# site's ISO dates (peerladder/formats/en).
FORMAT_MODULE_PATH = ["peerladder.formats"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cached by browsers for a year: WhiteNoise sends them as
    # immutable), each with a .gz and a .br beside it. `peerladder serve` and
    # `peerladder demo` collect them into STATIC_ROOT before serving.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Files not collected (a template's new file, before the next start) are still served
# from the package, under their plain names and for a short time.
WHITENOISE_USE_FINDERS = True
# Collecting compresses each file: only the hashed copies (the pages name those), and
# not the source maps (10 of the 19 MB, fetched only by a browser's developer tools).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "peerladder <noreply@localhost>"

# Behind HTTPS (PEERLADDER_HTTPS=1, docs/configuration.md): secure cookies, HSTS, the
# redirect to HTTPS, and the proxy's X-Forwarded-Proto trusted to say a request came
# in over HTTPS. `manage.py check --deploy` then gives no warning.
if ENV.https:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a balancer's health checks may use HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Per-address limits read the client's address from the proxy's X-Forwarded-For.
    TRUST_FORWARDED_FOR = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    LANGUAGE_COOKIE_SECURE = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Peer production (docs/contributing.md): a new account's first edits wait for a
# moderator; rate limits are (requests, seconds), counted in Redis when the cache URL
# names one, else in the database (accounts/ratelimit.py), so every worker shares them.
REVIEW_FIRST_EDITS = 3
RATE_LIMIT_LOGIN = (5, 300)
RATE_LIMIT_EDITS_NEW_ACCOUNT = (8, 60)
RATE_LIMIT_EDITS = (90, 60)

# Case page views are counted in each process and written in batches
# (catalogue/services/view_counts.py): every this many seconds, or sooner when this
# many are waiting, and at exit. A crash loses at most these seconds of counts.
VIEW_COUNT_FLUSH_SECONDS = 5.0
VIEW_COUNT_BATCH_SIZE = 1000

# Learned models (similar cases, rung suggestions) live in the database; each process
# looks for a newer version at most this often (search/store.py).
LEARNED_MODEL_CHECK_SECONDS = 5.0
