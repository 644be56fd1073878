"""The demo generator is seeded: the same seed, today and scale give the same records and
history; `scale` shrinks the authority (tests/test_demo_data.py loads the full size)."""

from datetime import date

import pytest
from django.db import transaction

from children.models import Child
from conferences.models import Conference
from devdata.demo.load import load_demo_data
from plans.models import ChildProtectionPlan

TODAY = date(2025, 6, 30)
SCALE = 0.05


class _RollBack(Exception):
    pass


def _described(*, seed: int) -> dict:
    """Load the small demo, describe what it holds, and roll it back."""
    with pytest.raises(_RollBack), transaction.atomic():
        result = load_demo_data(today=TODAY, seed=seed, password="x", scale=SCALE)
        described = {
            "counts": result.counts,
            "conferences": list(
                Conference.objects.order_by("id").values_list(
                    "household__reference", "kind", "status", "scheduled_for", "chair__username"
                )
            ),
            "plans": list(
                ChildProtectionPlan.objects.order_by("id").values_list(
                    "child__local_id", "start_date", "end_date", "latest_category"
                )
            ),
            "plan history": list(
                # By the child's ID, not the plan's: PostgreSQL's sequences are not rolled back.
                ChildProtectionPlan.history.order_by("history_id").values_list(
                    "child__local_id", "history_date", "history_type", "history_user__username"
                )
            ),
        }
        raise _RollBack
    return described


@pytest.mark.django_db
def test_the_same_seed_today_and_scale_give_the_same_records_and_history():
    first = _described(seed=2012)

    assert _described(seed=2012) == first
    assert _described(seed=2013)["conferences"] != first["conferences"]


@pytest.mark.django_db
def test_a_smaller_scale_gives_a_smaller_authority_with_every_kind_of_story():
    load_demo_data(today=TODAY, seed=2012, password="x", scale=SCALE)

    assert 80 <= Child.objects.count() <= 200
    assert ChildProtectionPlan.objects.filter(end_date__isnull=True).exists()
    assert Conference.objects.filter(kind=Conference.Kind.TRANSFER_IN).exists()
    assert Conference.objects.filter(kind=Conference.Kind.PRE_BIRTH_INITIAL).exists()
