"""What the demo generator's modules share: the seeded context, the invented organisation,
and the store that writes the case records in bulk with dated history (load.py). Calendar
arithmetic comes from iro_service.dates, statutory dates from the domain apps' rules."""

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from conferences import rules
from iro_service.records import save_with_history
from people.models import District, Role, User

LONDON = ZoneInfo(settings.TIME_ZONE)
BATCH_SIZE = 1000

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
    """The invented authority's districts, venues and staff, as the case generator needs them.
    `capacity` is each IRO's share of new cases relative to the others (cases.py)."""

    districts: list[District]
    venues: dict[int, list]
    iros: list[User]
    senior: User
    admins: list[User]
    managers: dict[int, User]
    capacity: dict[int, float] = field(default_factory=dict)
    started_on: dict[int, date] = field(default_factory=dict)


@dataclass
class Event:
    """One history row to write: the record's fields as they stood, and who changed them when."""

    obj: models.Model
    values: dict
    when: datetime
    kind: str  # "+" created, "~" changed (django-simple-history's history_type)
    by: User | None
    reason: str


class Store:
    """Case records built in memory and written in bulk, each with its history.

    Saving tens of thousands of records one by one, with a query per foreign key to validate
    it, would take minutes. Instead each record is kept here as it is built (its foreign keys
    point at other unsaved records), checked as a form would check it when written, and
    inserted with bulk_create in dependency order; the database enforces the constraints.
    Every `add` and `change` keeps a copy of the record's fields as they stood then, so the
    history rows show each version, dated when it happened rather than when the demo loaded.
    """

    def __init__(self) -> None:
        self._rows: dict[type, list] = {}
        self._events: dict[type, list[Event]] = {}

    def add(self, obj, *, when: datetime | date, by: User | None, reason: str = ""):
        self._rows.setdefault(type(obj), []).append(obj)
        self._event(obj, "+", when, by, reason)
        return obj

    def change(self, obj, *, when: datetime | date, by: User | None, reason: str) -> None:
        self._event(obj, "~", when, by, reason)

    def write(self, order: list[type]) -> None:
        """Insert every record, then every history row; `order` lists each model after the
        models it points at."""
        unknown = set(self._rows) - set(order)
        if unknown:
            raise ValueError(
                f"No place in the write order for {sorted(m.__name__ for m in unknown)}"
            )
        for model in order:
            _insert(model, self._rows.get(model, []))
        for model in order:
            _insert_history(model, self._events.get(model, []))

    def _event(self, obj, kind: str, when, by, reason: str) -> None:
        if not _has_history(type(obj)):
            return
        if not isinstance(when, datetime):
            when = at(when, 17)
        values = {
            f.attname: (f.get_cached_value(obj, None) or getattr(obj, f.attname))
            if f.is_relation
            else getattr(obj, f.attname)
            for f in _tracked_fields(type(obj))
        }
        self._events.setdefault(type(obj), []).append(Event(obj, values, when, kind, by, reason))


@cache
def _has_history(model) -> bool:
    # Not hasattr(model, "history"): the history descriptor builds a manager class each time.
    return hasattr(model._meta, "simple_history_manager_attribute")


@cache
def _tracked_fields(model) -> tuple:
    return tuple(model.history.model.tracked_fields)


@cache
def _relations(model) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.concrete_fields if f.is_relation)


def check(obj) -> None:
    """What a form checks (choices, lengths, validators such as the UPN and NHS number check
    digits) and the model's own clean(). Not the foreign keys, which point at records built
    here, nor the constraints: both cost a query per record, and the database enforces the
    constraints on insert anyway."""
    obj.clean_fields(exclude=_relations(type(obj)))
    obj.clean()


def _insert(model, objs: list) -> None:
    """bulk_create, in rounds when a record points at another of its own model (a
    rearranged conference at the one it replaces), so the one pointed at has its id first."""
    for obj in objs:
        check(obj)
    own = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is model]
    pending = objs
    while pending:
        ready = [
            obj
            for obj in pending
            if all(getattr(f.get_cached_value(obj, None), "pk", 0) is not None for f in own)
        ]
        if not ready:
            raise ValueError(f"{model.__name__} records point at each other in a circle")
        model._default_manager.bulk_create(ready, batch_size=BATCH_SIZE)
        pending = [obj for obj in pending if obj.pk is None]


