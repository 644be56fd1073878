"""A small, entirely invented authority for demonstrations (manage.py load_demo_data).

Four fictional districts, their staff, about sixty households and 120 children, and three
years of case history up to a given "today", so the demo always looks current. Every random
choice comes from one `random.Random(seed)`: the same seed and today give the same data.
Records go through the services where they exist (children, plans) and are otherwise
validated with `full_clean()` and saved with a history user, as the services would.

Running it again finds the demo district and only resets the demo accounts' passwords.
"""

import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction

from children.models import Child, Household, LookedAfterEpisode
from conferences.models import (
    Attendance,
    Conference,
    ConferenceChild,
    S47Enquiry,
    StrategyMeeting,
    Venue,
)
from people.models import District, IROProfile, Team, User
from plans.models import (
    CategoryChange,
    ChildProtectionPlan,
    CoreGroupMeeting,
    PlanTarget,
    ProtectionVisit,
)
from quality_assurance.models import Escalation, FeedbackQuestionnaire, QAForm
from reporting.models import Benchmark, ReferenceYear

from .demo_base import DEMO_USERNAMES, Demo
from .demo_cases import create_case_histories
from .demo_casework import create_other_strategy_meetings, create_plan_work
from .demo_children import create_households, plan_households
from .demo_names import DISTRICTS
from .demo_people import create_organisation
from .demo_quality import create_quality_records

DEFAULT_SEED = 2012
# The first demo district: if it exists, the demo data is already there.
DEMO_DISTRICT_CODE = DISTRICTS[0][1]
COUNTED = {
    "districts": District,
    "teams": Team,
    "venues": Venue,
    "staff users": User,
    "IRO profiles": IROProfile,
    "reference years": ReferenceYear,
    "benchmarks": Benchmark,
    "households": Household,
    "children": Child,
    "strategy meetings": StrategyMeeting,
    "section 47 enquiries": S47Enquiry,
    "conferences": Conference,
    "children considered at conferences": ConferenceChild,
    "attendance rows": Attendance,
    "child protection plans": ChildProtectionPlan,
    "category changes": CategoryChange,
    "plan targets": PlanTarget,
    "core group meetings": CoreGroupMeeting,
    "protection visits": ProtectionVisit,
    "looked-after episodes": LookedAfterEpisode,
    "QA forms": QAForm,
    "escalations": Escalation,
    "feedback questionnaires": FeedbackQuestionnaire,
}


@dataclass
class Credential:
    role: str
    username: str
    password: str


@dataclass
class DemoResult:
    created: bool
    credentials: list[Credential]
    missing_usernames: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def demo_data_exists() -> bool:
    return District.objects.filter(code=DEMO_DISTRICT_CODE).exists()


def load_demo_data(
    *, today: date, seed: int = DEFAULT_SEED, password: str | None = None
) -> DemoResult:
    """Create the demo authority unless it exists; either way set the demo accounts' passwords
    (to `password`, or a fresh random one each) and return them for the caller to show."""
    with transaction.atomic():
        created = not demo_data_exists()
        if created:
            generate(seed=seed, today=today)
        credentials, missing = reset_demo_passwords(password)
    return DemoResult(created, credentials, missing, record_counts())


def generate(*, seed: int, today: date) -> None:
    demo = Demo(rng=random.Random(seed), today=today)
    specs = plan_households(demo.rng, today)
    demo.org = create_organisation(demo)
    households = create_households(demo, specs)
    create_case_histories(demo, households)
    create_plan_work(demo)
    create_other_strategy_meetings(demo)
    create_quality_records(demo)


def reset_demo_passwords(password: str | None) -> tuple[list[Credential], list[str]]:
    """Set each demo account's password with an update, not save(): the user's history would
    otherwise keep a copy of every password hash."""
    passwords = [password or secrets.token_urlsafe(12) for _ in DEMO_USERNAMES]
    # Hashing is deliberately slow (PBKDF2) and releases the GIL: hash side by side.
    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        hashes = list(pool.map(make_password, passwords))
    credentials, missing = [], []
    for (role, username), value, hashed in zip(
        DEMO_USERNAMES.items(), passwords, hashes, strict=True
    ):
        users = User.objects.filter(username=username, role=role, is_active=True)
        if users.update(password=hashed):
            credentials.append(Credential(role.label, username, value))
        else:
            missing.append(username)
    return credentials, missing


def record_counts() -> dict[str, int]:
    return {label: model.objects.count() for label, model in COUNTED.items()}
