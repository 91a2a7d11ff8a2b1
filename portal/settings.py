"""Settings for the Vägar till hållbar utveckling portal.

One module, configured from the environment. The defaults let a fresh clone run with nothing set
(SQLite under var/, DEBUG on); production sets DEBUG=0 and must then provide SECRET_KEY and
ALLOWED_HOSTS, or start-up fails with a message saying which.
"""

import hashlib
import os
import re
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


class SettingError(SystemExit):
    """A missing or mistyped setting. Its message is the one line on stderr, with exit status 1, not at the
    end of a traceback of Django's start-up. gunicorn loads the app in its master (preload_app), so it stops
    too, rather than restarting workers that fail the same way."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise SettingError(f"{name} must be {minimum} or more, not {number}.")
    return number


def release_fingerprint(base: Path) -> str:
    """A short digest of what a response is made from besides the data: the code, templates, translations and
    static files, by content, so that every node of one release gets the same one and a deploy that changes
    only Python code is a new release too."""
    digest = hashlib.sha256()
    folders = ("portal", "regions", "initiatives", "contacts", "editorial", "templates", "locale", "static")
    for folder in folders:
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and path.suffix not in (".pyc", ".mo") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


if os.environ.get("DEBUG") is not None and not os.environ["DEBUG"].strip():
    # Set but empty (`DEBUG=` in an env file, `DEBUG=${DEBUG}` with nothing behind it) would otherwise mean
    # the default, DEBUG on, with the development key and hosts: never guess here.
    raise SettingError(
        "DEBUG is set but empty: set it to 0 in production (1 for development), or leave it out."
    )
DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise SettingError(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # Only reachable with DEBUG on: a key that is obviously not for production.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
# Rotating the key: put the old one here for a while, so that sessions and password-reset links signed with
# it stay valid until they expire (comma-separated).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise SettingError("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names).")

INSTALLED_APPS = [
    "editorial.apps.PortalAdminConfig",  # django.contrib.admin with the portal's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    # Search lookups (unaccent, trigram) on PostgreSQL; harmless on SQLite.
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    "editorial",
    "regions",
    "initiatives",
    "contacts",
]

MIDDLEWARE = [
    "portal.middleware.request_log",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.public_methods_only",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.language_from_address_only",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records which staff user made each change in the content history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Login throttling; last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "portal.context_processors.language_switch",
            ],
        },
    },
]

# SQLite under var/ is the embedded default so that a first `make run` needs nothing installed;
# production points DATABASE_URL at PostgreSQL (postgres://user:password@host:5432/name).
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
if not env_str("DATABASE_URL"):
    # SQLite cannot create the folder its file lives in; a fresh clone has no var/ yet.
    VAR_DIR.mkdir(exist_ok=True)
_DATABASE_URL = env_str("DATABASE_URL") or DEFAULT_DATABASE_URL
_DATABASE_SCHEME = _DATABASE_URL.partition(":")[0] + "://"  # what the messages below may show: no password
_NOT_OURS = (
    "DATABASE_URL must be a postgres:// (production) or sqlite:/// (the embedded default) address, "
    f"not {_DATABASE_SCHEME}"
)
try:
    DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
except dj_database_url.UnknownSchemeError:
    raise SettingError(_NOT_OURS) from None
except ValueError:
    raise SettingError(
        f"DATABASE_URL is not a valid {_DATABASE_SCHEME} address: check its host, port and database name."
    ) from None
if DATABASES["default"]["ENGINE"] not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
    raise SettingError(_NOT_OURS)
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and DATABASES["default"]["NAME"] in ("", ":memory:"):
    # SQLite in memory: each process would get its own empty database; start-up and /readyz pass, every
    # page is a 503.
    raise SettingError(
        "DATABASE_URL sqlite:// has no file: give one, sqlite:////absolute/path/portal.sqlite3."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database host must fail a request fast (a clean 503), not hang it until gunicorn's
    # worker timeout. `?connect_timeout=N` in DATABASE_URL overrides this.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff sign in to the admin; after signing in (or when a `next` address is refused as external) they land
# on its index, not on Django's default /accounts/profile/, which does not exist here.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: five failed logins for the same username from the same address lock that pair out
# for 15 minutes (HTTP 429). A success resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Counted per (username, address) and per address: the address limit is ADDRESS_FAILURE_LIMIT
# (portal/login_throttle.py). The order matters to that handler.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
ADDRESS_FAILURE_LIMIT = 20
AXES_HANDLER = "portal.login_throttle.PairAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# Which address a failed login counts against: the client's, also behind the proxy (portal/client_ip.py).
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"

# E-mail: staff get their password links this way (regions/staff_passwords.py), through the SMTP server
# EMAIL_HOST (with DEBUG off: localhost unless set). With DEBUG on and no EMAIL_HOST, messages are
# printed on the console instead.
_EMAIL_HOST = env_str("EMAIL_HOST", "" if DEBUG else "localhost")
_EMAIL_USE_TLS, _EMAIL_USE_SSL = env_bool("EMAIL_USE_TLS", False), env_bool("EMAIL_USE_SSL", False)
if _EMAIL_USE_TLS and _EMAIL_USE_SSL:
    raise SettingError(
        "EMAIL_USE_TLS and EMAIL_USE_SSL are both on: choose one (TLS: STARTTLS, usually port 587; "
        "SSL: implicit TLS, usually port 465)."
    )
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER") or None,
                "password": env_str("EMAIL_HOST_PASSWORD") or None,
                "use_tls": _EMAIL_USE_TLS,
                "use_ssl": _EMAIL_USE_SSL,
                "timeout": 10,
            },
        }
        if _EMAIL_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Vägar till hållbar utveckling <noreply@tillvaxtverket.se>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address as people reach it, for links in e-mail sent without a request (the review notices,
# the monthly reminder: editorial/notifications.py).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# A password link works once, for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Swedish at the plain addresses, the English interface under /en/ (portal/urls.py). The content itself is
# Swedish in both; only the interface is translated (locale/en/LC_MESSAGES/django.po).
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Stockholm")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise SettingError(
        f"TIME_ZONE must be an IANA time zone such as Europe/Stockholm, not {TIME_ZONE!r}."
    ) from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files while developing so that no
        # collectstatic is needed for `make run`.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# --- Caching -------------------------------------------------------------------------------------
# Public pages, downloads, feeds, the sitemap and the API are cached whole for anonymous visitors under the
# catalogue version, which every edit bumps (portal/page_cache.py). Without CACHE_URL the cache is in each
# process's memory in front of files shared by the machine's processes: no server to run, and the version
# check keeps every process current. With several app servers, CACHE_URL names a shared Redis (or Valkey)
# server, redis://host:6379/0, so that a page is rendered once per version for all of them (portal/cache.py:
# a Redis that cannot be reached is a miss, never an error page). Responses above PAGE_CACHE_MAX_BYTES are
# not kept.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)  # 0 turns the page cache off
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_BYTES", 1024 * 1024)
# Parts shared by many responses, kept per catalogue version (portal/fragments.py); 0 turns them off.
FRAGMENT_CACHE_ENTRIES = env_int("FRAGMENT_CACHE_ENTRIES", 20000, minimum=0)
FRAGMENT_CACHE_SECONDS = 3600  # the version key makes them current; this only frees an idle process's memory
# Without CACHE_URL: where the processes of one machine share their pages (private to the app: pickles), and
# how many files at most.
PAGE_CACHE_DIR = Path(env_str("PAGE_CACHE_DIR") or VAR_DIR / "page-cache")
PAGE_CACHE_FILES = env_int("PAGE_CACHE_FILES", 5000, minimum=0)
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise SettingError(f"CACHE_URL must be a redis://, rediss:// or unix:// address: {CACHE_URL!r}")
CACHES = {
    "default": {
        "BACKEND": "portal.cache.ResilientRedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "portal",
        "TIMEOUT": PAGE_CACHE_SECONDS or 300,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if CACHE_URL
    else {
        # Each process's memory in front of files shared by every process on the machine, so that after an
        # edit each page is rendered once per machine, not once per worker (PAGE_CACHE_FILES=0: memory only).
        "BACKEND": "portal.cache.MachineCache"
        if PAGE_CACHE_FILES
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": str(PAGE_CACHE_DIR),
        "TIMEOUT": PAGE_CACHE_SECONDS or 300,
        # About 2,000 pages of 15-60 kB: 60-120 MB per process at most; the files hold a third of that
        # compressed (zlib), so 5,000 of them take about 50-100 MB on disk.
        "OPTIONS": {
            "MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 2000, minimum=1),
            "FILE_ENTRIES": PAGE_CACHE_FILES,
        },
    },
    # Search pages (portal/page_cache.py: cached_search_page): the most recent 300 per process, about 10 MB.
    # Always in the process, even with CACHE_URL: endless query strings must not push pages out of a shared
    # cache.
    "search": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "search",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
    # Parts many responses repeat (portal/fragments.py: an insatsområde's API payload, …), per catalogue
    # version, in each process: about 2 kB each (measured at 1× and 100×), so 40 MB at most by default.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": max(FRAGMENT_CACHE_ENTRIES, 1)},
    },
}
# The whole catalogue's CSV and JSON, written out once per catalogue version (portal/written_out.py).
DOWNLOADS_DIR = Path(env_str("DOWNLOADS_DIR") or VAR_DIR / "downloads")
# How long a proxy or CDN in front of the app may keep an anonymous page before it revalidates it with its
# ETag (Cache-Control s-maxage). 0, the default, lets nobody but the browser keep a page, and the browser
# revalidates each time, so an edit shows at once everywhere; a few seconds let a micro-cache in front
# (docs/deploy/nginx.conf) absorb a rush, at the price of an edit showing that much later.
PROXY_CACHE_SECONDS = env_int("PROXY_CACHE_SECONDS", 0)
# Part of every page's ETag and cache key, so that a deploy is never answered from an earlier release's
# pages: set RELEASE to the release's id (e.g. the git commit); without it, a digest of the templates,
# translations and static files is used.
RELEASE = env_str("RELEASE") or release_fingerprint(BASE_DIR)
if not re.fullmatch(r"[A-Za-z0-9._+-]{1,64}", RELEASE):
    # It goes into every ETag (a quote would end it) and cache key (a space is not allowed in one).
    raise SettingError(
        f"RELEASE must be letters, digits and . _ + - (at most 64), such as a commit: {RELEASE!r}"
    )

# --- Security headers and HTTPS ------------------------------------------------------------------
# No inline scripts or styles anywhere; anything inline would need the request's nonce (csp_nonce).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # The one inline style attribute of a library template (django-simple-history's history list:
    # style="border-top: 0"), allowed by its hash rather than by allowing inline styles.
    "style-src-attr": ["'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=(), payment=(), usb=()"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Served over HTTPS only: on by default in production. `make serve` turns it off to try the production
# server on plain http://127.0.0.1.
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
# The health checks answer over plain HTTP too: a load balancer probing the app server directly would read
# a redirect to https as down. They carry no cookies and no content.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
# The preload directive only makes the domain eligible for the browsers' preload list; submitting it there
# is a separate, deliberate step for the agency.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", HTTPS_ONLY)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients), say so.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For is believed (the same list gunicorn trusts); see portal/client_ip.py.
TRUSTED_PROXIES = env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# When on, only editors may publish: a regional coordinator's new insatsområden stay drafts until an
# editor publishes them. Off by default: coordinators publish in their own region.
PUBLISH_REQUIRES_EDITOR = env_bool("PUBLISH_REQUIRES_EDITOR", False)

# The contact point named in the open-data description (/datasets/dcat) for questions about the data.
DATA_CONTACT_EMAIL = env_str("DATA_CONTACT_EMAIL", "tillvaxtverket@tillvaxtverket.se")

# The source texts the catalogue is seeded from (copied from ../shared/seeds so the repo stands alone).
SEED_DIR = BASE_DIR / "fixtures"

# One line per request (portal.middleware.request_log) and every error, on stderr: JSON in production,
# plain text while developing. LOG_FORMAT=json|plain overrides.
LOG_FORMAT = env_str("LOG_FORMAT") or ("plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise SettingError(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}.")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise SettingError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.logging.JsonFormatter"},
    },
    "filters": {"database_unavailable": {"()": "portal.logging.DatabaseUnavailable"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["database_unavailable"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # django-axes announces itself on every start; its lockouts are warnings and still logged.
    "loggers": {
        "axes": {"level": "WARNING"},
        # Naming "django" here drops the console handler Django gives it (DEBUG only), which printed every
        # django.* record a second time beside the root's. The level is Django's own default.
        "django": {"level": "INFO"},
        # The request line is the portal's own (below); Django's duplicate 4xx warnings add nothing.
        "django.request": {"level": "ERROR"},
        # runserver's access line repeats the portal's request line; only its own errors are kept, on the
        # root's handler (Django's default config does not let them propagate).
        "django.server": {"level": "ERROR", "propagate": True},
    },
}
