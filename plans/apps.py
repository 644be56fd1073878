from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from iro_service.derived import saved_any

# Only a save that writes one of these fields can change a plan's reviews or their due dates.
_REVIEW_FIELDS = {"child", "child_id", "start_date", "end_date"}


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self) -> None:
        from children.models import Child
        from conferences.models import Conference, ConferenceChild

        from .models import ChildProtectionPlan

        post_save.connect(_outcome_changed, sender=ConferenceChild, dispatch_uid="plan_reviews_cc")
        post_delete.connect(
            _outcome_changed, sender=ConferenceChild, dispatch_uid="plan_reviews_cc_gone"
        )
        post_save.connect(_conference_changed, sender=Conference, dispatch_uid="plan_reviews_conf")
        post_save.connect(_plan_changed, sender=ChildProtectionPlan, dispatch_uid="plan_reviews")
        # Whether each plan follows an earlier one of its child (plans/earlier.py). A plan is
        # a case record, never deleted (iro_service/records.py): no post_delete.
        post_save.connect(
            _plan_order_changed, sender=ChildProtectionPlan, dispatch_uid="plans_earlier"
        )
        # Each plan's stored district is its child's (plans/districts.py).
        post_save.connect(_child_moved, sender=Child, dispatch_uid="plan_districts")


def _store(children) -> None:
    from .reviews import store_plan_reviews

    store_plan_reviews(children=children)


def _outcome_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A child's outcome, views or category change no review; who was considered at a held
    review does."""
    if raw:
        return
    if not saved_any(update_fields, {"child", "child_id", "conference", "conference_id"}):
        return
    conference = instance.conference
    if conference.kind == conference.Kind.REVIEW and conference.status == conference.Status.HELD:
        _store([instance.child_id])


def _conference_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Only a review's date or status can change which reviews were held, and when."""
    if raw or instance.kind != instance.Kind.REVIEW:
        return
    if not saved_any(update_fields, {"date", "status", "kind"}):
        return
    _store(instance.child_outcomes.values_list("child_id", flat=True))


def _plan_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw:
        return
    if not saved_any(update_fields, _REVIEW_FIELDS):
        return
    _store([instance.child_id])


def _plan_order_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A plan new, or with another start date or child, changes which of its child's plans
    follow an earlier one, and of its former child's. Other saves (an end, a category, a
    due date: most saves of a plan) write nothing."""
    from .earlier import store_earlier_plans

    if raw or not saved_any(update_fields, {"child", "child_id", "start_date"}):
        return
    if not instance.moved_in_order():  # post_save runs before save() notes the new values
        return
    store_earlier_plans(children=[instance.child_id, getattr(instance, "_loaded_child_id", None)])


def _child_moved(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    """A child's change of district moves their plans' stored district with them."""
    from .districts import follow_child

    if raw or created or not saved_any(update_fields, {"district", "district_id"}):
        return
    if instance.moved_district():  # loaded with another district, or not loaded at all
        follow_child(instance)
