"""manage.py load_demo_data: an invented, mid-sized authority, one sign-in per role, a password
that stays the same from run to run, safe to run twice."""

import random
import stat
from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.conf import global_settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from children.models import Child
from conferences.models import Conference, ConferenceChild, ReportDocument, ReportRequest
from devdata.demo.base import DEMO_USERNAMES, at
from devdata.demo.households import plan_households
from people.models import Role, User
from plans.models import CategoryChange, ChildProtectionPlan
from quality_assurance.models import Escalation, QAForm
from reporting.metrics import Period, conferences, quality, reviews, staff

TODAY = "2026-03-31"
PASSWORD = "demo-Test-password-7"
# The module's demo data is hashed before the per-test settings apply, so the tests accept
# the fast hasher it is hashed with as well as Django's defaults.
HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *global_settings.PASSWORD_HASHERS]


def _run_command(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_data", "--today", TODAY, *args, stdout=out)
    return out.getvalue()


def _printed_passwords(output: str) -> dict[str, str]:
    """Username -> password, read from the command's sign-in table."""
    usernames = set(DEMO_USERNAMES.values())
    rows = (line.split() for line in output.splitlines())
    return {row[-2]: row[-1] for row in rows if len(row) >= 3 and row[-2] in usernames}


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _children_in(seed: int) -> list[tuple]:
    households = plan_households(random.Random(seed), date.fromisoformat(TODAY))
    return [
        (child.first_name, child.last_name, child.date_of_birth)
        for household in households
        for child in household.children
    ]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the full-size demo once for this module, in a transaction rolled back afterwards:
    it takes seconds to generate, and case records refuse to be deleted."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEMO_PASSWORD", PASSWORD)
        with (
            override_settings(PASSWORD_HASHERS=HASHERS, DEBUG=True),
            transaction.atomic(),
        ):
            yield _run_command()
            transaction.set_rollback(True)
        connection.close()  # see tests/reporting/test_lancashire_sample.py's load_output


@pytest.fixture(autouse=True)
def _accept_the_module_hashers(settings):
    settings.PASSWORD_HASHERS = [
        *settings.PASSWORD_HASHERS,
        *(hasher for hasher in HASHERS if hasher not in settings.PASSWORD_HASHERS),
    ]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.mark.django_db
def test_one_demo_user_per_role_signs_in_with_the_printed_password(demo_output):
    printed = _printed_passwords(demo_output)

    assert printed == {username: PASSWORD for username in DEMO_USERNAMES.values()}
    for role, username in DEMO_USERNAMES.items():
        user = authenticate(username=username, password=printed[username])
        assert user is not None
        assert user.role == role
    assert "http://127.0.0.1:8000" in demo_output


@pytest.mark.django_db
def test_staff_beyond_the_demo_accounts_cannot_sign_in(demo_output):
    assert User.objects.filter(role=Role.IRO).count() == 9
    others = User.objects.exclude(username__in=DEMO_USERNAMES.values())
    assert others.exists()
    assert not any(user.has_usable_password() for user in others)


@pytest.mark.django_db
def test_running_again_creates_nothing_and_keeps_the_checkout_password(
    demo_output, monkeypatch, tmp_path, debug
):
    before = _row_counts()
    monkeypatch.delenv("DEMO_PASSWORD")
    password_file = tmp_path / ".demo-password"

    first = _run_command("--password-file", str(password_file))
    second = _run_command("--password-file", str(password_file))

    assert "already there" in first
    assert _row_counts() == before
    saved = password_file.read_text().strip()
    assert len(saved) >= 16 and saved != PASSWORD
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    for output in (first, second):
        assert _printed_passwords(output) == {name: saved for name in DEMO_USERNAMES.values()}
    for username in DEMO_USERNAMES.values():
        assert authenticate(username=username, password=saved) is not None
    assert authenticate(username="iro", password=PASSWORD) is None


@pytest.mark.django_db
def test_demo_password_overrides_the_checkout_password(demo_output, monkeypatch, tmp_path, debug):
    password_file = tmp_path / ".demo-password"
    password_file.write_text("kept-in-the-file-123\n")
    monkeypatch.setenv("DEMO_PASSWORD", "from-the-environment-456")

    output = _run_command("--password-file", str(password_file))

    assert set(_printed_passwords(output).values()) == {"from-the-environment-456"}
    assert authenticate(username="iro", password="from-the-environment-456") is not None
    assert password_file.read_text() == "kept-in-the-file-123\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "url"),
    [("127.0.0.1:8101", "http://127.0.0.1:8101"), ("0.0.0.0:9000", "http://0.0.0.0:9000")],
)
def test_the_address_printed_is_the_one_served(demo_output, debug, address, url):
    output = _run_command("--address", address)

    assert f"The app is at {url} " in output
    assert "127.0.0.1:8000" not in output


