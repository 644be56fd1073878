"""Settings for the IRO service: one file, driven by environment variables.

Every value a deployment may change is read from the environment through the typed helpers
below, which fail loudly on a malformed value rather than guessing.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    "django_celery_beat",
    "simple_history",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "iro_service.middleware.ServiceErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
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

# The authority's three-digit DfE local authority number, written in the CIN census header.
CIN_CENSUS_LEA = env_str("CIN_CENSUS_LEA", "000")

# The handbook's recommended caseload band per full-time IRO (§5.4, §10.1).
IRO_CASELOAD_BAND = (env_int("IRO_CASELOAD_MIN", 50), env_int("IRO_CASELOAD_MAX", 70))
