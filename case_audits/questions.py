"""The checklist every audited case is answered against (§7.7.1), in one place. The case page's
form, the service's validation, the progress counts and the audit's summary read this list;
nobody writes the keys out again. Answers are stored by key in AuditCase.answers, so a question
added here is asked of new and unfinished cases without a migration."""

from dataclasses import dataclass

YES, PARTLY, NO = "yes", "partly", "no"
ANSWER_CHOICES = [(YES, "Yes"), (PARTLY, "Partly"), (NO, "No")]
ANSWER_LABELS = dict(ANSWER_CHOICES)


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    hint: str = ""


# The weaknesses the Senior IRO's 2011 audits found (§7.7.1), asked of every case.
CHECKLIST: tuple[Question, ...] = (
    Question(
        "targets_clear",
        "Were the plan's targets and timescales clear?",
        "Could a review conference tell whether each target was met, and by when?",
    ),
    Question(
        "assessments_done",
        "Were the assessments and interventions agreed in the plan done?",
    ),
    Question(
        "agencies_informed",
        "Did every agency provide the information asked of it?",
        "For example, a risk assessment from Probation about a partner's offending.",
    ),
    Question(
        "optimism_avoided",
        "Was the 'rule of optimism' avoided?",
        "Was the plan ended only once changes had been sustained, not after a short improvement?",
    ),
)
CHECKLIST_KEYS = tuple(question.key for question in CHECKLIST)
BY_KEY = {question.key: question for question in CHECKLIST}
