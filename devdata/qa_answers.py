"""The answers of an invented chair's QA form, question by question from the one question list
(quality_assurance.questions.QA_QUESTIONS), for the demo, the bench authority and the
Lancashire sample.

Each generator says how to answer every question, by its field:
- `known`: answers it worked out from its own record (whether the parents attended, whether
  the report was shared in time...), used as they are;
- `shares`: for the rest, the chance of "yes" (a yes / no / not applicable or a yes / no
  question) or the weights of the answers (a choice question, {"good": 3, "adequate": 5}).

A question not asked at this kind of conference gets "not applicable" (a yes / no / not
applicable question) or stays empty, as the QA form service leaves it. The parents' or
carers' contribution is "none" when they did not attend. A question with neither a share nor a
known answer is refused, so a question added to the list makes each generator say how to
invent its answer. Answers are drawn in the list's order, so the same seed gives the same form.
"""

import random
from collections.abc import Mapping

from quality_assurance.models import QAForm, YesNoNA
from quality_assurance.questions import BOOLEAN, CHOICE, QA_BY_FIELD, QA_QUESTIONS, YES_NO_NA

YES, NO, NA = YesNoNA.YES.value, YesNoNA.NO.value, YesNoNA.NOT_APPLICABLE.value
NO_CONTRIBUTION = QAForm.Contribution.NONE.value
# When the parents or carers did not attend, they made no contribution (quality-assurance.md).
ATTENDED, CONTRIBUTION = "parents_attended", "parent_contribution"

Share = float | Mapping[str, float]


class QAAnswersError(ValueError):
    """A generator's shares or known answers do not fit the question list."""


class _Held:
    """What Question.applies reads of a conference."""

    def __init__(self, is_initial: bool) -> None:
        self.is_initial = is_initial


def qa_answers(
    rng: random.Random,
    shares: Mapping[str, Share],
    *,
    initial: bool,
    known: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """Every QA question's answer, by field, for a form on an initial (`initial`) or review
    conference; the values go straight onto a QAForm (or a bulk row of one)."""
    known = dict(known or {})
    _refuse_unknown_fields(shares, known)
    conference = _Held(initial)
    answers: dict[str, object] = {}
    for question in QA_QUESTIONS:
        field = question.field
        if not question.applies(conference):
            answers[field] = _not_asked(question, known.get(field))
        elif field == CONTRIBUTION and answers.get(ATTENDED) is False:
            if known.get(field, NO_CONTRIBUTION) != NO_CONTRIBUTION:
                raise QAAnswersError(
                    f"The parents or carers did not attend, so {field!r} is "
                    f"{NO_CONTRIBUTION!r}, not {known[field]!r}."
                )
            answers[field] = NO_CONTRIBUTION
        elif field in known:
            answers[field] = _checked(question, known[field])
        elif field in shares:
            answers[field] = _drawn(rng, question, shares[field])
        else:
            raise QAAnswersError(
                f"No share and no known answer for the QA question {field!r} "
                f"({question.label!r}): add it to the generator's shares, or pass it as known."
            )
    return answers


def _refuse_unknown_fields(shares: Mapping, known: Mapping) -> None:
    for what, given in (("share", shares), ("known answer", known)):
        unknown = sorted(set(given) - set(QA_BY_FIELD))
        if unknown:
            raise QAAnswersError(
                f"A {what} is given for {', '.join(map(repr, unknown))}, "
                "which is not a question on the QA form."
            )


def _not_asked(question, value):
    """The answer of a question not asked at this conference: "na", or the field left empty."""
    empty = NA if question.kind == YES_NO_NA else _field(question).get_default()
    if value is not None and value != empty:
        raise QAAnswersError(
            f"The QA question {question.field!r} is not asked at this kind of conference, "
            f"so it cannot be answered {value!r}."
        )
    return empty


def _checked(question, value):
    """A known answer, used as it is once it is one the question takes."""
    if question.kind == BOOLEAN:
        allowed, fits = [True, False], isinstance(value, bool)
    else:
        allowed = (
            YesNoNA.values
            if question.kind == YES_NO_NA
            else [choice for choice, _ in _field(question).choices]
        )
        fits = isinstance(value, str) and value in allowed
    if not fits:
        raise QAAnswersError(
            f"The known answer {value!r} to the QA question {question.field!r} is not one of "
            f"{', '.join(map(repr, allowed))}."
        )
    return value


def _drawn(rng: random.Random, question, share: Share):
    if question.kind == CHOICE:
        choices = [choice for choice, _ in _field(question).choices]
        if not isinstance(share, Mapping) or not share:
            raise QAAnswersError(
                f"The share for the QA question {question.field!r} must give weights to its "
                f"answers ({', '.join(map(repr, choices))})."
            )
        wrong = sorted(set(share) - set(choices))
        if wrong or any(weight < 0 for weight in share.values()) or not sum(share.values()):
            raise QAAnswersError(
                f"The weights for the QA question {question.field!r} must be for its answers "
                f"({', '.join(map(repr, choices))}), none negative and not all nought."
            )
        return rng.choices(list(share), list(share.values()))[0]
    if isinstance(share, Mapping | bool) or not 0 <= share <= 1:
        raise QAAnswersError(
            f"The share for the QA question {question.field!r} must be the chance of yes, "
            f"from 0 to 1 (not {share!r})."
        )
    yes = rng.random() < share
    if question.kind == BOOLEAN:
        return yes
    return YES if yes else NO


def _field(question):
    return QAForm._meta.get_field(question.field)
