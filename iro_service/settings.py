"""Settings for the IRO service: one file, driven by environment variables.

Every value a deployment may change is read from the environment through the typed helpers
below, which fail loudly on a malformed value rather than guessing.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from iro_service.forwarded import trusted_networks

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY, or DEBUG=true for local development only."
        )
    # Local development only: a fixed, public key, never used with DEBUG off.
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105

# With DEBUG on, unknown pages and failures still get the service's own 404 and 500 pages
# (iro_service.middleware). A developer who wants Django's technical pages, with the URL list
# and the traceback in the browser, sets DEBUG_TECHNICAL_ERRORS=true as well.
DEBUG_TECHNICAL_ERRORS = env_bool("DEBUG_TECHNICAL_ERRORS", False)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",  # Headers (issue 12)
    "django_celery_beat",
    "simple_history",
    "axes",  # Sign-in (issue 12): failed sign-ins counted, lockouts
    # MFA and accounts (issue 12): TOTP authenticator apps, and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "people",
    "children",
    "plans",
    "conferences",
    "quality_assurance",
    "reporting",
    "annual_report",
    "census",
    "outbox",
    "devdata",
    "jobs",  # Faults (issue 12): the outbox of background tasks
    "audit",  # Audit (issue 12): who viewed, searched for or exported which child
    "case_audits",  # Themed case audits by the Senior IRO (§7.7.1)
]

MIDDLEWARE = [
    # The client's address behind a trusted proxy, before anything reads it (forwarded.py).
    "iro_service.forwarded.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Headers (issue 12)
    "iro_service.middleware.DatabaseUnavailableMiddleware",  # Faults (issue 12): the 503 page
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "iro_service.middleware.NoStoreMiddleware",  # Headers (issue 12)
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",  # MFA and accounts (issue 12)
    "people.mfa.MFARequiredMiddleware",  # MFA and accounts (issue 12)
    "django.contrib.messages.middleware.MessageMiddleware",
    "people.middleware.SessionLimitsMiddleware",  # Sign-in (issue 12)
    "iro_service.middleware.ServiceErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # Sign-in (issue 12): last, it answers a lockout
]

# make bench's load test counts each page's queries through a real server (never deployed on).
if env_bool("IRO_BENCH_QUERY_HEADER", False):
    MIDDLEWARE.insert(1, "iro_service.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "iro_service.urls"
WSGI_APPLICATION = "iro_service.wsgi.application"

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
                "people.context_processors.navigation",
                "iro_service.context_processors.service",
            ],
        },
    },
]

# Widget templates (the GOV.UK date input) live in templates/ with the pages.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The measures' correlated subqueries cross PostgreSQL's JIT cost thresholds, and compiling
    # them costs more than running them (make bench: late_reviews 1.32 s with JIT, 0.41 s without).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A PostgreSQL streaming replica for the reporting reads (iro_service/db_router.py): the
# measures, the stored figures and the reports read there; everything else, and every write,
# stays on the primary.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", ""), conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
    )
    DATABASES["replica"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["iro_service.db_router.ReplicaRouter"]
# Connections one computation of the figures may read on at once, all in one snapshot of the
# records (reporting/metrics/together.py); 1 reads on one. PostgreSQL only.
REPORTING_CONNECTIONS = env_int("REPORTING_CONNECTIONS", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Proxies whose X-Forwarded-For gives the client's address (iro_service/forwarded.py), e.g.
# 127.0.0.1,::1 for nginx on the same server. Empty: REMOTE_ADDR is the client's.
IRO_TRUSTED_PROXY_ADDRESSES = env_list("TRUSTED_PROXY_ADDRESSES", "")
IRO_TRUSTED_PROXY_NETWORKS = trusted_networks(IRO_TRUSTED_PROXY_ADDRESSES)

# --- Sign-in (issue 12) -----------------------------------------------------------------------
# Guessing: django-axes counts failed sign-ins per username and, separately, per address (the
# address the proxy in front sets as REMOTE_ADDR, as quality_assurance.links reads it). After
# IRO_SIGN_IN_FAILURE_LIMIT failures within the cool-off, either is refused for
# IRO_SIGN_IN_COOL_OFF_MINUTES, and each further try while refused starts the cool-off again;
# the right password is not even checked meanwhile. /sign-in/ and /admin/login/ both sign in
# through authenticate(), so both are covered. The Senior IRO sees and lifts lockouts at
# /accounts/lockouts/ (people/views_account.py). A success does not clear the count: it would
# let someone with an account of their own clear their address's count between guesses.
IRO_SIGN_IN_FAILURE_LIMIT = env_int("IRO_SIGN_IN_FAILURE_LIMIT", 10)
IRO_SIGN_IN_COOL_OFF_MINUTES = env_int("IRO_SIGN_IN_COOL_OFF_MINUTES", 15)
AUTHENTICATION_BACKENDS = [
    "people.lockouts.LockoutBackend",  # axes's check, first; it signs nobody in itself
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = IRO_SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = "people.lockouts.cool_off"  # IRO_SIGN_IN_COOL_OFF_MINUTES
# What is counted and locked, each on its own: "username,ip_address". Where many staff share
# one address (an office behind one gateway, seen by the proxy as one REMOTE_ADDR), typing
# mistakes add up on it; set IRO_SIGN_IN_LOCKOUT_BY=username there.
AXES_LOCKOUT_PARAMETERS = env_list("IRO_SIGN_IN_LOCKOUT_BY", "username,ip_address")
if not AXES_LOCKOUT_PARAMETERS or set(AXES_LOCKOUT_PARAMETERS) - {"username", "ip_address"}:
    raise ImproperlyConfigured(
        "IRO_SIGN_IN_LOCKOUT_BY must be username, ip_address or both, comma-separated, not "
        f"{env_str('IRO_SIGN_IN_LOCKOUT_BY')!r}"
    )
AXES_CLIENT_IP_CALLABLE = "people.lockouts.client_address"
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_LOCKOUT_CALLABLE = "people.lockouts.lockout_response"  # the service's page, HTTP 429
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ADMIN = False  # the Senior IRO's lockouts page instead
# Passwords: at least 12 characters, not a common one, not like the person's name or username.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end after IRO_SESSION_IDLE_MINUTES without a request, and IRO_SESSION_MAX_HOURS
# after signing in whatever happens (people/middleware.py); the cookie lasts no longer.
IRO_SESSION_IDLE_MINUTES = env_int("IRO_SESSION_IDLE_MINUTES", 30)
IRO_SESSION_MAX_HOURS = env_int("IRO_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = IRO_SESSION_MAX_HOURS * 60 * 60
# --- end of Sign-in (issue 12) ----------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The GOV.UK and MOJ Frontend files, copied from node_modules by scripts/build_assets.py.
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Children's pictures and other files that must never sit under a served folder.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguarding IRO service API",
    "VERSION": "0.1.0",
    # The schema and its docs are for signed-in staff, like every other address of the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Initial and latest category share one set of CIN codes: one enum in the schema. The
    # others: one choice set used under several field names (a delay reason and an adjournment
    # reason), or one field name for several sets (a conference's and a meeting's status).
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "conferences.models.Category",
        "StatusEnum": "reporting.models.IndicatorSnapshot.Status",
        "ConferenceKindEnum": "conferences.models.Conference.Kind",
        "ConferenceStatusEnum": "conferences.models.Conference.Status",
        "AdjournmentReasonEnum": "conferences.models.Conference.AdjournmentReason",
        "CancellationReasonEnum": "conferences.models.meetings.CANCELLATION_REASONS",
        "StrategyMeetingKindEnum": "conferences.models.StrategyMeeting.Kind",
        "StrategyMeetingStatusEnum": "conferences.models.StrategyMeeting.Status",
        "InvitationMethodEnum": "conferences.models.Invitee.Method",
        "AgencyEnum": "conferences.models.Attendance.Agency",
        "AttendanceStatusEnum": "conferences.models.Attendance.Status",
        "ChildOutcomeEnum": "conferences.models.ConferenceChild.Outcome",
        "ParticipationEnum": "conferences.models.ConferenceChild.Participation",
        "EnquiryOutcomeEnum": "conferences.models.S47Enquiry.Outcome",
        "PlanEndReasonEnum": "conferences.models.PlanEndReason",
        "YesPartlyNoEnum": "quality_assurance.models.YesPartlyNo",
    },
}

# --- Headers (issue 12) -----------------------------------------------------------------------
# Content Security Policy (django-csp 4): everything from this site only, no inline script but
# the ones carrying the request's nonce ({{ request.csp_nonce }}), no inline styles at all
# (the charts' SVG uses presentation attributes, reporting/charts.py), no framing, no plugins,
# forms posted only here. The API docs load their start-up script as a file (the split view,
# iro_service/api_router.py), so they need no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# HTTPS. SecurityMiddleware sends HSTS only on HTTPS responses; off with DEBUG (make run).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload flag alone changes nothing: a domain is preloaded only when someone submits it
# to hstspreload.org, which needs the flag. Set false if the authority must never be listed.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Redirect http:// to https://. Off unless set: the test client, the live test server and
# `docker compose` on http://localhost speak plain HTTP. Every real deployment sets it true
# (`manage.py check --deploy` says so; tests/security/test_deploy_check.py runs it).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# A healthcheck on the server itself asks over plain HTTP (iro_service/health.py).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# Behind a proxy that terminates HTTPS: the header it sets and the value meaning HTTPS, e.g.
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO=https. Only when the proxy always sets or
# strips that header, or anyone could claim HTTPS.
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    _header, _sep, _value = _proxy_ssl_header.partition("=")
    if not (_sep and _header.startswith("HTTP_") and _value):
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must be HEADER=value, e.g. HTTP_X_FORWARDED_PROTO=https, "
            f"not {_proxy_ssl_header!r}"
        )
    SECURE_PROXY_SSL_HEADER = (_header, _value)
# API throttling: requests a minute per signed-in user, and per address without a session
# (iro_service/throttling.py; answered 429 with a JSON message). Rates are read on every
# request, so a test can override them.
IRO_API_THROTTLE_RATES = {
    "user": env_str("IRO_API_THROTTLE_USER", "600/min"),
    "anon": env_str("IRO_API_THROTTLE_ANON", "60/min"),
}
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "iro_service.throttling.UserThrottle",
    "iro_service.throttling.AnonThrottle",
]

# --- MFA and accounts (issue 12) ---------------------------------------------------------------
# Every staff account signs in with a password and a code from an authenticator app (TOTP,
# django-otp), or one of its ten recovery codes. Required unless DEBUG is on (`make run`) or
# IRO_MFA_REQUIRED=false; tests turn it on where they test it (tests/conftest.py turns it off
# for the rest). Whoever has set up an app is asked for a code at every sign-in either way.
IRO_MFA_REQUIRED = env_bool("IRO_MFA_REQUIRED", not DEBUG)
# The name authenticator apps show beside the username.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Safeguarding IRO service")
# After n wrong codes in a row the next try waits factor x 2^(n-1) seconds (django-otp).
OTP_TOTP_THROTTLE_FACTOR = env_int("OTP_TOTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = env_int("OTP_STATIC_THROTTLE_FACTOR", 1)
IRO_MFA_RECOVERY_CODES = 10
# The admin (superusers only) lists devices without their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Celery: eager by default so `make run` needs no broker; set CELERY_BROKER_URL for a worker.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "memory://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# With eager tasks an annual report PDF would be made inside the request that asks for it; it is
# made in a background thread instead, so the page answers at once (annual_report/background.py).
ANNUAL_REPORT_PDF_IN_THREAD = env_bool("ANNUAL_REPORT_PDF_IN_THREAD", CELERY_TASK_ALWAYS_EAGER)

# --- Faults (issue 12) ------------------------------------------------------------------------
# Redis down: tasks go through the outbox (jobs/outbox.py), which hands each to the broker once
# with no retries, after at most this many seconds of trying to connect; a task that cannot be
# sent waits in the database for the beat task "send queued tasks" (every minute) or
# `manage.py send_queued_tasks`. The same short connect timeout for the result backend.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
# PostgreSQL restarted: a kept connection (DATABASE_CONN_MAX_AGE) is checked before each
# request uses it, and replaced if the server went away, so the service recovers by itself.
# Requests while it is down get the 503 page (iro_service/middleware.py).
for _database in DATABASES.values():
    _database["CONN_HEALTH_CHECKS"] = True

# Email: SMTP in production. Where tasks run inline (`make run`, no broker) nothing is sent:
# every message is kept in the outbox, read at /outbox/ (outbox/backends.py). Tests use
# Django's in-memory backend (pytest-django sets it).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "outbox.backends.OutboxBackend"
    if CELERY_TASK_ALWAYS_EAGER
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Business support's address: invitations, report requests and chasers come from it, and it
# is the calendar invitations' organiser and the address people reply to.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "iro-business-support@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who the letters and emails are from: the authority's name and its postal address, one line
# per comma, printed at the top of each invitation letter.
# The address staff reach the service at, for links in emails (escalations moved up a level).
IRO_SITE_URL = env_str("IRO_SITE_URL", "http://127.0.0.1:8000")
IRO_AUTHORITY_NAME = env_str("IRO_AUTHORITY_NAME", "Safeguarding and Reviewing Unit")
IRO_AUTHORITY_ADDRESS = env_list("IRO_AUTHORITY_ADDRESS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Statutory and local timescales (domain.md). Every one is a setting; an authority overrides
# any of them with an environment variable of the same name prefixed IRO_, e.g.
# IRO_LATER_REVIEW_MONTHS=5 for the stricter local target of the report's recovery plan.
_TIMESCALE_DEFAULTS = {
    "INITIAL_CONFERENCE_WORKING_DAYS": 15,
    "FIRST_REVIEW_MONTHS": 3,
    "PRE_BIRTH_FIRST_REVIEW_WORKING_DAYS": 20,
    "LATER_REVIEW_MONTHS": 6,
    "REPORT_SHARED_HOURS_INITIAL": 24,
    "REPORT_SHARED_HOURS_REVIEW": 48,
    "DECISION_SHEET_WORKING_DAYS": 1,
    "MINUTES_WORKING_DAYS": 15,
    "FIRST_CORE_GROUP_WORKING_DAYS": 10,
    "CORE_GROUP_INTERVAL_MONTHS": 1,
    "CP_VISIT_WORKING_DAYS": 10,
    "ADJOURNED_REVIEW_DAYS": 28,
    "TRANSFER_IN_WORKING_DAYS": 15,
    "REVIEW_INVITATION_WEEKS": 4,
    "REVIEW_REPORT_REQUEST_WEEKS": 6,
    # Reports not in this many working days before the conference are chased.
    "REPORT_CHASE_WORKING_DAYS": 5,
    # How long a conference or strategy meeting is booked for (double bookings, diaries).
    "MEETING_LENGTH_MINUTES": 120,
    "ESCALATION_LEVEL_WORKING_DAYS": 5,
    "ESCALATION_TOTAL_WORKING_DAYS": 20,
}
IRO_TIMESCALES = {
    name: env_int(f"IRO_{name}", value) for name, value in _TIMESCALE_DEFAULTS.items()
}

# Quorum (workflows.md, "Holding"): children's social care and at least this many other
# agencies taking part, in person or remotely. Family members and advocates are not agencies.
IRO_QUORUM_OTHER_AGENCIES = env_int("IRO_QUORUM_OTHER_AGENCIES", 2)
# Authorities that use the Signs of Safety model record worries, what is working well, danger
# statements, safety goals and safety scales at each conference.
IRO_SIGNS_OF_SAFETY = env_bool("IRO_SIGNS_OF_SAFETY", False)

# One-time links for parents' feedback and children's views (quality_assurance): days a link
# stays valid, and the largest upload a child may send.
IRO_FEEDBACK_LINK_DAYS = env_int("IRO_FEEDBACK_LINK_DAYS", 28)
IRO_CHILD_VIEWS_LINK_DAYS = env_int("IRO_CHILD_VIEWS_LINK_DAYS", 28)
IRO_UPLOAD_MAX_MB = env_int("IRO_UPLOAD_MAX_MB", 10)

# The document portal (conferences/services/portal.py): the largest report an agency may send,
# how many days after the conference the family's link still opens, and how many hours before
# the sharing deadline business support and the chair are warned that it will be missed.
IRO_REPORT_MAX_MB = env_int("IRO_REPORT_MAX_MB", 20)
IRO_FAMILY_LINK_DAYS_AFTER = env_int("IRO_FAMILY_LINK_DAYS_AFTER", 14)
IRO_SHARE_WARNING_HOURS = env_int("IRO_SHARE_WARNING_HOURS", 24)

# The authority's three-digit DfE local authority number, written in the CIN census header.
CIN_CENSUS_LEA = env_str("CIN_CENSUS_LEA", "000")

# The handbook's recommended caseload band per full-time IRO (§5.4, §10.1).
IRO_CASELOAD_BAND = (env_int("IRO_CASELOAD_MIN", 50), env_int("IRO_CASELOAD_MAX", 70))
