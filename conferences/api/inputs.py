"""What the conferences API takes.

Input serializers check the shape of a request and find the records it names, through the
user's access; the services decide what may be booked (style.md rule 5). An id the user cannot
see gets the same answer as one that does not exist, on its own field.
"""

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from children.models import Child, Household
from children.selectors import child_list_for, household_list_for
from iro_service.validators import validate_no_bidi_controls
from people.models import User

from ..models import Attendance, Conference, StrategyMeeting, Venue
from ..models.meetings import CANCELLATION_REASONS
from ..selectors import KIND_LABELS, conference_list_for, transfer_in_awaiting
from ..services.booking import BookingRequest

# -- finding the records a request names -----------------------------------------------------


class VisibleRecordField(serializers.PrimaryKeyRelatedField):
    """The id of a record the signed-in user may see. `rows(user)` is the selector that says
    which (all of the model's rows when None)."""

    def __init__(self, *, model, noun: str, rows=None, **kwargs):
        self.rows = rows
        kwargs.setdefault("queryset", model._default_manager.all())  # the schema reads its pk
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": f"There is no {noun} with id {{pk_value}} that you can see.",
                "incorrect_type": f"Give the {noun}'s id, a whole number.",
            },
        )
        super().__init__(**kwargs)

    def get_queryset(self):
        if self.rows is None:
            return super().get_queryset()
        return self.rows(self.context["request"].user)


def household_field(**kwargs):
    return VisibleRecordField(model=Household, noun="household", rows=household_list_for, **kwargs)


def children_field(**kwargs):
    return VisibleRecordField(model=Child, noun="child", rows=child_list_for, many=True, **kwargs)


def venue_field(**kwargs):
    return VisibleRecordField(model=Venue, noun="venue", **kwargs)


def staff_field(**kwargs):
    return VisibleRecordField(model=User, noun="member of staff", **kwargs)


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time with its UTC offset: a bare time would be guessed at."""

    default_error_messages = {
        "naive": "Give the date and time with its offset from UTC, like 2027-03-17T09:30:00+00:00."
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # a real date is asked for below
            if parsed is not None and timezone.is_naive(parsed):
                self.fail("naive")
        return super().to_internal_value(value)


DISTRICT_HELP = "District id. A district manager gets their own district, and 404 for any other."


def _date_range(attrs):
    if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
        raise serializers.ValidationError({"to": "The end of the range is before its start."})
    return attrs


def _list_query(name: str, kinds, statuses):
    """A list's filters. Built with type() because `from` is a Python keyword."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "status": serializers.ChoiceField(choices=statuses, required=False),
            "kind": serializers.ChoiceField(choices=kinds, required=False),
            "from": serializers.DateField(
                required=False, help_text="Held on or after, YYYY-MM-DD."
            ),
            "to": serializers.DateField(required=False, help_text="Held on or before, YYYY-MM-DD."),
            "district": serializers.IntegerField(
                required=False, min_value=1, help_text=DISTRICT_HELP
            ),
            "validate": lambda self, attrs: _date_range(attrs),
        },
    )


ConferenceQuerySerializer = _list_query(
    "ConferenceQuerySerializer", Conference.Kind.choices, Conference.Status.choices
)
StrategyMeetingQuerySerializer = _list_query(
    "StrategyMeetingQuerySerializer", StrategyMeeting.Kind.choices, StrategyMeeting.Status.choices
)


class ToBookQuerySerializer(serializers.Serializer):
    district = serializers.IntegerField(required=False, min_value=1, help_text=DISTRICT_HELP)
    kind = serializers.ChoiceField(
        choices=list(KIND_LABELS.items()), required=False, help_text="Leave out for every kind."
    )


class DueQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="YYYY-MM-DD; leave out for today.")
    district = serializers.IntegerField(required=False, min_value=1, help_text=DISTRICT_HELP)


class WhenAndWhereSerializer(serializers.Serializer):
    """Date and time, venue or online, chair and minute taker: conferences and meetings alike."""

    starts_at = AwareDateTimeField(help_text="ISO 8601 with its UTC offset.")
    venue = venue_field(allow_null=True, default=None)
    is_virtual = serializers.BooleanField(default=False)
    meeting_link = serializers.URLField(allow_blank=True, default="")
    chair = staff_field(allow_null=True, help_text="An IRO or the Senior IRO.")
    minute_taker = staff_field(allow_null=True, default=None, help_text="Business support.")


