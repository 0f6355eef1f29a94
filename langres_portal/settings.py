"""Settings of the portal, read from the environment (see README and .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
# The site's public address, for the links of e-mails sent outside a request (reminders, timers).
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "langres_portal.core.admin_site.PortalAdminConfig",  # django.contrib.admin with the site identity's name
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    # The admin's rich text editor (its static files; core.fields.RichTextAdminWidget uses it).
    "django_prose_editor",
    "simple_history",  # history of the public content, with restore (core.history)
    # --- Staff login (issue 11, item 7): lockout, second factor ---
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # --- end staff login ---
    # Order matters: content loaders and purgers run in this order.
    "langres_portal.core",
    "quartiers",
    "contrat_ville",
    "pre",
    "microprojets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records who made each version of the content (core.history), also for saves outside a ModelAdmin.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # --- Staff login (issue 11, item 7): OTP state, session limits, second factor (after messages: they add some) ---
    "django_otp.middleware.OTPMiddleware",
    "langres_portal.core.staff_auth.StaffSessionMiddleware",
    "langres_portal.core.staff_auth.StaffTwoFactorMiddleware",
    # --- end staff login ---
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, plus the nonce of the rich text editor's import map on admin pages (core.middleware).
    "langres_portal.core.middleware.CSPMiddleware",
    # Says in the admin what the sanitiser removed from a saved rich text (after messages: it adds some).
    "langres_portal.core.middleware.SanitizerReportMiddleware",
    "langres_portal.core.middleware.SecurityHeadersMiddleware",
    # Staff login: axes answers a locked-out login attempt with its page; it must stay the last middleware.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "langres_portal.urls"
WSGI_APPLICATION = "langres_portal.wsgi.application"

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
                "langres_portal.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so concurrent writers wait their turn (up to the
    # timeout) instead of failing with "database is locked" when a read turns into a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every worker and server (the forms' rate limits count in it): Django's database cache by default (its
# table is made by a migration), Redis with CACHE_URL=redis://host:6379/0. checks.py refuses a per-process cache.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://django_cache")}

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ne-pas-repondre@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded files that must never be reachable by a URL (application attachments, …).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
# Public files are read by the front server (nginx runs as another user): world-readable, written by the app only.
# Private files are read by the application alone, through its permission-checking views.
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": PRIVATE_MEDIA_ROOT,
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The public pages serve media themselves only when no front server does (DEBUG or a small install).
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=DEBUG)

# Form data (files excluded) over this size is refused with a 400 when a view reads request.POST; the public
# forms also refuse an oversized request before reading it (core.ratelimit.body_too_large) and check each file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ---------------------------------------------------------------------------------------------------
# DJANGO_HTTPS=0 turns off, together, the settings that only make sense over HTTPS (a production-mode run on
# plain http://127.0.0.1). Behind a TLS-terminating proxy, set DJANGO_SECURE_PROXY_SSL_HEADER=1 so that Django
# trusts its X-Forwarded-Proto header (SECURE_PROXY_SSL_HEADER).
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# The health check (core.health) answers over plain HTTP too: a load balancer polls each node's port directly.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    # The __Host- prefix binds the cookie to this exact host over HTTPS.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A form sent from an expired page (or without the cookie): the site's French page, not Django's English one.
CSRF_FAILURE_VIEW = "langres_portal.core.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Map tiles are the only third-party host a page may reach, and only for the map (see the personal-data page).
MAP_TILES_URL = env("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env(
    "MAP_TILES_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>',
)
_map_tiles_origin = "https://" + MAP_TILES_URL.split("://", 1)[-1].split("/", 1)[0].replace("{s}.", "*.")
VIDEO_EMBED_ORIGIN = "https://www.youtube-nocookie.com"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _map_tiles_origin],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [VIDEO_EMBED_ORIGIN],
        "media-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Site behaviour -----------------------------------------------------------------------------------------------
# The folder of TOML files the content command loads; another commune points it at its own folder.
INITIAL_CONTENT_DIR = env.path(
    "INITIAL_CONTENT_DIR", default=BASE_DIR / "langres_portal" / "initial_content" / "langres"
)
# Public forms: at most this many submissions per client IP and per hour (counted in the cache).
FORM_RATE_LIMIT_PER_HOUR = env.int("FORM_RATE_LIMIT_PER_HOUR", default=5)
# Microprojets: at most this many new drafts per client IP and per day (each may hold files).
DRAFT_CREATE_LIMIT_PER_DAY = env.int("DRAFT_CREATE_LIMIT_PER_DAY", default=10)
# Uploads are refused (with a message at the file field) when the private files' disk has less free space (MB).
PRIVATE_MEDIA_MIN_FREE_MB = env.int("PRIVATE_MEDIA_MIN_FREE_MB", default=500)
# Microprojets drafts: the most a draft's text data may weigh once stored as JSON (each field is also capped at its
# own maximum length). 64 Kio hold a complete form at every maximum in French; see README « Pire cas ».
DRAFT_MAX_DATA_BYTES = env.int("DRAFT_MAX_DATA_BYTES", default=65_536)
# Microprojets: members present (without a conflict of interest) a committee needs to decide on an application of
# a call, unless the call sets its own quorum.
COMMITTEE_DEFAULT_QUORUM = env.int("COMMITTEE_DEFAULT_QUORUM", default=3)
# Where the client's address is read: behind a reverse proxy, the header it sets (e.g. HTTP_X_REAL_IP).
CLIENT_IP_HEADER = env("DJANGO_CLIENT_IP_HEADER", default="REMOTE_ADDR")
# Outbox: how many times a failing e-mail is retried before it is left to staff.
OUTBOX_MAX_ATTEMPTS = 8
# Retention (days) of e-mails once sent: they may hold personal data.
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=90)
# Retention (days) of the PRE's requests to be called back, counted from when staff mark them handled.
PRE_REQUEST_RETENTION_DAYS = env.int("PRE_REQUEST_RETENTION_DAYS", default=183)
# Microprojets after the decision (issue 10): applications left this many days in the same (not final) status are
# listed « en attente » for staff; personal data of applications is anonymised this many years after their final
# status (closed or not carried out), or the short period after a refusal, an abandonment or a withdrawal.
MICROPROJETS_WAITING_DAYS = env.int("MICROPROJETS_WAITING_DAYS", default=21)
MICROPROJETS_RETENTION_YEARS = env.int("MICROPROJETS_RETENTION_YEARS", default=5)
MICROPROJETS_SHORT_RETENTION_YEARS = env.int("MICROPROJETS_SHORT_RETENTION_YEARS", default=1)
# ClamAV daemon's unix socket (Debian: /run/clamav/clamd.ctl). Empty: files wait « en attente d'analyse ».
CLAMAV_SOCKET = env("CLAMAV_SOCKET", default="/run/clamav/clamd.ctl")

# --- Staff login (issue 11, item 7) ------------------------------------------------------------------------------
# The admin's address: another path than admin/ keeps robots that try /admin/ away (it must end with "/").
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/").strip("/") + "/"
# Sessions end when the browser closes, after 30 minutes without a request, and 12 hours after the login
# (core.staff_auth.StaffSessionMiddleware enforces the two limits on the server; the cookie age is the longest).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_HOURS * 3600
# A second factor (TOTP application, or a single-use recovery code) for every staff member; off in `make run`.
STAFF_2FA_REQUIRED = env.bool("STAFF_2FA_REQUIRED", default=not DEBUG)
# A password-reset link works once, for an hour (the e-mail template « agent-mot-de-passe-oublie » says so).
PASSWORD_RESET_TIMEOUT = 3600
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Portail Politique de la ville")
# Nobody, superusers included, reads another person's TOTP secret or QR code in the admin (their « config » pages
# answer 403): each member of staff enrols on their own page (staff_2fa_enrol).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# django-axes: 5 failures for a username, or from an address, within 15 minutes lock them out for 15 minutes,
# the right password included. Its database handler counts across every node of the site.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The lock ends 15 minutes after the last counted failure, however many refused tries follow.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The client address is read like the public forms' rate limit reads it (DJANGO_CLIENT_IP_HEADER).
AXES_CLIENT_IP_CALLABLE = "langres_portal.core.staff_auth.client_ip"
AXES_LOCKOUT_CALLABLE = "langres_portal.core.staff_auth.lockout_response"
# Retention (days) of the login journal (successes and failures, with address and browser), then purged.
LOGIN_LOG_RETENTION_DAYS = env.int("LOGIN_LOG_RETENTION_DAYS", default=180)
# --- end staff login ----------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
