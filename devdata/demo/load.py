"""An entirely invented, mid-sized authority for demonstrations (manage.py load_demo_data).

Four fictional districts; nine IROs with caseloads in and above the handbook's 50-70 band;
about 1,150 households and 2,400 children, about 600 of them on plans at a time; and three
years of case history up to a given "today" (conferences, reviews some late, adjournments, QA
forms, escalations, parent/carer feedback), so the demo always looks current. Every random
choice comes from one `random.Random(seed)`: the same seed, today and scale give the same
data. `scale` shrinks the authority (tests load a tenth of it).

The organisation is saved record by record; the case records are built in memory and written
in bulk, each with history rows dated when it happened (base.Store), using the services'
rules for every due date. Running it again finds the demo district and only resets the demo
accounts' passwords.
"""

import os
import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction

from children.models import Child, FamilyMember, Household, LookedAfterEpisode
from conferences.models import (
    Attendance,
    Conference,
    ConferenceChild,
    ReportDocument,
    S47Enquiry,
    StrategyMeeting,
    StrategyMeetingChild,
    TransferIn,
    Venue,
)
from iro_service.derived import store_derived
from iro_service.planner_statistics import analyze_after_commit
from people.models import District, IROProfile, Team, User
from plans.models import (
    CategoryChange,
    ChildProtectionPlan,
    CoreGroupMeeting,
    PlanTarget,
    ProtectionVisit,
)
from plans.services import plans_recompute_contact_deadlines
from quality_assurance.models import Escalation, FeedbackQuestionnaire, QAForm
from reporting.models import Benchmark, ReferenceYear

from .base import DEMO_USERNAMES, Demo, at
from .cases import create_case_histories
from .casework import create_other_strategy_meetings, create_plan_work
from .households import create_households, plan_households
from .names import DISTRICTS
from .organisation import create_organisation
from .portal import create_portal_records
from .quality import create_quality_records
from .to_record import create_conferences_to_record

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
    "transfers in": TransferIn,
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
    "reports received": ReportDocument,
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


# The order the case records are written in: each model after those it points at.
WRITE_ORDER = [
    Household,
    FamilyMember,
    Child,
    StrategyMeeting,
    StrategyMeetingChild,
    Conference,
    ConferenceChild,
    Attendance,
    S47Enquiry,
    TransferIn,
    ChildProtectionPlan,
    CategoryChange,
    PlanTarget,
    CoreGroupMeeting,
    ProtectionVisit,
    LookedAfterEpisode,
    QAForm,
    Escalation,
    FeedbackQuestionnaire,
]


def load_demo_data(
    *, today: date, seed: int = DEFAULT_SEED, password: str | None = None, scale: float = 1.0
) -> DemoResult:
    """Create the demo authority unless it exists; either way set the demo accounts' passwords
    (to `password`, or a fresh random one each) and return them for the caller to show."""
    with transaction.atomic():
        created = not demo_data_exists()
        if created:
            generate(seed=seed, today=today, scale=scale)
            # Each open plan's next core group and visit, from what the demo recorded.
            plans_recompute_contact_deadlines(as_at=at(today - timedelta(days=1), 18))
            create_conferences_to_record(today=today)
            create_portal_records(today=today)
            store_derived()  # the bulk inserts sent no signals
            # Planner statistics that still describe the empty tables would mislead every
            # query over them; taken only once the load has committed.
            analyze_after_commit()
        credentials, missing = reset_demo_passwords(password)
    return DemoResult(created, credentials, missing, record_counts())


def generate(*, seed: int, today: date, scale: float = 1.0) -> None:
    if not 0 < scale <= 5:
        raise ValueError("scale must be more than 0 and at most 5")
    demo = Demo(rng=random.Random(seed), today=today, scale=scale)
    specs = plan_households(demo.rng, today, scale)
    demo.org = create_organisation(demo)
    households = create_households(demo, specs)
    create_case_histories(demo, households)
    create_plan_work(demo)
    create_other_strategy_meetings(demo)
    create_quality_records(demo)
    demo.store.write(WRITE_ORDER)


def checkout_password(path: Path) -> str:
    """The demo accounts' password for this checkout: the one kept in `path` (git-ignored,
    readable by its owner only), or a new random one saved there on first use, so the sign-ins
    stay the same from one `make run` to the next."""
    try:
        saved = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        saved = ""
    if saved:
        return saved
    password = secrets.token_urlsafe(12)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
        file.write(password + "\n")
    path.chmod(0o600)  # if it was there already, empty, with a wider mode
    return password


def reset_demo_passwords(password: str | None) -> tuple[list[Credential], list[str]]:
    """Set each demo account's password (all to `password`, or a random one each) with an
    update, not save(): the user's history would otherwise keep a copy of every hash."""
    if password:
        # One password for every account, hashed once: PBKDF2 is deliberately slow.
        passwords = [password] * len(DEMO_USERNAMES)
        hashes = [make_password(password)] * len(DEMO_USERNAMES)
    else:
        passwords = [secrets.token_urlsafe(12) for _ in DEMO_USERNAMES]
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
