"""Django settings, read from the environment with safe development defaults.

Production (``DEBUG`` false) refuses to start with the development secret key, so a forgotten
``SECRET_KEY`` never ships, and has no default emergency number (see ``SCIATRACK_EMERGENCY_NUMBER``).
Secrets can come from a file (``SECRET_KEY_FILE``) for container and systemd deployments.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

# Generic Django classes (ModelAdmin[Any], ModelForm[Any]) become subscriptable, for strict typing.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("SCIATRACK_HOME", Path.cwd())).resolve()
VAR_DIR = BASE_DIR / "var"

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"  # noqa: S105 - refused in production


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")


def env_secret(name: str, default: str = "") -> str:
    """Read ``NAME`` or, when ``NAME_FILE`` is set, the stripped contents of that file."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {error}") from error
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_secret("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY (or SECRET_KEY_FILE) must be set to a long random value when DEBUG is off"
    )

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The number the emergency advice tells people to call (112, 999, 000, ...). Development falls back to
# North America's 911; production (DEBUG off) has no default: left empty, and ``sciatrack serve`` and
# Django's system checks (``check --deploy``, ``runserver``) refuse to start until it is set
# (sciatrack.care.checks, which also refuses a blank or odd value).
DEVELOPMENT_EMERGENCY_NUMBER = "911"
SCIATRACK_EMERGENCY_NUMBER = os.environ.get(
    "SCIATRACK_EMERGENCY_NUMBER", DEVELOPMENT_EMERGENCY_NUMBER if DEBUG else ""
).strip()
# Registry pages and exports hide any cohort with fewer patients than this, so no one can be singled out.
SCIATRACK_REGISTRY_MIN_COHORT = max(1, int(os.environ.get("SCIATRACK_REGISTRY_MIN_COHORT", "10")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "sciatrack.accounts",
    "sciatrack.library",
    "sciatrack.care",
    "sciatrack.check",
    "sciatrack.program",
    "sciatrack.progress",
    "sciatrack.clinic",
    "sciatrack.registry",
    "sciatrack.nudges",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files, compressed ahead by collectstatic: WhiteNoise answers before gzip is reached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers gzip-compressed for browsers that accept it: a third of the size or less.
    # Compressing a page that holds a secret opens it to BREACH: guessing the secret from the sizes of
    # thousands of answers that echo the attacker's guesses beside it. The secret in every form, the CSRF
    # token, is masked anew for each answer (Django's get_token, in kept pages too: lib/page_cache), so
    # its compressed size gives nothing away; the session cookie travels in a header, never compressed,
    # and is SameSite=Lax, so another site cannot have a signed-in browser fetch our pages behind the
    # person's back to make those thousands of answers.
    "django.middleware.gzip.GZipMiddleware",
    "sciatrack.lib.request_limits.RequestLimitsMiddleware",  # a body over its limit: 413, unread
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sciatrack.accounts.two_factor.SecondFactorMiddleware",  # staff confirm a code before /clinic/, /admin/
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is locked out for AXES_COOLOFF_TIME; a correct login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in user with one plain statement (see its module).
    "sciatrack.accounts.backends.PasswordBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
OTP_TOTP_ISSUER = "Sciatrack"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address is REMOTE_ADDR: behind a proxy every client shares it, so the lockout is then per username.

# Content-Security-Policy (django-csp): scripts only from our own files, never inline; nothing from
# other sites. Inline styles stay allowed: the charts are SVG with their own <style>, and the printable
# pages carry theirs so they work saved to disk.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "sciatrack.urls"
WSGI_APPLICATION = "sciatrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sciatrack.check.safety.context",
            ],
        },
    },
]


def database_from_environment() -> dict[str, Any]:
    """``DATABASE_URL`` when set (PostgreSQL in production), else SQLite under ``var/``.

    SQLite runs in WAL mode with a busy timeout and ``BEGIN IMMEDIATE`` transactions so that
    concurrent writers wait for each other instead of failing with "database is locked"; transactions
    queue on a file lock first (:mod:`sciatrack.db.sqlite.base`).
    """
    url = os.environ.get("DATABASE_URL")
    # Connections are kept open between requests: opening one (and, for SQLite, running the PRAGMAs
    # below) costs more than a whole page.
    conn_max_age = int(os.environ.get("CONN_MAX_AGE", "60"))
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    else:
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "sciatrack.sqlite3")),
            "CONN_MAX_AGE": conn_max_age,
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Django's SQLite backend, with transactions queued by a file lock (see its module).
        config["ENGINE"] = "sciatrack.db.sqlite"
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
            ),
        }
    return config


DATABASES = {"default": database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for new and changed passwords; the others only read hashes made before it was the default.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files. `sciatrack serve` (a real server, and `make run`) serves them collected into STATIC_ROOT
# (sciatrack.static_files), each under a name holding a hash of its content (css/site.3f2a9c0b1d4e.css),
# compressed ahead (gzip, and Brotli with the brotli package) and kept by browsers for good ("immutable",
# WhiteNoise's ten years): a changed file gets a new name, so no page revalidates them. It sets
# SCIATRACK_STATIC_COLLECTED for itself; with DEBUG off the files are always collected. Everything else
# (tests, `sciatrack manage runserver`) serves them straight from the package, with no step first and no
# caching, so an edited file shows at once.
STATIC_COLLECTED = not DEBUG or env_bool("SCIATRACK_STATIC_COLLECTED", False)
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # WhiteNoise's compressed, hashed storage, naming files by their hashed names with DEBUG on too.
            "sciatrack.static_files.HashedStaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Source maps are read only by developers' tools: compressing the API docs' large ones was most of the
# time collectstatic takes, which `sciatrack serve` runs before it starts.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
WHITENOISE_AUTOREFRESH = not STATIC_COLLECTED
# Files served at the site's root rather than under STATIC_URL: /favicon.ico, which browsers and other
# programs ask for without being told where the icon is.
WHITENOISE_ROOT = PACKAGE_DIR / "static_root"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

# "default" is Django's own default. "pages" keeps whole rendered pages (sciatrack.lib.page_cache): each
# worker process its own, about 8 kB a page. Keys name everything a page shows, so a kept page is never
# out of date, only no longer asked for: no timeout, and when full the least recently used page goes
# (culling MAX_ENTRIES // CULL_FREQUENCY pages, that is one, at a time).
_PAGES_KEPT = 2000
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sciatrack-pages",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": _PAGES_KEPT, "CULL_FREQUENCY": _PAGES_KEPT},
    },
}

# Database sessions (shared by every worker, so signing out anywhere counts everywhere), read faster.
SESSION_ENGINE = "sciatrack.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading binds the whole domain to HTTPS in browsers for months: the operator opts in.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# For the SMTP backend (password resets, invitations).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sciatrack <sciatrack@localhost>")

# Reminders (sciatrack.nudges). Links in e-mail and push messages start with the site's address.
SCIATRACK_SITE_URL = os.environ.get("SCIATRACK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Web Push (VAPID) keys, base64url: the raw 32-byte private key and the 65-byte public key. Unset with DEBUG
# on, a development pair is made in var/vapid.json on first use; unset with DEBUG off, push is off.
SCIATRACK_VAPID_PRIVATE_KEY = env_secret("SCIATRACK_VAPID_PRIVATE_KEY", "")
SCIATRACK_VAPID_PUBLIC_KEY = os.environ.get("SCIATRACK_VAPID_PUBLIC_KEY", "")
SCIATRACK_VAPID_SUBJECT = os.environ.get("SCIATRACK_VAPID_SUBJECT", "mailto:sciatrack@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
