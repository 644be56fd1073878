"""Sample "lancashire-2011-12": record-level data from which every figure of the Lancashire
Safeguarding IRO annual report 2011/12 comes out of the measures (indicators.md, "Figures the
Lancashire 2011/12 sample must reproduce").

The data is generated, not transcribed: lancashire/targets.py holds the published figures and
the counts chosen to reach them; lancashire/plan.py plans children, plans, conferences and
meetings in memory with one seeded `random.Random`; this module turns the plan into records
and inserts them in bulk (see lancashire/save.py: no history rows for the import). People's
names are invented; the districts are Lancashire's, since the figures are per district.
"""

import random

from django.db import transaction

from iro_service.dates import age_on
from iro_service.derived import store_derived
from plans.services import plans_recompute_contact_deadlines

from .lancashire.build import Records
from .lancashire.casework import looked_after_episodes, strategy_records
from .lancashire.plan import SamplePlan, plan_sample
from .lancashire.quality import attendance, escalations, feedback, paperwork, qa_forms
from .lancashire.save import insert_all
from .lancashire.staff import create_organisation

NAME = "lancashire-2011-12"
DESCRIPTION = "Lancashire Safeguarding IRO service, 1 April 2011 to 31 March 2012"
DEFAULT_SEED = 201112


def load(*, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Create the sample in one transaction; return the number of records of each kind."""
    rng = random.Random(seed)
    sample = plan_sample(rng)
    with transaction.atomic():
        org = create_organisation()
        rows = _rows(rng, sample, org)
        written = insert_all(rows)
        plans_recompute_contact_deadlines()
        store_derived()  # the bulk inserts sent no signals
        return written


def _rows(rng: random.Random, sample: SamplePlan, org: dict) -> dict:
    records = Records(rng, org)
    households = sample.households.households
    for household in households:
        records.add_household(household)
    for group in sorted(sample.groups, key=lambda g: (g.start, g.key)):
        records.add_group(group)
    for household in households:
        if household.no_plan_on:
            household.no_plan_conference = records.add_no_plan_conference(household)
    strategy = strategy_records(rng, sample.meetings, org)
    quality = _quality(rng, records, strategy["enquiries"], org)
    return {
        "households": records.households,
        "children": records.children,
        "conferences first booked and adjourned or rearranged": records.first_bookings,
        "conferences": records.conferences,
        "children considered at conferences": records.considered,
        "child protection plans": records.plans,
        "category changes": records.changes,
        "strategy meetings": strategy["meetings"],
        "children at strategy meetings": strategy["children"],
        "section 47 enquiries": strategy["enquiries"],
        "looked-after episodes": looked_after_episodes(rng, sample.groups),
        **quality,
    }


def _quality(rng: random.Random, records: Records, enquiries: list, org: dict) -> dict:
    held = records.conferences
    for conference in held:
        paperwork(rng, conference)
    by_conference = {}
    for row in records.considered:
        by_conference.setdefault(id(row.conference), []).append(row)
    forms = qa_forms(rng, held, records.considered, _initial_on_time(enquiries))
    parents = {id(form.conference): form.parents_attended for form in forms}
    rows = []
    for conference in held:
        children = by_conference[id(conference)]
        ages = [age_on(row.child.date_of_birth, row.conference.date) for row in children]
        present = parents.get(id(conference), rng.random() < 0.9)
        rows += attendance(rng, conference, ages, present)
    return {
        "attendance rows": rows,
        "QA forms": forms,
        "escalations": escalations(rng, forms, by_conference),
        "feedback questionnaires": feedback(rng, held, org["clerks"]),
    }


def _initial_on_time(enquiries: list) -> dict:
    """Whether each initial conference was held by its enquiry's stored target."""
    on_time = {}
    for enquiry in enquiries:
        conference = enquiry.initial_conference
        if conference is not None:
            on_time[id(conference)] = conference.date <= enquiry.initial_conference_due_by
    return on_time
