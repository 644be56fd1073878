"""The questions of the chair's QA form and of the parent/carer feedback questionnaire, in one
place (quality-assurance.md). The form, its service, the measures (reporting.metrics.quality),
the annual report's tables and the bench and demo generators all read these lists; nobody
writes the field names out again.

Each QA question names the QAForm field that stores its answer, the words a chair reads, what
kind of answer it takes, the conferences it is asked at, and whether the system works the
answer out from the record (the chair then confirms or corrects it rather than typing it).
"""

from dataclasses import dataclass

YES_NO_NA = "yes_no_na"  # yes / no / not applicable (a text field)
BOOLEAN = "boolean"  # yes / no (a true/false field)
CHOICE = "choice"  # one of the field's own choices

INITIAL = "initial"  # initial, pre-birth initial and transfer-in conferences
REVIEW = "review"
ALL = "all"


@dataclass(frozen=True)
class Question:
    field: str
    label: str
    kind: str
    applies_to: str = ALL
    prefilled: bool = False
    hint: str = ""

    def applies(self, conference) -> bool:
        """Whether the question is asked at this conference (by its kind)."""
        if self.applies_to == ALL:
            return True
        return (self.applies_to == INITIAL) == bool(conference.is_initial)


QA_QUESTIONS: tuple[Question, ...] = (
    Question(
        "s47_completed_before_conference",
        "Was the section 47 enquiry and assessment completed before the conference?",
        YES_NO_NA,
        applies_to=INITIAL,
    ),
    Question(
        "assessment_updated",
        "Has the assessment been updated since the child's circumstances changed?",
        YES_NO_NA,
        applies_to=REVIEW,
    ),
    Question(
        "held_within_timescale",
        "Was the initial conference held within 15 working days of the strategy discussion?",
        YES_NO_NA,
        applies_to=INITIAL,
        prefilled=True,
    ),
    Question("report_quality", "How good was the social worker's report?", CHOICE),
    Question(
        "report_analyses_impact",
        "Did the report analyse the impact on the child, not only state facts?",
        BOOLEAN,
    ),
    Question(
        "plan_outcome_focused",
        "Is the plan outcome-focused, with realistic targets and timescales?",
        YES_NO_NA,
    ),
    Question(
        "report_shared_in_time",
        "Was the social worker's report shared with the parents or carers in time?",
        YES_NO_NA,
        prefilled=True,
        hint="24 hours before an initial conference, 48 hours before a review.",
    ),
    Question(
        "core_groups_monthly",
        "Were core group meetings held monthly?",
        YES_NO_NA,
        applies_to=REVIEW,
        prefilled=True,
    ),
    Question(
        "visits_within_timescale",
        "Were child protection visits made within timescale?",
        YES_NO_NA,
        applies_to=REVIEW,
        prefilled=True,
    ),
    Question("parents_attended", "Did parents or carers attend?", BOOLEAN, prefilled=True),
    Question("parent_contribution", "How did the parents or carers contribute?", CHOICE),
    Question(
        "plan_copy_given",
        "Was a copy of the plan given to the person with parental responsibility?",
        YES_NO_NA,
    ),
    Question("good_practice_observed", "Did you see good practice?", BOOLEAN),
    Question(
        "escalation_needed",
        "Are there concerns needing escalation?",
        BOOLEAN,
        hint="If yes, you will raise the escalation next, linked to this form.",
    ),
)
# Free text that goes with a question rather than being one (counted nowhere).
QA_NOTE_FIELDS = ("good_practice_note",)

QA_BY_FIELD = {q.field: q for q in QA_QUESTIONS}
YES_NO_NA_QUESTIONS = [q.field for q in QA_QUESTIONS if q.kind == YES_NO_NA]
BOOLEAN_QUESTIONS = [q.field for q in QA_QUESTIONS if q.kind == BOOLEAN]
CHOICE_QUESTIONS = [q.field for q in QA_QUESTIONS if q.kind == CHOICE]
PREFILLED_QUESTIONS = [q.field for q in QA_QUESTIONS if q.prefilled]


def qa_questions_for(conference) -> list[Question]:
    """The questions asked at this conference, in the form's order."""
    return [q for q in QA_QUESTIONS if q.applies(conference)]


@dataclass(frozen=True)
class FeedbackQuestion:
    field: str
    label: str  # how the report tables name it
    question: str  # how the questionnaire asks it


# Answered yes / partly / no (quality-assurance.md, §7.4); then stress (1 to 5) and comments.
FEEDBACK: tuple[FeedbackQuestion, ...] = (
    FeedbackQuestion(
        "met_chair_before",
        "Met the chair before the conference started",
        "Did you meet the chair before the conference started?",
    ),
    FeedbackQuestion(
        "report_received_in_time",
        "Received the social worker's report in time",
        "Did you get the social worker's report at least 48 hours before the conference "
        "(24 hours for a first conference)?",
    ),
    FeedbackQuestion(
        "prepared_by_chair",
        "Felt prepared for the conference by the chair",
        "Did the chair help you feel prepared for the conference?",
    ),
    FeedbackQuestion(
        "chaired_clearly_and_respectfully",
        "Meeting chaired in a clear and respectful way",
        "Was the meeting chaired in a clear and respectful way?",
    ),
    FeedbackQuestion(
        "could_express_views",
        "Had the opportunity to express their views",
        "Did you have the chance to say what you thought about the worries?",
    ),
    FeedbackQuestion(
        "could_discuss_views",
        "Able to share and discuss their views in the meeting",
        "Were you able to share and talk about your views in the meeting?",
    ),
    FeedbackQuestion(
        "clear_what_must_change",
        "Clear about what needs to change to make the child safe",
        "Are you clear about what needs to change to keep your child safe?",
    ),
    FeedbackQuestion(
        "complaints_process_explained",
        "The appeals process was explained",
        "Was the way to appeal or complain explained, and did you understand it?",
    ),
    FeedbackQuestion(
        "spoke_to_chair_after",
        "Had the opportunity to speak to the chair at the end",
        "Did you have the chance to speak to the chair at the end?",
    ),
)
FEEDBACK_QUESTIONS = [q.field for q in FEEDBACK]
FEEDBACK_LABELS = {q.field: q.label for q in FEEDBACK}
FEEDBACK_STRESS_FIELD = "stress_level"  # 1 (not stressful) to 5 (very stressful)
FEEDBACK_COMMENTS_FIELD = "comments"
