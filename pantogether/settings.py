"""Settings of the PAN-TOGETHER portal.

Every deployment value is read from the environment (django-environ); the
defaults run at once on a developer machine: SQLite file, local-memory cache,
DEBUG off. The production security block is switched on by HTTPS=true and is
checked by `manage.py check --deploy` in CI. README.md lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment wins

# --- Core -------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# The default key only suits a developer machine; `check --deploy` rejects it.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-dev-only-pantogether")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------
INSTALLED_APPS = [
    # Django
    # Django's admin, with the second factor for pilot staff (accounts/admin_site.py)
    "accounts.admin_site.PanTogetherAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Third party
    "csp",
    "core.apps.LoginAttemptsConfig",  # django-axes, renamed in the admin menu
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "import_export",
    "django_otp",
    "accounts.apps.AuthenticatorAppsConfig",  # django_otp.plugins.otp_totp
    "accounts.apps.BackupCodesConfig",  # django_otp.plugins.otp_static
    # Ours: the project, the domain apps, the shared layer (docs/architecture.md)
    "pantogether",
    "centres",
    "rcp",
    "trials",
    "opendata",
    "content",
    "search",
    "accounts",
    "core",
]

# --- Middleware -------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the cache, before sessions and the database.
    "core.pagecache.PageCacheMiddleware",
    "core.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): a one-time code confirmed in this session.
    "django_otp.middleware.OTPMiddleware",
    "core.security.StaffSessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last (it inspects the finished login attempt).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pantogether.urls"
WSGI_APPLICATION = "pantogether.wsgi.application"

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
                "pantogether.context_processors.site",
                "pantogether.seo.canonical",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock at BEGIN, so the threaded dev server does not fail
    # with "database is locked" when two requests write at once.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -------------------------------------------------------------
# Redis when REDIS_URL is set (Django's own backend, wrapped so that an outage
# degrades to "no cache" instead of an error page); local memory otherwise.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole anonymous public pages and feeds (core/pagecache.py): seconds an entry is
# kept (0 disables the page cache). Nothing invalidates an entry: an edit reaches
# anonymous visitors within this time; staff (with a session) see it at once.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
PAGE_CACHE_SKIP_PREFIXES = ["/admin/"]
# When an entry expires, one request renders the page while the others for it
# wait for its entry, this many seconds at most (0: every request renders).
PAGE_CACHE_LOCK_WAIT = env.float("PAGE_CACHE_LOCK_WAIT", default=5.0)

# --- Open data API (opendata/api/) --------------------------------------------------
# Read-only JSON: no session, no authentication, no browsable HTML (see opendata/api/http.py).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_METADATA_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API des données ouvertes de PAN-TOGETHER",
    "DESCRIPTION": (
        "Lecture seule, sans authentification, ouverte à toutes les origines (CORS). "
        "Centres, personnes et leurs rôles publics, RCP (règle RRULE, prochaines séances "
        "et dates limites), essais cliniques et leurs lieux, axes, régions, départements. "
        "Seuls les contenus publiés y figurent. Chaque réponse porte un ETag : renvoyé dans "
        "If-None-Match, il donne 304 si rien n’a changé. Licence Ouverte 2.0 (Etalab)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "TrialStatusEnum": "trials.models.Status",
        "PhaseEnum": "trials.models.Phase",
        "SettingEnum": "trials.models.Setting",
    },
}

# --- Admin imports and exports (django-import-export) ------------------------
# The formats (CSV as French Excel writes it, XLSX) are set on the admin classes
# (centres/admin_import.py).
# A file is imported whole or not at all.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# --- Authentication -----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Invitations and « Mot de passe oublié » links (Django's reset token) last 3 days.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

# Two-factor authentication (django-otp, accounts/admin_site.py). When on, the
# pilot staff (superusers and « Pilotage du réseau ») must confirm a code from an
# authenticator app before any admin page; every staff user may enrol one. Off
# on a developer machine (`make run`'s demo account), on by default with HTTPS.
# Without a device yet, a superuser enrols at first login, or gets a one-time
# code from `manage.py addstatictoken USER`.
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=env.bool("HTTPS", default=False))
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="PAN-TOGETHER")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # a device's key never shows in the admin

# Brute force (django-axes 8): 5 failures from one address, or for one user name
# from any number of addresses, refuse further logins (even right ones) for the
# cool-off time; a successful login before that resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
# Reverse proxies in front of gunicorn, each appending to X-Forwarded-For. With
# 0, the client is REMOTE_ADDR; otherwise the PROXY_COUNT-th address from the
# right (axes would otherwise see the proxy's address: everyone locked together).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"

# Staff sessions: 30 minutes idle, 12 hours in all.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files ---------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Photos no row names any more (replaced, cleared, deleted) move here, out of
# public reach, until a revert or a restore brings them back. Never serve it,
# never put it under MEDIA_ROOT or STATIC_ROOT. Empty: <MEDIA_ROOT>-retired.
RETIRED_MEDIA_ROOT = env("RETIRED_MEDIA_ROOT", default="")
# Serve uploaded media from Django (photos, RCP case forms) when no proxy does.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Maps -------------------------------------------------------------
# Tiles for the interactive map (progressive enhancement). Empty disables it;
# the server-drawn map and the list work without tiles and without JavaScript.
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="© contributeurs OpenStreetMap (ODbL)")

# --- Legal notice -------------------------------------------------------------
# Printed on /mentions-legales/; the defaults say on the page that they are missing.
PUBLICATION_DIRECTOR = env(
    "PUBLICATION_DIRECTOR",
    default="à renseigner (variable d’environnement PUBLICATION_DIRECTOR non définie)",
)
HOSTING_PROVIDER = env(
    "HOSTING_PROVIDER",
    default="à renseigner\u00a0: nom, adresse et téléphone de l’hébergeur "
    "(variable d’environnement HOSTING_PROVIDER non définie)",
)


def _origin(url: str) -> str:
    """The scheme://host part of a tile URL template, for the CSP."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


# --- Security -------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"] + ([_origin(MAP_TILE_URL)] if _origin(MAP_TILE_URL) else []),
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}

HTTPS = env.bool("HTTPS", default=False)
if HTTPS:
    # Production behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# --- E-mail -------------------------------------------------------------
# The console by default (a developer machine prints invitations and reset links);
# production sets the SMTP backend and its server (README, « Settings »).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PAN-TOGETHER <ne-pas-repondre@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", a) for a in env.list("ADMIN_EMAILS", default=[])]
# The network's public address: « Signaler une erreur » on a trial page, and on a
# centre or RCP page that has no address of its own, writes to it.
NETWORK_EMAIL = env("NETWORK_EMAIL", default="contact@pan-together.fr")

# --- Logging -------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # Logins, logouts, failures and lockouts (core/security.py), always
        # logged whatever LOG_LEVEL; they reach the console through the root logger.
        "pantogether.security": {"level": "INFO"},
        # Cache outages (logged and bypassed) and page-cache problems.
        "pantogether.cache": {"level": "WARNING"},
        # django-axes' own lines: failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}
