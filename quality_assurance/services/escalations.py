"""Escalations under the Problem Resolution Protocol (quality-assurance.md; §7.1, §7.2, §10.2).

A chair raises an escalation about a child, from a QA form or from the child's record, at a
level (social worker up to director) and addressed to a person: a user of the system or a
contact outside it. Each level's response is due ESCALATION_LEVEL_WORKING_DAYS working days
after it was reached; the whole protocol ESCALATION_TOTAL_WORKING_DAYS after raising. The chair
records responses, moves it up (skipping levels if need be, never down), resolves it with its
outcome or withdraws it. Unanswered past its deadline, the beat task (escalations_move_up_overdue)
moves it up one level and tells the next person and the chair, once per level.

Every write locks the escalation row, checks what it is asked, and saves with its history; a
refusal raises ValidationError with the field it is about and saves nothing.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse

from children.models import Child
from conferences.models import Conference
from iro_service.records import save_with_history
from iro_service.validators import BIDI_MESSAGE, has_bidi_controls
from people.models import Role, User

from .. import escalation_rules
from ..models import Escalation, EscalationNotice, EscalationResponse, QAForm

logger = logging.getLogger(__name__)

Level = Escalation.Level
Status = Escalation.Status


def _timescale(name: str) -> int:
    return settings.IRO_TIMESCALES[name]


def response_due_by(level_reached_on: date) -> date:
    return escalation_rules.escalation_response_due_by(
        level_reached_on=level_reached_on,
        working_days=_timescale("ESCALATION_LEVEL_WORKING_DAYS"),
    )


def protocol_due_by(raised_on: date) -> date:
    return escalation_rules.protocol_due_by(
        raised_on=raised_on, working_days=_timescale("ESCALATION_TOTAL_WORKING_DAYS")
    )


# -- whom it is addressed to ---------------------------------------------------------------


@dataclass(frozen=True)
class Addressee:
    """A user of the system, or a contact outside it (a name, and an email to tell them)."""

    user: User | None = None
    name: str = ""
    email: str = ""

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.display_name
        return self.name

    @property
    def address(self) -> str:
        return self.user.email if self.user is not None else self.email


def _addressee_errors(addressee: Addressee) -> dict:
    errors: dict[str, list[str]] = {}
    if addressee.user is not None:
        if not addressee.user.is_active:
            errors["addressed_to"] = ["The person you chose can no longer sign in: choose another."]
        return errors
    if not addressee.name.strip():
        errors["addressed_to_name"] = [
            "Choose who it is addressed to, or give the name of the person outside the system."
        ]
    elif has_bidi_controls(addressee.name):
        errors["addressed_to_name"] = [BIDI_MESSAGE]
    if addressee.email.strip():
        try:
            validate_email(addressee.email.strip())
        except ValidationError:
            errors["addressed_to_email"] = [
                "Enter an email address in the correct format, like name@example.com"
            ]
    return errors


def _address(escalation: Escalation, addressee: Addressee) -> None:
    escalation.addressed_to = addressee.user
    escalation.addressed_to_name = "" if addressee.user else addressee.name.strip()
    escalation.addressed_to_email = "" if addressee.user else addressee.email.strip()


def addressee_of(escalation: Escalation) -> Addressee:
    return Addressee(
        user=escalation.addressed_to,
        name=escalation.addressed_to_name,
        email=escalation.addressed_to_email,
    )


def district_managers(district_id: int) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.DISTRICT_MANAGER, district_id=district_id, is_active=True
        ).order_by("last_name", "first_name", "pk")
    )


def suggested_addressee(*, child: Child, level: int) -> Addressee:
    """Whom the record says to address at a level: the child's social worker, their team
    manager, the district's manager; nobody is recorded above that."""
    if level == Level.SOCIAL_WORKER and child.social_worker_name:
        return Addressee(name=child.social_worker_name, email=child.social_worker_email)
    if level == Level.TEAM_MANAGER and child.team_manager_name:
        return Addressee(name=child.team_manager_name, email=child.team_manager_email)
    if level == Level.DISTRICT_MANAGER:
        managers = district_managers(child.district_id)
        if managers:
            return Addressee(user=managers[0])
    return Addressee()


# -- raising ---------------------------------------------------------------------------------


