"""Holding a strategy meeting, and quality-assuring a decision not to convene (§4.1).

The chair records who took part, what was decided and when to follow up, and for each child
either a section 47 enquiry started (through meetings.s47_enquiry_record, which keeps the
enquiry's own rules and stores the initial conference target from the meeting's date) or no
further action. Held is final: the meeting's row is locked while it is recorded, so two
people cannot record the same meeting twice.

"No further action" has no column of its own: a held meeting's child with no enquiry from it
is a child for whom the meeting started none, and the page and the API say so.
"""

from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from iro_service.records import save_with_history
from people.models import User

from ..models import Attendance, S47Enquiry, StrategyMeeting, StrategyMeetingAttendance
from . import meetings

START_ENQUIRY = "start_enquiry"
NO_FURTHER_ACTION = "no_further_action"
CHILD_DECISIONS = {
    START_ENQUIRY: "Start a section 47 enquiry",
    NO_FURTHER_ACTION: "No further action under section 47",
}
# How someone took part in a strategy meeting: no reports are sent to one, so no "report only".
ATTENDANCE_STATUSES = {
    Attendance.Status.ATTENDED: "In person",
    Attendance.Status.REMOTE: "Remotely",
    Attendance.Status.APOLOGIES: "Sent apologies",
    Attendance.Status.DID_NOT_ATTEND: "Did not attend",
}
NAME_LENGTH = StrategyMeetingAttendance._meta.get_field("name").max_length
ROLE_LENGTH = StrategyMeetingAttendance._meta.get_field("role").max_length

# The first line of a review's note says the IRO's verdict (the model has no column for it).
AGREED = "Agreed with the decision not to convene."
DISAGREED = "Disagreed with the decision not to convene: an escalation should be raised."


def _text(value) -> str:
    return str(value or "").strip()


def attendance_rows(attendance: list[dict]) -> list[dict]:
    """The register as it is saved: each row's text trimmed."""
    return [
        {
            "name": _text(row.get("name")),
            "agency": _text(row.get("agency")),
            "role": _text(row.get("role")),
            "status": _text(row.get("status")),
        }
        for row in attendance
    ]


def _attendance_errors(rows: list[dict]) -> list[str]:
    errors = []
    for number, row in enumerate(rows, start=1):
        if not row["name"]:
            errors.append(f"Enter the name of person {number}.")
        elif len(row["name"]) > NAME_LENGTH:
            errors.append(f"The name of person {number} must be {NAME_LENGTH} characters or fewer.")
        if row["agency"] not in Attendance.Agency.values:
            errors.append(f"Choose the agency of person {number}.")
        if len(row["role"]) > ROLE_LENGTH:
            errors.append(f"The role of person {number} must be {ROLE_LENGTH} characters or fewer.")
        if row["status"] not in ATTENDANCE_STATUSES:
            errors.append(f"Choose how person {number} took part.")
    if not any(row["status"] in Attendance.PRESENT for row in rows):
        errors.append("Add at least one person who took part, in person or remotely.")
    return errors


def child_decisions(meeting: StrategyMeeting, enquiries: list[dict]) -> tuple[dict, list[str]]:
    """Each child's decision, keyed by child id ({child, decision, started_on}), and what is
    wrong with them. Every child of the meeting needs one, unless an enquiry from this
    meeting is already recorded for them."""
    children = {child.pk: child for child in meeting.children.order_by("date_of_birth", "pk")}
    already = set(meeting.enquiries.values_list("child_id", flat=True))
    decided: dict[int, dict] = {}
    seen: set[int] = set()
    errors = []
    for entry in enquiries:
        given = entry.get("child")
        child = children.get(getattr(given, "pk", given))
        if child is None:
            errors.append("One of the children given is not part of this strategy meeting.")
            continue
        decision = entry.get("decision")
        if child.pk in seen:
            errors.append(f"Give one decision for {child.full_name}, not two.")
        elif decision not in CHILD_DECISIONS:
            errors.append(f"Choose what happens next for {child.full_name}.")
        elif decision == START_ENQUIRY and child.pk in already:
            errors.append(f"{child.full_name} already has a section 47 enquiry from this meeting.")
        else:
            started_on = entry.get("started_on") or meeting.date
            decided[child.pk] = {"child": child, "decision": decision, "started_on": started_on}
        seen.add(child.pk)
    for child in children.values():
        if child.pk not in seen and child.pk not in already:
            errors.append(
                f"Choose what happens next for {child.full_name}: a section 47 enquiry, or no "
                "further action."
            )
    return decided, errors


