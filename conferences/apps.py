from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from iro_service.derived import saved_any

_PLACE = {"child", "child_id", "conference", "conference_id"}
_CONFERENCE = {"date", "status", "kind", "household", "household_id"}
_HELD = {"date", "status", "chair", "chair_id"}  # what the stored places at held ones copy
_ENQUIRY = {"child", "child_id", "started_on", "initial_conference_due_by", "initial_conference"}


class ConferencesConfig(AppConfig):
    name = "conferences"

    def ready(self) -> None:
        from children.models import Household

        from .models import Conference, ConferenceChild, S47Enquiry

        # Each child's initial conference due date (conferences/timeliness.py) follows the
        # records it is derived from, whichever door changed them.
        post_save.connect(_considered, sender=ConferenceChild, dispatch_uid="initial_dues_cc")
        post_delete.connect(_considered, sender=ConferenceChild, dispatch_uid="initial_dues_gone")
        post_save.connect(_conference, sender=Conference, dispatch_uid="initial_dues_conf")
        post_save.connect(_enquiry, sender=S47Enquiry, dispatch_uid="initial_dues_s47")
        post_delete.connect(_enquiry, sender=S47Enquiry, dispatch_uid="initial_dues_s47_gone")
        # Each child's held conferences, with their dates and chairs (conferences/held.py).
        post_save.connect(_held_place, sender=ConferenceChild, dispatch_uid="held_places_cc")
        post_save.connect(_held_conference, sender=Conference, dispatch_uid="held_places_conf")
        # Each conference's stored district is its household's (conferences/districts.py).
        post_save.connect(_household, sender=Household, dispatch_uid="conference_districts")


def _store(children) -> None:
    from .timeliness import store_initial_conference_dues

    store_initial_conference_dues(children=children)


def _held_initial(conference) -> bool:
    from .timeliness import INITIAL_KINDS

    return conference.kind in INITIAL_KINDS and conference.status == conference.Status.HELD


def _considered(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if not raw and saved_any(update_fields, _PLACE) and _held_initial(instance.conference):
        _store([instance.child_id])


def _conference(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    from .timeliness import INITIAL_KINDS

    if raw or instance.kind not in INITIAL_KINDS or not saved_any(update_fields, _CONFERENCE):
        return
    _store(instance.child_outcomes.values_list("child_id", flat=True))


def _enquiry(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if not raw and saved_any(update_fields, _ENQUIRY):
        _store([instance.child_id])


def _held_place(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Rewrite the stored places of the place's child, and of the child it was before, unless
    neither who was considered nor where changed, or the place is new at a conference not
    held. (Places are case records, never deleted.)"""
    from .held import store_held_places

    if raw or not saved_any(update_fields, _PLACE):
        return
    loaded, now = getattr(instance, "_loaded_place", None), instance.place()
    instance._loaded_place = now
    if loaded == now:
        return
    if loaded is None and instance.conference.status != instance.conference.Status.HELD:
        return
    store_held_places(children={instance.child_id, *(loaded[:1] if loaded else ())})


def _held_conference(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    from .held import held_facts_changed, store_held_places

    if raw or not saved_any(update_fields, _HELD):
        return
    if held_facts_changed(instance):
        store_held_places(children=instance.child_outcomes.values_list("child_id", flat=True))


def _household(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    from .districts import follow_household

    if not raw and not created and saved_any(update_fields, {"district", "district_id"}):
        follow_household(instance)