def raise_prefill(*, qa_form: QAForm) -> dict:
    """What a QA form says about an escalation it opens: its conference and children, and the
    theme its "no" answers point to."""
    answers = {name: getattr(qa_form, name) for name, *_ in escalation_rules.THEME_BY_ANSWER}
    return {
        "conference": qa_form.conference,
        "children": list(qa_form.conference.children.order_by("first_name", "last_name", "pk")),
        "theme": escalation_rules.theme_from_answers(answers),
    }


def _lock(escalation: Escalation) -> Escalation:
    return (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("child", "raised_by", "addressed_to", "district")
        .get(pk=escalation.pk)
    )


def _require_open(escalation: Escalation, doing: str) -> None:
    if escalation.status != Status.OPEN:
        raise ValidationError(
            f"This escalation is {escalation.get_status_display().lower()}, so {doing}."
        )


def _date_errors(field: str, on: date, *, not_before: date, today: date, what: str) -> dict:
    if on is None:
        return {field: [f"Enter the date {what}."]}
    if on > today:
        return {field: [f"The date {what} must be today or in the past."]}
    if on < not_before:
        return {
            field: [f"The date {what} cannot be before {not_before:%-d %B %Y}, when it was raised."]
        }
    return {}


@transaction.atomic
def escalation_raise(
    *,
    child: Child,
    theme: str,
    concern: str,
    what_must_change: str = "",
    level: int = Level.SOCIAL_WORKER,
    addressed_to: User | None = None,
    addressed_to_name: str = "",
    addressed_to_email: str = "",
    conference: Conference | None = None,
    qa_form: QAForm | None = None,
    by: User,
    today: date,
) -> Escalation:
    """Raise an escalation about a child at a level, addressed to a person; from a QA form
    (its conference follows) or directly from the child's record."""
    addressee = Addressee(addressed_to, addressed_to_name, addressed_to_email)
    errors: dict[str, list[str]] = {}
    if theme not in Escalation.Theme.values:
        errors["theme"] = ["Choose what the concern is about."]
    if not (concern or "").strip():
        errors["concern"] = ["Describe the concern."]
    if not (what_must_change or "").strip():
        errors["what_must_change"] = ["Say what must change."]
    if level not in Level.values:
        errors["level"] = ["Choose the level to raise it at."]
    errors.update(_addressee_errors(addressee))
    if qa_form is not None:
        if conference is not None and conference.pk != qa_form.conference_id:
            errors["conference"] = ["The QA form is for another conference."]
        conference = qa_form.conference
    if conference is not None and not conference.children.filter(pk=child.pk).exists():
        errors["child"] = [f"{child} was not considered at this conference."]
    if errors:
        raise ValidationError(errors)
    escalation = Escalation(
        child=child,
        district_id=child.district_id,
        conference=conference,
        qa_form=qa_form,
        raised_by=by,
        raised_on=today,
        theme=theme,
        concern=concern.strip(),
        what_must_change=what_must_change.strip(),
        level=level,
        level_reached_on=today,
        response_due_by=response_due_by(today),
        protocol_due_by=protocol_due_by(today),
        status=Status.OPEN,
    )
    _address(escalation, addressee)
    return save_with_history(
        escalation, by=by, reason=f"Escalation raised at {escalation.get_level_display()}"
    )


# -- responding, moving up, resolving, withdrawing ------------------------------------------


@transaction.atomic
def escalation_respond(
    *,
    escalation: Escalation,
    response: str,
    by: User,
    on: date,
    today: date,
    responder_name: str = "",
) -> EscalationResponse:
    """Record the answer at the current level: typed by the person it is addressed to, or by
    the chair from what they were told (responder_name, else the addressee's name)."""
    escalation = _lock(escalation)
    _require_open(escalation, "no response can be recorded")
    errors: dict[str, list[str]] = {}
    if not (response or "").strip():
        errors["response"] = ["Enter the response."]
    errors.update(
        _date_errors(
            "responded_on",
            on,
            not_before=escalation.raised_on,
            today=today,
            what="of the response",
        )
    )
    if errors:
        raise ValidationError(errors)
    own = escalation.addressed_to_id is not None and escalation.addressed_to_id == by.pk
    name = (responder_name or "").strip() or (
        by.display_name if own else addressee_of(escalation).label
    )
    answer = EscalationResponse(
        escalation=escalation,
        level=escalation.level,
        responded_by=by if own else None,
        responder_name=name,
        responded_on=on,
        response=response.strip(),
    )
    save_with_history(answer, by=by, reason=f"Response at {escalation.get_level_display()}")
    return answer