def strategy_meeting_hold_errors(
    *,
    meeting: StrategyMeeting,
    attendance: list[dict],
    decisions: str,
    follow_up_on: date | None,
    enquiries: list[dict],
    today: date,
) -> dict[str, list[str]]:
    """What stops the meeting being recorded as held, by field: nothing when it may be. The
    page asks before its check-your-answers step; the service asks again with the row locked."""
    errors: dict[str, list[str]] = {}
    if meeting.status == StrategyMeeting.Status.HELD:
        errors[NON_FIELD_ERRORS] = ["This strategy meeting has already been recorded as held."]
    elif meeting.status != StrategyMeeting.Status.BOOKED:
        errors[NON_FIELD_ERRORS] = ["This strategy meeting was cancelled, so it cannot be held."]
    elif meeting.date > today:
        errors[NON_FIELD_ERRORS] = [
            f"The meeting is on {meeting.date.day} {meeting.date:%B %Y}: record it as held on "
            "that day or after."
        ]
    attendance_errors = _attendance_errors(attendance_rows(attendance))
    if attendance_errors:
        errors["attendance"] = attendance_errors
    if not _text(decisions):
        errors["decisions"] = ["Enter what the meeting decided."]
    if follow_up_on is not None and follow_up_on < meeting.date:
        errors["follow_up_on"] = ["The follow-up date cannot be before the meeting."]
    _, child_errors = child_decisions(meeting, enquiries)
    if child_errors:
        errors["enquiries"] = child_errors
    return errors


def _start_enquiry(*, meeting: StrategyMeeting, entry: dict, today: date, by: User):
    """Through the one service that records enquiries: its rules, its stored target."""
    child = entry["child"]
    try:
        return meetings.s47_enquiry_record(
            by=by,
            child=child,
            strategy_discussion_on=meeting.date,
            started_on=entry["started_on"],
            today=today,
            strategy_meeting=meeting,
        )
    except ValidationError as error:
        messages = [f"{child.full_name}: {message}" for message in error.messages]
        raise ValidationError({"enquiries": messages}) from error


@transaction.atomic
def strategy_meeting_hold(
    *,
    meeting: StrategyMeeting,
    attendance: list[dict],
    decisions: str,
    follow_up_on: date | None,
    enquiries: list[dict],
    by: User,
    now: datetime | None = None,
) -> StrategyMeeting:
    """Record a booked strategy meeting, on its day or after, as held: the register (at least
    one person present), the decisions, the follow-up date (not before the meeting), and for
    each child a section 47 enquiry started or no further action. Refused, with nothing
    saved, on any of these; and for a meeting already held, even by someone else a moment
    ago (the row is locked)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    locked = StrategyMeeting.objects.select_for_update().get(pk=meeting.pk)
    errors = strategy_meeting_hold_errors(
        meeting=locked,
        attendance=attendance,
        decisions=decisions,
        follow_up_on=follow_up_on,
        enquiries=enquiries,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    locked.status = StrategyMeeting.Status.HELD
    locked.decisions = _text(decisions)
    locked.follow_up_on = follow_up_on
    locked.held_recorded_at, locked.held_recorded_by = now, by
    save_with_history(locked, by=by, reason="Strategy meeting held")
    for row in attendance_rows(attendance):
        save_with_history(
            StrategyMeetingAttendance(meeting=locked, **row),
            by=by,
            reason="Strategy meeting attendance recorded",
        )
    decided, _ = child_decisions(locked, enquiries)
    for entry in decided.values():
        if entry["decision"] == START_ENQUIRY:
            _start_enquiry(meeting=locked, entry=entry, today=today, by=by)
    return locked


@transaction.atomic
def no_conference_review(*, enquiry: S47Enquiry, note: str, agrees: bool, by: User) -> S47Enquiry:
    """An IRO's quality assurance of a decision not to convene an initial conference after
    significant harm was found (§4.1): their note, and whether they agree. A disagreement is
    recorded and says an escalation should be raised (escalations are their own work)."""
    locked = S47Enquiry.objects.select_for_update().select_related("child").get(pk=enquiry.pk)
    if locked.outcome != S47Enquiry.Outcome.NO_CONFERENCE_HARM:
        raise ValidationError(
            "This enquiry did not end in a decision not to convene after significant harm, so "
            "there is nothing to quality-assure."
        )
    if locked.no_conference_reviewed_by_id is not None:
        raise ValidationError("This decision has already been quality-assured.")
    errors = {}
    if not _text(note):
        errors["note"] = ["Enter your note on the decision."]
    if agrees not in (True, False):
        errors["agrees"] = ["Say whether you agree with the decision."]
    if errors:
        raise ValidationError(errors)
    locked.no_conference_reviewed_by = by
    locked.no_conference_review_note = f"{AGREED if agrees else DISAGREED}\n\n{_text(note)}"
    verdict = "agreed" if agrees else "disagreed, an escalation to be raised"
    save_with_history(locked, by=by, reason=f"Decision not to convene quality-assured: {verdict}")
    return locked


def review_agreed(enquiry: S47Enquiry) -> bool | None:
    """Whether the IRO agreed with the decision: None while it is not yet quality-assured."""
    if enquiry.no_conference_reviewed_by_id is None:
        return None
    return not enquiry.no_conference_review_note.startswith(DISAGREED)
