"""What the demo generator's modules share: the seeded context, the invented organisation,
saving with history, and calendar helpers (iro_service/demo.py)."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from iro_service.dates import is_working_day
from people.models import District, Role, User

LONDON = ZoneInfo(settings.TIME_ZONE)

# The demo's sign-in accounts: exactly one per role.
DEMO_USERNAMES = {
    Role.IRO: "iro",
    Role.SENIOR_IRO: "senior_iro",
    Role.BUSINESS_SUPPORT: "business_support",
    Role.DISTRICT_MANAGER: "district_manager",
    Role.DIRECTORATE_MANAGER: "directorate_manager",
    Role.AUDITOR: "auditor",
}


@dataclass
class Organisation:
    """The invented authority's districts, venues and staff, as the case generator needs them."""

    districts: list[District]
    venues: dict[int, list]
    iros: list[User]
    senior: User
    admins: list[User]
    managers: dict[int, User]


@dataclass
class Demo:
    """One run of the generator: every random choice comes from `rng`, every date from `today`."""

    rng: random.Random
    today: date
    org: Organisation | None = None
    timescales: dict = field(default_factory=lambda: dict(settings.IRO_TIMESCALES))

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def admin(self) -> User:
        return self.rng.choice(self.org.admins)

    def venue(self, district_id: int):
        return self.rng.choice(self.org.venues[district_id])


def record(obj, *, by: User | None, reason: str = "", exclude: tuple[str, ...] = ()):
    """Validate and save a record the way the services do, so its history names who did it."""
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


def record_many(model, objs: list, *, by: User | None) -> list:
    """Validate each of many small rows, then insert them and their history in bulk: saving
    them one by one would make up half the generator's run time."""
    for obj in objs:
        obj._history_user = by
        obj.full_clean()
    return bulk_create_with_history(objs, model, default_user=by)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """An aware datetime on `day`, in the authority's time zone (Europe/London)."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def age_on(born: date | None, day: date) -> int | None:
    if born is None or born > day:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