def responded_at_level(escalation: Escalation) -> bool:
    return escalation.responses.filter(level=escalation.level).exists()


def _raise_level(escalation: Escalation, *, to_level: int, addressee: Addressee, on: date):
    escalation.level = to_level
    escalation.level_reached_on = on
    escalation.response_due_by = response_due_by(on)
    _address(escalation, addressee)


@transaction.atomic
def escalation_move_up(
    *,
    escalation: Escalation,
    to_level: int,
    addressed_to: User | None = None,
    addressed_to_name: str = "",
    addressed_to_email: str = "",
    by: User,
    today: date,
) -> Escalation:
    """Move up to a higher level (levels may be skipped; never down), addressed to its person,
    with a new response deadline from today. The new addressee is emailed if they have an
    address."""
    escalation = _lock(escalation)
    _require_open(escalation, "it cannot be moved up")
    addressee = Addressee(addressed_to, addressed_to_name, addressed_to_email)
    errors: dict[str, list[str]] = {}
    if to_level not in Level.values:
        errors["to_level"] = ["Choose the level to move it up to."]
    elif to_level <= escalation.level:
        errors["to_level"] = [
            f"It is at {escalation.get_level_display().lower()} already: choose a higher level "
            "(an escalation never moves down)."
        ]
    errors.update(_addressee_errors(addressee))
    if errors:
        raise ValidationError(errors)
    _raise_level(escalation, to_level=to_level, addressee=addressee, on=today)
    save_with_history(
        escalation, by=by, reason=f"Moved up to {escalation.get_level_display()} by the chair"
    )
    if addressee.address:
        message = _email(
            escalation,
            to=[addressee.address],
            template="quality/email_escalation_moved.txt",
            overdue=False,
        )
        try:
            message.send()
        except OSError as error:  # smtplib errors are OSErrors
            logger.warning("Escalation %s: email not sent: %s", escalation.pk, type(error).__name__)
    return escalation


@transaction.atomic
def escalation_readdress(
    *,
    escalation: Escalation,
    addressed_to: User | None = None,
    addressed_to_name: str = "",
    addressed_to_email: str = "",
    by: User,
) -> Escalation:
    """Record whom it is addressed to at its current level (when it moved up with nobody
    recorded, or the person changed). The deadline stays as it is."""
    escalation = _lock(escalation)
    _require_open(escalation, "it cannot be readdressed")
    addressee = Addressee(addressed_to, addressed_to_name, addressed_to_email)
    errors = _addressee_errors(addressee)
    if errors:
        raise ValidationError(errors)
    _address(escalation, addressee)
    return save_with_history(
        escalation,
        by=by,
        reason=f"Addressed to {addressee.label} at {escalation.get_level_display().lower()}",
    )


@transaction.atomic
def escalation_resolve(
    *, escalation: Escalation, outcome: str, on: date, by: User, today: date
) -> Escalation:
    escalation = _lock(escalation)
    _require_open(escalation, "it cannot be resolved")
    errors: dict[str, list[str]] = {}
    if not (outcome or "").strip():
        errors["outcome"] = ["Describe the outcome: what changed, or was agreed."]
    errors.update(
        _date_errors(
            "resolved_on", on, not_before=escalation.raised_on, today=today, what="it was resolved"
        )
    )
    if errors:
        raise ValidationError(errors)
    escalation.status = Status.RESOLVED
    escalation.outcome = outcome.strip()
    escalation.resolved_on = on
    return save_with_history(escalation, by=by, reason="Escalation resolved")


@transaction.atomic
def escalation_withdraw(
    *, escalation: Escalation, reason: str, on: date, by: User, today: date
) -> Escalation:
    escalation = _lock(escalation)
    _require_open(escalation, "it cannot be withdrawn")
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["withdrawal_reason"] = ["Say why it is withdrawn."]
    errors.update(
        _date_errors(
            "withdrawn_on",
            on,
            not_before=escalation.raised_on,
            today=today,
            what="it was withdrawn",
        )
    )
    if errors:
        raise ValidationError(errors)
    escalation.status = Status.WITHDRAWN
    escalation.withdrawal_reason = reason.strip()
    escalation.withdrawn_on = on
    return save_with_history(escalation, by=by, reason="Escalation withdrawn")


# -- the beat task: unanswered past the deadline, up one level --------------------------------