class ConferenceBookSerializer(WhenAndWhereSerializer):
    household = household_field()
    kind = serializers.ChoiceField(
        choices=Conference.Kind.choices,
        required=False,
        help_text="Required, except when reconvening (the adjourned conference's kind).",
    )
    children = children_field(help_text="The children to consider: the household's.")
    left_out = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=300),
        default=dict,
        help_text="Every other child of the household, by id, with the reason they are left out.",
    )
    delay_reason = serializers.ChoiceField(
        choices=Conference.AdjournmentReason.choices,
        allow_blank=True,
        default="",
        help_text="Only when it will be held after the date it must be held by.",
    )
    delay_note = serializers.CharField(allow_blank=True, default="")
    reconvenes = VisibleRecordField(
        model=Conference,
        noun="conference",
        rows=conference_list_for,
        allow_null=True,
        default=None,
        help_text="The household's adjourned conference this one reconvenes, if it does.",
    )

    def validate_left_out(self, value) -> dict[int, str]:
        left_out = {}
        for key, reason in value.items():
            if not str(key).isdigit():
                raise serializers.ValidationError("Key each reason by the child's id.")
            left_out[int(key)] = reason
        return left_out

    def validate(self, attrs):
        household, replaces = attrs["household"], attrs["reconvenes"]
        if replaces is not None:
            self._check_reconvened(replaces, household, attrs.get("kind"))
            attrs["kind"] = replaces.kind
        elif not attrs.get("kind"):
            raise serializers.ValidationError({"kind": "Choose the kind of conference."})
        self._check_left_out(household, attrs["children"], attrs["left_out"])
        attrs["transfer_in"] = None
        if attrs["kind"] == Conference.Kind.TRANSFER_IN:
            attrs["transfer_in"] = transfer_in_awaiting(household)
        return attrs

    @staticmethod
    def _check_reconvened(replaces, household, kind) -> None:
        if (
            replaces.household_id != household.pk
            or replaces.status != Conference.Status.ADJOURNED
            or Conference.objects.filter(rearranged_from=replaces).exists()
        ):
            raise serializers.ValidationError(
                {"reconvenes": "Choose this household's adjourned conference awaiting a date."}
            )
        if kind and kind != replaces.kind:
            raise serializers.ValidationError(
                {
                    "kind": "A reconvened conference is of the adjourned one's kind: "
                    f"{replaces.get_kind_display().lower()}."
                }
            )

    @staticmethod
    def _check_left_out(household, children, left_out) -> None:
        """As the booking page asks: each child of the household in or out, a reason if out."""
        chosen = {child.pk for child in children}
        household_children = list(household.children.order_by("date_of_birth", "first_name"))
        ids = {child.pk for child in household_children}
        errors = [
            f"Child {pk} is not a child of this household." for pk in left_out if pk not in ids
        ]
        errors += [
            f"Child {pk} cannot be both considered and left out."
            for pk in sorted(chosen & set(left_out))
        ]
        if chosen:  # with none chosen, the service says to choose one
            errors += [
                f"Say why {child.full_name} is left out of the conference."
                for child in household_children
                if child.pk not in chosen and child.pk not in left_out
            ]
        if errors:
            raise serializers.ValidationError({"left_out": errors})

    def booking_request(self) -> BookingRequest:
        data = self.validated_data
        return BookingRequest(
            kind=data["kind"],
            household=data["household"],
            starts_at=data["starts_at"],
            children=tuple(data["children"]),
            left_out=data["left_out"],
            chair=data["chair"],
            venue=data["venue"],
            is_virtual=data["is_virtual"],
            meeting_link=data["meeting_link"],
            minute_taker=data["minute_taker"],
            delay_reason=data["delay_reason"],
            delay_note=data["delay_note"],
            replaces=data["reconvenes"],
            transfer_in=data["transfer_in"],
        )


class ConferenceRearrangeSerializer(serializers.Serializer):
    """What changes: anything left out stays as booked."""

    CHANGES = ("starts_at", "venue", "is_virtual", "meeting_link", "chair", "minute_taker")

    starts_at = AwareDateTimeField(required=False, help_text="ISO 8601 with its UTC offset.")
    venue = venue_field(required=False, allow_null=True)
    is_virtual = serializers.BooleanField(required=False)
    meeting_link = serializers.URLField(required=False, allow_blank=True)
    chair = staff_field(required=False)
    minute_taker = staff_field(required=False, allow_null=True)
    reason = serializers.ChoiceField(choices=Conference.AdjournmentReason.choices)
    note = serializers.CharField(allow_blank=True, default="")

    def changes(self) -> dict:
        return {
            name: self.validated_data[name] for name in self.CHANGES if name in self.validated_data
        }


class CancelSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CANCELLATION_REASONS)
    note = serializers.CharField(allow_blank=True, default="", help_text="Needed for other.")


class StrategyMeetingBookSerializer(WhenAndWhereSerializer):
    household = household_field(help_text="The meeting is held in the household's district.")
    kind = serializers.ChoiceField(choices=StrategyMeeting.Kind.choices)
    children = children_field(help_text="Children of the household.")

    def validate(self, attrs):
        household = attrs["household"]
        outsiders = [c for c in attrs["children"] if c.household_id != household.pk]
        if outsiders:
            raise serializers.ValidationError(
                {"children": f"{outsiders[0].full_name} is not a child of this household."}
            )
        return attrs


class InviteeAddSerializer(serializers.Serializer):
    name = serializers.CharField(
        validators=[validate_no_bidi_controls], max_length=150, allow_blank=True
    )
    agency = serializers.ChoiceField(choices=Attendance.Agency.choices)
    role = serializers.CharField(
        max_length=100, allow_blank=True, help_text="For example: mother, social worker, GP."
    )
    email = serializers.EmailField(allow_blank=True, default="")
    postal_address = serializers.CharField(allow_blank=True, default="")
    child = VisibleRecordField(
        model=Child,
        noun="child",
        rows=child_list_for,
        allow_null=True,
        default=None,
        help_text="When the invitee is a child the conference is about.",
    )
    manager_name = serializers.CharField(
        validators=[validate_no_bidi_controls], max_length=150, allow_blank=True, default=""
    )
    manager_email = serializers.EmailField(allow_blank=True, default="")
