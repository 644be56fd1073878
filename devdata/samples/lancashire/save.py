"""Insert the sample's records in bulk, parents before children.

The rows are created with `bulk_create`, so model `save()` methods do not run (the loaders
set `Conference.date` and `StrategyMeeting.date` themselves). Households, children, plans,
category changes and looked-after episodes get one django-simple-history row each ("Imported
with the 2011/12 sample", by no user), so a child's history page starts from the import; the
other records (conferences, meetings, attendance, forms) are inserted without history rows,
which would double the load time for no use: an imported sample has no editing history."""

from simple_history.utils import bulk_create_with_history

from children.models import Child, Household, LookedAfterEpisode
from conferences.models import (
    Attendance,
    Conference,
    ConferenceChild,
    S47Enquiry,
    StrategyMeeting,
    StrategyMeetingChild,
)
from plans.models import CategoryChange, ChildProtectionPlan
from quality_assurance.models import Escalation, FeedbackQuestionnaire, QAForm

BATCH = 2000
WITH_HISTORY = {Household, Child, ChildProtectionPlan, CategoryChange, LookedAfterEpisode}
REASON = "Imported with the 2011/12 sample"


def insert_all(rows: dict) -> dict[str, int]:
    """`rows` maps a label to a list of unsaved instances; returns the counts inserted."""
    order = (
        ("households", Household),
        ("children", Child),
        ("conferences first booked and adjourned or rearranged", Conference),
        ("conferences", Conference),
        ("children considered at conferences", ConferenceChild),
        ("child protection plans", ChildProtectionPlan),
        ("category changes", CategoryChange),
        ("strategy meetings", StrategyMeeting),
        ("children at strategy meetings", StrategyMeetingChild),
        ("section 47 enquiries", S47Enquiry),
        ("looked-after episodes", LookedAfterEpisode),
        ("attendance rows", Attendance),
        ("QA forms", QAForm),
        ("escalations", Escalation),
        ("feedback questionnaires", FeedbackQuestionnaire),
    )
    counts = {}
    for label, model in order:
        if model in WITH_HISTORY:
            bulk_create_with_history(
                rows[label], model, batch_size=BATCH, default_change_reason=REASON
            )
        else:
            model.objects.bulk_create(rows[label], batch_size=BATCH)
        counts[label] = len(rows[label])
    return counts
