"""Ancrage settings: one file, every difference between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", False)
# Set by `make test`: the test suite serves static files from the source tree, like the demo.
TESTING = env_bool("ANCRAGE_TESTING", False)
# DEMO turns on what only a demonstration may have: the shared demo password on the login page,
# and two-factor sign-in optional for administrators.
DEMO = env_bool("DEMO", False)
# Anything else is production: HTTPS only, secure cookies, HSTS, a real secret key.
LOCAL = DEBUG or DEMO or TESTING
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if LOCAL:
        SECRET_KEY = "insecure-demo-key-change-me-only-for-local-use-0123456789abcdef"
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG and DEMO are off.")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ancrage.core",
    "ancrage.organisations",
    "ancrage.accounts",
    "ancrage.people",
    "ancrage.assessments",
    "ancrage.access",
    "ancrage.housing",
    "ancrage.casework",
    "ancrage.conferences",
    "ancrage.partners",
    "ancrage.reports",
    "ancrage.interop",
    # On top: the demo imports every domain, and no domain imports it.
    "ancrage.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ancrage.core.audit.ReadAuditMiddleware",
    "ancrage.accounts.middleware.UserLanguageMiddleware",
    "ancrage.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]
# The HTTP bench's server (manage.py bench) reports each answer's SQL time and queries in a header.
if env_bool("BENCH_SERVER_TIMING", False):
    MIDDLEWARE.insert(0, "ancrage.demo.bench.server_timing.ServerTimingMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "ancrage.core.context_processors.ancrage",
                "ancrage.core.context_processors.navigation",
                "ancrage.demo.context_processors.demo_accounts",
            ],
        },
    }
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
# The pages' queries are short. PostgreSQL's JIT compiles any plan it costs high (a list over 100,000 people
# is costed in millions) and took 0.9 s to compile a query that ran in 0.05 ms (issue 16): off on the
# application's connections, unless DB_JIT=1 leaves the server's own setting.
if "postgresql" in DATABASES["default"]["ENGINE"] and not env_bool("DB_JIT", False):
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = f"{_db_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions end after inactivity: a request pushes the expiry forward when it was set over a minute ago
# (core/sessions.py), so reading a page does not write the session.
# Django's database sessions, refusing a cookie that cannot be a session key before any query (core/sessions.py).
SESSION_ENGINE = "ancrage.core.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", "Français"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "ancrage_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "America/Montreal"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if LOCAL
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = LOCAL
WHITENOISE_AUTOREFRESH = LOCAL

# Uploaded documents: what types and how large (bytes).
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
DOCUMENT_ALLOWED_TYPES = ["application/pdf", "image/jpeg", "image/png"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Domain settings (see shared/design/domain.md: numbers in rules are defaults of settings).
ANCRAGE = {
    "CONSENT_DEFAULT_MONTHS": env_int("CONSENT_DEFAULT_MONTHS", 12),
    "CONSENT_EXPIRY_WARNING_DAYS": env_int("CONSENT_EXPIRY_WARNING_DAYS", 30),
    "PAGE_SIZE": env_int("PAGE_SIZE", 25),
    # The API's by-name list and the home page's "participants you can see" say how many from a count kept
    # this many seconds per user and query (ancrage/core/counting.py); 0 counts every time, as the tests do.
    "LIST_COUNT_SECONDS": env_int("LIST_COUNT_SECONDS", 0 if TESTING else 60),
    # A community-wide report (housing outcomes) is computed once for this many seconds and shown with the
    # time it was computed; 0 computes it on every request, as the tests do.
    "REPORT_KEEP_SECONDS": env_int("REPORT_KEEP_SECONDS", 0 if TESTING else 300),
    # The longest free text (a note, a description, a reason) a page or the API accepts, in characters.
    "NOTE_MAX_LENGTH": env_int("NOTE_MAX_LENGTH", 10000),
    # Reaching Home's chronic homelessness thresholds, and when a by-name list entry goes inactive.
    "CHRONIC_DAYS_PAST_YEAR": env_int("CHRONIC_DAYS_PAST_YEAR", 180),
    "CHRONIC_DAYS_PAST_THREE_YEARS": env_int("CHRONIC_DAYS_PAST_THREE_YEARS", 546),
    "INACTIVE_AFTER_DAYS": env_int("INACTIVE_AFTER_DAYS", 90),
    # Matching (A6): a match with no step for this many days alerts; this many declines flags the person
    # for case conferencing; placements (people housed) a month the community aims for (A7).
    "MATCH_STALL_DAYS": env_int("MATCH_STALL_DAYS", 5),
    "MATCH_DECLINES_BEFORE_CONFERENCE": env_int("MATCH_DECLINES_BEFORE_CONFERENCE", 2),
    "MONTHLY_PLACEMENT_GOAL": env_int("MONTHLY_PLACEMENT_GOAL", 30),
    # Housing retention (C9): a gap of at most this many days between two tenancies still counts as housed.
    "RETENTION_GAP_DAYS": env_int("RETENTION_GAP_DAYS", 30),
    # Community-wide figures (the monthly flow, A7) show a count from 1 to SMALL_COUNT_THRESHOLD - 1 as
    # "fewer than 5", and hide the totals and neighbouring figures that would let one work it out again.
    "SMALL_COUNT_THRESHOLD": env_int("SMALL_COUNT_THRESHOLD", 5),
    # A date "on the list since" more than this many days before the day it is typed is a back-dated entry:
    # it needs a reason (it moves the person ahead in the tie-breaker and changes past months' flow).
    "BY_NAME_BACKDATE_DAYS": env_int("BY_NAME_BACKDATE_DAYS", 7),
    # Intensive case management (B1, B2, B5, B9, B12, F3). A program can set its own caseload ratio.
    "CASELOAD_RATIO_ICM": env_int("CASELOAD_RATIO_ICM", 15),
    "CASELOAD_RATIO_ACT": env_int("CASELOAD_RATIO_ACT", 10),
    "VISITS_PER_WEEK": env_int("VISITS_PER_WEEK", 1),
    "VISITS_PER_WEEK_TENANCY_AT_RISK": env_int("VISITS_PER_WEEK_TENANCY_AT_RISK", 2),
    "CONTACT_MINUTES_PER_WEEK": env_int("CONTACT_MINUTES_PER_WEEK", 150),
    "NOT_SEEN_DAYS": env_int("NOT_SEEN_DAYS", 7),
    "LOST_CONTACT_DAYS": env_int("LOST_CONTACT_DAYS", 21),
    # How far back a contact may be logged (a year by default): older dates are refused as typing errors.
    "CONTACT_BACKDATE_DAYS": env_int("CONTACT_BACKDATE_DAYS", 365),
    "PLAN_DUE_BUSINESS_DAYS": env_int("PLAN_DUE_BUSINESS_DAYS", 10),
    "PLAN_REVIEW_MONTHS": env_int("PLAN_REVIEW_MONTHS", 12),
    "VISIT_GRACE_MINUTES": env_int("VISIT_GRACE_MINUTES", 30),
    "UNPLANNED_EXIT_REFERRALS": env_int("UNPLANNED_EXIT_REFERRALS", 3),
    # How far ahead a planned exit may be recorded (F2); the enrollment goes on until that day.
    "PLANNED_EXIT_DAYS_AHEAD": env_int("PLANNED_EXIT_DAYS_AHEAD", 90),
    # How far back a partner sees a participant's incidents when the consent covers risk and safety (D7, E3).
    "PARTNER_INCIDENT_DAYS": env_int("PARTNER_INCIDENT_DAYS", 90),
    # Housing (C1): days between friendly check-ins with a landlord (a landlord may have its own cadence).
    "LANDLORD_CHECKIN_DAYS": env_int("LANDLORD_CHECKIN_DAYS", 60),
    # Housing choice (C3): how many units a participant is offered before a lease; fewer asks for a reason.
    "HOUSING_OPTIONS_MIN": env_int("HOUSING_OPTIONS_MIN", 3),
    # Housing inspections (C4): the largest photo accepted (bytes) and its largest size in pixels.
    "INSPECTION_PHOTO_MAX_BYTES": env_int("INSPECTION_PHOTO_MAX_BYTES", 10 * 1024 * 1024),
    "INSPECTION_PHOTO_MAX_PIXELS": env_int("INSPECTION_PHOTO_MAX_PIXELS", 40_000_000),
    # The rent payment service (C5): the day of the month its draft roll for the next month is generated (rents
    # are paid on the first), and the arrears of a participant's share that put them on the clerk's screen
    # (this many months in arrears, or this many dollars owed).
    "RENT_ROLL_DAY": env_int("RENT_ROLL_DAY", 20),
    "RENT_ARREARS_ALERT_MONTHS": env_int("RENT_ARREARS_ALERT_MONTHS", 2),
    "RENT_ARREARS_ALERT_AMOUNT": env_int("RENT_ARREARS_ALERT_AMOUNT", 500),
    # Case conferencing (D3): minutes per person and people per hour (each 5 to 8), and how many days ahead
    # the agenda goes to the members; an email is tried this many times before it waits for a person.
    "CONFERENCE_MINUTES_PER_PERSON": env_int("CONFERENCE_MINUTES_PER_PERSON", 7),
    "CONFERENCE_PEOPLE_PER_HOUR": env_int("CONFERENCE_PEOPLE_PER_HOUR", 6),
    "CONFERENCE_AGENDA_DAYS_AHEAD": env_int("CONFERENCE_AGENDA_DAYS_AHEAD", 2),
    "CONFERENCE_EMAIL_ATTEMPTS": env_int("CONFERENCE_EMAIL_ATTEMPTS", 10),
    # Partnerships (E1–E3): agreements listed and alerted this many days before their renewal date; each
    # partner contacted at least every PARTNER_CONTACT_DAYS (a partner may have its own cadence); a notice
    # email that fails is retried up to PARTNER_NOTICE_MAX_ATTEMPTS times, then shown as failed.
    "PARTNER_AGREEMENT_RENEWAL_WARNING_DAYS": env_int("PARTNER_AGREEMENT_RENEWAL_WARNING_DAYS", 60),
    "PARTNER_CONTACT_DAYS": env_int("PARTNER_CONTACT_DAYS", 30),
    "PARTNER_NOTICE_MAX_ATTEMPTS": env_int("PARTNER_NOTICE_MAX_ATTEMPTS", 5),
    # Funder reports (G6): the reference cost a year per participant, housing and support included (At Home/Chez
    # Soi), against which the cost per participant is shown; in dollars, by the program's model.
    "REFERENCE_COST_ACT": env_int("REFERENCE_COST_ACT", 22000),
    "REFERENCE_COST_ICM": env_int("REFERENCE_COST_ICM", 14000),
}

TASKS = {
    "default": {
        # Tests (and the demo's seeding) run tasks at once; production, and the three processes of
        # `make run` (TASKS_BACKEND set by the Makefile), queue them for `manage.py db_worker`.
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if LOCAL
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ancrage@localhost")
# The address people reach Ancrage at, for links in emails (alerts about visits, incidents).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Content Security Policy: only our own scripts and styles; nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not LOCAL:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

OTP_TOTP_ISSUER = "Ancrage"
# Two-factor sign-in is required for roles holding this permission, except in demo mode.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEMO)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SILENCED_SYSTEM_CHECKS: list[str] = []

# HMIS CSV import: the largest zip accepted, and what its contents may expand to (a zip bomb is refused).
HMIS_IMPORT_MAX_UPLOAD = env_int("HMIS_IMPORT_MAX_UPLOAD", 500 * 1024 * 1024)
HMIS_IMPORT_MAX_UNCOMPRESSED = env_int("HMIS_IMPORT_MAX_UNCOMPRESSED", 5 * 1024 * 1024 * 1024)
HMIS_IMPORT_MAX_RATIO = env_int("HMIS_IMPORT_MAX_RATIO", 200)
HMIS_IMPORT_MAX_MEMBERS = env_int("HMIS_IMPORT_MAX_MEMBERS", 100)
# Report rows kept per file and kind of problem; beyond it, one row says how many more there were.
HMIS_IMPORT_MAX_PROBLEMS = env_int("HMIS_IMPORT_MAX_PROBLEMS", 1000)