def escalation_link(escalation: Escalation) -> str:
    path = reverse("quality:escalation", args=[escalation.pk])
    return getattr(settings, "IRO_SITE_URL", "").rstrip("/") + path


def _email(
    escalation: Escalation, *, to: list[str], template: str, overdue: bool, cc=()
) -> EmailMessage:
    """Plain text, from business support; the subject never names the child."""
    level = escalation.get_level_display().lower()
    subject = (
        f"Escalation {escalation.pk} moved to {level}: "
        f"response due by {escalation.response_due_by:%-d %B %Y}"
    )
    if overdue and escalation.level == Level.DIRECTOR and template.endswith("_director.txt"):
        subject = f"Escalation {escalation.pk}: no response at director level"
    return EmailMessage(
        subject=subject,
        body=render_to_string(
            template,
            {
                "escalation": escalation,
                "addressee": addressee_of(escalation),
                "link": escalation_link(escalation),
                "overdue": overdue,
                "authority": settings.IRO_AUTHORITY_NAME,
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=list(cc),
        reply_to=[settings.DEFAULT_FROM_EMAIL],
    )


def overdue_escalations(*, today: date):
    """Open escalations whose response was due before today, with no response at their
    level (a response stops the clock: the chair then resolves or moves it up)."""
    answered = EscalationResponse.objects.filter(escalation=OuterRef("pk"), level=OuterRef("level"))
    return (
        Escalation.objects.filter(status=Status.OPEN, response_due_by__lt=today)
        .exclude(Exists(answered))
        .order_by("response_due_by", "pk")
    )


def _next_addressee(escalation: Escalation, level: int) -> tuple[Addressee, list[str]]:
    """Whom to address at the next level, and every address to tell there."""
    if level == Level.DISTRICT_MANAGER:
        managers = district_managers(escalation.district_id)
        if managers:
            return Addressee(user=managers[0]), [m.email for m in managers if m.email]
        return Addressee(), []
    suggested = suggested_addressee(child=escalation.child, level=level)
    return suggested, [suggested.address] if suggested.address else []


def _move_up_overdue(escalation_id: int, *, now: datetime, today: date) -> bool:
    """One escalation, in its own savepoint: the notice row first (unique per escalation and
    level), so a second run or worker finds it and tells nobody again."""
    try:
        with transaction.atomic():
            escalation = (
                Escalation.objects.select_for_update(of=("self",))
                .select_related("child", "raised_by", "addressed_to", "district")
                .get(pk=escalation_id)
            )
            if escalation.status != Status.OPEN or escalation.response_due_by >= today:
                return False
            if responded_at_level(escalation):
                return False
            level = escalation_rules.next_level(escalation.level) or escalation.level
            if EscalationNotice.objects.filter(escalation=escalation, level=level).exists():
                return False
            notice = EscalationNotice.objects.create(
                escalation=escalation, level=level, sent_at=now, sent_to=[]
            )
            chair = [escalation.raised_by.email] if escalation.raised_by.email else []
            if level != escalation.level:
                was = escalation.get_level_display().lower()
                addressee, addresses = _next_addressee(escalation, level)
                _raise_level(escalation, to_level=level, addressee=addressee, on=today)
                save_with_history(
                    escalation,
                    by=None,
                    reason=f"No response from the {was} by the deadline: moved up to "
                    f"{escalation.get_level_display().lower()}",
                    clean=False,
                )
                template = "quality/email_escalation_moved.txt"
            else:
                address = addressee_of(escalation).address
                addresses = [address] if address else []
                template = "quality/email_escalation_director.txt"
            to = addresses or chair
            cc = [a for a in chair if a not in to]
            message = _email(escalation, to=to, cc=cc, template=template, overdue=True)
            notice.sent_to = message.recipients()
            notice.save(update_fields=["sent_to"])
            if message.recipients():
                message.send()
    except IntegrityError:
        return False  # another run recorded this level's notice first
    except OSError as error:  # the mail server refused: rolled back, tried again next run
        logger.warning("Escalation %s not moved up: %s", escalation_id, type(error).__name__)
        return False
    return True


def escalations_move_up_overdue(*, now: datetime, today: date) -> int:
    """Move every overdue, unanswered escalation up one level (at the director, tell them
    once), telling the next person and the chair. Safe to run any number of times. Answers
    how many escalations were moved or notified."""
    ids = list(overdue_escalations(today=today).values_list("pk", flat=True))
    return sum(_move_up_overdue(pk, now=now, today=today) for pk in ids)