def _insert_history(model, events: list[Event]) -> None:
    """The history rows, written with executemany: many thousands of them, and building a
    model instance for each would double the demo's load time."""
    if not events:
        return
    historical = model.history.model
    pk = model._meta.pk.attname
    rows = []
    # auto_now fields are only filled in on insert: the history takes the record's own.
    filled_on_insert = {
        f.attname
        for f in _tracked_fields(model)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    fields = [f for f in historical._meta.concrete_fields if not f.primary_key]
    adapters = [_adapter(f) for f in fields]
    for event in events:
        values = {
            "history_date": event.when,
            "history_type": event.kind,
            "history_user_id": event.by.pk if event.by else None,
            "history_change_reason": event.reason[:100] or None,
        }
        for name, value in event.values.items():
            if name == pk or name in filled_on_insert:
                value = getattr(event.obj, name)
            values[name] = value.pk if isinstance(value, models.Model) else value
        rows.append([adapt(values[f.attname]) for f, adapt in zip(fields, adapters, strict=True)])
    quote = connection.ops.quote_name
    table = quote(historical._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Table and column names come from the models, quoted; the values are parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[offset : offset + BATCH_SIZE])


def _adapter(field):
    """How a value of `field` goes to the database driver. Strings, numbers, booleans and ids
    go as they are; Django's own conversion, a costly call per value, only where needed."""
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, (models.JSONField, models.DecimalField)):
        return lambda value: field.get_db_prep_save(value, connection)
    return lambda value: value


class Decks:
    """Draws from a mix without replacement: from a shuffled deck of about 100 cards in the
    mix's proportions, a new deck when one runs out. Over many draws the mix comes out as
    given, not merely on average, so the demo's size (children on plans, caseloads) varies
    little from one seed or today to another."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._decks: dict[str, list] = {}

    def deal(self, name: str, weights: dict):
        deck = self._decks.get(name)
        if not deck:
            total = sum(weights.values())
            deck = [key for key, w in weights.items() for _ in range(round(100 * w / total))]
            self.rng.shuffle(deck)
            self._decks[name] = deck
        return deck.pop()


@dataclass
class Demo:
    """One run of the generator: every random choice comes from `rng`, every date from `today`;
    `scale` 1.0 is the full-size authority. Case records go into `store` until written."""

    rng: random.Random
    today: date
    scale: float = 1.0
    org: Organisation | None = None
    timescales: dict = field(default_factory=lambda: dict(settings.IRO_TIMESCALES))
    store: Store = field(default_factory=Store)
    bookings: list = field(default_factory=list)  # every conference's Booking (bookings.py)
    plans: list = field(default_factory=list)  # every plan, in the order started
    children: list = field(default_factory=list)
    looked_after: dict = field(default_factory=dict)  # id(child) -> their open episode
    decks: Decks = field(init=False)

    def __post_init__(self) -> None:
        self.decks = Decks(self.rng)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def admin(self) -> User:
        return self.rng.choice(self.org.admins)

    def venue(self, district_id: int):
        return self.rng.choice(self.org.venues[district_id])

    def ends_at(self, starts_at: datetime) -> datetime:
        """When a meeting booked for `starts_at` ends (the meeting length setting)."""
        return rules.meeting_ends_at(
            starts_at=starts_at, minutes=self.timescales["MEETING_LENGTH_MINUTES"]
        )

    def scaled(self, count: int) -> int:
        """A count at this run's scale, at least one."""
        return max(1, round(count * self.scale))


def record(obj, *, by: User | None, when: datetime | date, reason: str = ""):
    """Validate and save one record the way the services do, its history naming who did it and
    dated when (the organisation's few records; case records go through the Store)."""
    obj._history_date = when if isinstance(when, datetime) else at(when, 9)
    return save_with_history(obj, by=by, reason=reason)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """An aware datetime on `day`, in the authority's time zone (Europe/London)."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


@contextmanager
def dated(now: datetime):
    """Run a step of the demo's story through the services at `now`: the history rows they
    write are dated then, not when the demo is loaded."""
    started = timezone.now()
    yield now
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_date"):
            model.objects.filter(history_date__gte=started).update(history_date=now)