@pytest.mark.django_db
def test_with_debug_off_it_refuses_unless_told_it_may(demo_output, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        _run_command()

    assert "already there" in _run_command("--allow-production")


@pytest.mark.django_db
def test_every_child_is_valid(demo_output):
    children = list(Child.objects.select_related("household"))

    assert 2000 <= len(children) <= 3000
    for child in children:
        child.full_clean()
    assert any(child.is_unborn for child in children)
    assert any(child.upn for child in children)
    assert any(child.nhs_number for child in children)


@pytest.mark.django_db
def test_invitations_have_someone_to_go_to(demo_output):
    """Every household has a parent or carer, some by post; every child a social worker whose
    team manager is told of late reports; siblings share their social worker."""
    from children.models import FamilyMember, Household

    households = Household.objects.count()
    with_family = FamilyMember.objects.values("household").distinct().count()
    assert with_family == households
    assert FamilyMember.objects.filter(email="").exists()
    assert FamilyMember.objects.exclude(email="").exists()
    assert not Child.objects.filter(social_worker_email="").exists()
    assert not Child.objects.filter(team_manager_email="").exists()
    workers_per_household = Child.objects.values("household").annotate(
        n=Count("social_worker_email", distinct=True)
    )
    assert {row["n"] for row in workers_per_household} == {1}


@pytest.mark.django_db
def test_no_child_has_more_than_one_open_plan(demo_output):
    open_plans = (
        ChildProtectionPlan.objects.filter(end_date__isnull=True)
        .values("child")
        .annotate(plans=Count("id"))
    )

    assert open_plans
    assert max(row["plans"] for row in open_plans) == 1
    assert ChildProtectionPlan.objects.filter(end_date__isnull=False).exists()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_children(demo_output):
    saved = list(
        Child.objects.order_by("local_id").values_list("first_name", "last_name", "date_of_birth")
    )

    assert _children_in(2012) == _children_in(2012)
    assert _children_in(2012) != _children_in(2013)
    assert saved == _children_in(2012)


@pytest.mark.django_db
def test_iro_caseloads_are_those_of_a_mid_sized_authority(demo_output):
    today = date.fromisoformat(TODAY)
    rows = [row for row in staff.caseloads(on=today) if row["iro_id"]]
    chairs = [row for row in rows if row["name"] != "Helen Marchbank"]  # the senior IRO

    assert 500 <= ChildProtectionPlan.objects.filter(end_date__isnull=True).count() <= 700
    assert len(chairs) == 9
    assert all(40 <= row["children"] <= 90 for row in chairs), chairs
    in_or_above = [row for row in chairs if row["band"] in ("within", "above")]
    assert len(in_or_above) >= 7, chairs
    assert any(row["band"] == "above" for row in chairs), chairs


@pytest.mark.django_db
def test_the_last_reporting_year_has_the_activity_the_report_counts(demo_output):
    year = Period.year(2026)

    late = reviews.late_reviews(period=year)
    assert len(late) >= 20
    assert sum(row["reason"] != "Not recorded" for row in late) > len(late) / 2
    assert sum(row["count"] for row in conferences.adjournments(period=year)) >= 10
    assert conferences.conferences_held(period=year)["total"] >= 600
    qa = quality.qa_completion(period=year)
    assert 60 <= qa["percent"] <= 95, qa
    assert quality.escalations(period=year)["total"] >= 20
    assert quality.feedback_returns(period=year)["total"] >= 50


@pytest.mark.django_db
def test_history_is_dated_when_things_happened(demo_output):
    plan = ChildProtectionPlan.objects.filter(category_changes__isnull=False).first()
    versions = list(plan.history.order_by("history_date", "history_id"))
    change = CategoryChange.objects.filter(plan=plan).first()

    assert versions[0].history_type == "+"
    assert timezone.localdate(versions[0].history_date) == plan.start_date
    assert change.changed_on in {timezone.localdate(v.history_date) for v in versions[1:]}
    assert timezone.localdate(change.history.get().history_date) == change.changed_on
    born = Child.history.filter(history_change_reason="Birth recorded").first()
    assert born.date_of_birth is not None
    assert born.prev_record.date_of_birth is None and born.prev_record.first_name == "Unborn"


@pytest.mark.django_db
def test_no_history_is_dated_after_the_demo_today(demo_output):
    """Not the time it was loaded: the day before "today" is the latest anything happened."""
    after_today = at(date.fromisoformat(TODAY) + timedelta(days=1), 0)
    models = (Child, Conference, ConferenceChild, ChildProtectionPlan, QAForm, Escalation)
    for model in (*models, ReportRequest, ReportDocument):  # the portal's, written by services
        assert model.history.exists()
        assert not model.history.filter(history_date__gte=after_today).exists(), model
