"""The default narrative of a new report: the Lancashire 2011/12 sample's own text.

It is invented for the sample, in the spirit of the source report (foreword, purpose, legal
framework, role, team, performance, quality assurance, good practice, priorities, challenges,
conclusion, signatures) but not copied from it. It names no authority and no person, and it
reads true for whatever records it is rendered from: the Lancashire sample, the demo authority
or a real one. The Senior IRO rewrites it.

Two rules keep it true. A figure is stated only through a placeholder. A sentence whose words
depend on the figures (a comparison with the caseload band, the most common category, a count
that may be zero) is a sentence placeholder from statements.py, worded from the figures each
time it is rendered, so that no year reads "far above the band" beside caseloads below it, or
"0 of 0" where nothing happened. The rest is about how the service works, not about the year's
figures.
"""

FOREWORD = """\
This report looks back on [[report.year]] in the safeguarding independent reviewing officer (IRO) service. It sets out what the service did, what the records show about the children it worked for, and what the IROs learned from chairing their conferences. It is written for the Directorate Leadership Team, the Local Safeguarding Children Board, the Children's Trust and the Corporate Parenting Board, and it will be published.

The welfare and protection of the child is the test of every part of the child protection system. IROs hold an independent view of each child's plan, and their quality assurance role is the thread that runs through this report: performance figures tell us whether things happened on time; the IROs' own evidence tells us whether they made a difference.

[[plans_open_at_end.sentence]] [[conferences_held.sentence]]

The report also sets out what the IROs' quality assurance forms, escalations and parents' and carers' questionnaires recorded, and the priorities we have set for [[report.next_year]].
"""

PURPOSE = """\
The IRO Handbook asks the manager of the IRO service for children looked after to report each year to the Corporate Parenting Board. There is no such duty for the safeguarding side of the service, but keeping children safe from harm and neglect is a first priority of the Children and Young People's Plan, and an annual account of the service's work is how we hold ourselves to it.

This report covers the period from [[period.start]] to [[period.end]]. It brings together:

- performance information about child protection plans, conferences and the national indicators, computed directly from the case records;
- qualitative evidence from the IROs' quality assurance forms and from escalations;
- what parents and carers told us in feedback questionnaires;
- the priorities and challenges for [[report.next_year]].

The figures, tables and charts in this report are produced by the case management system from the records as they stood on the date shown on the cover. None of them has been typed by hand.
"""

LEGAL_FRAMEWORK = """\
The authority has had an independent reviewing service for many years. Its IROs chair child protection conferences and a range of strategy meetings: about children who may have suffered significant harm, allegations against people who work with children, fabricated or induced illness, child sexual exploitation, children missing from care and serious self-harm.

The safeguarding IRO role rests on the Children Act 1989, the Children Act 2004 and the statutory guidance Working Together to Safeguard Children. IROs also work to the Local Safeguarding Children Board's procedures, which set the local timescales for conferences, core groups and visits.
"""

ROLE = """\
IROs bring an independent view to each child's plan. They are managed apart from the district social work teams whose work they review, which is what allows them to challenge that work.

## The safeguarding IRO's functions

The key tasks of the safeguarding IRO are:

- to chair initial and review child protection conferences, and to make sure they are well prepared, properly recorded and focused on the child;
- to chair strategy meetings about children looked after, fabricated or induced illness, child sexual exploitation and allegations against people who work with children;
- to promote the participation of children, young people, parents and carers in conferences, so that the voice of the child is heard;
- to scrutinise and challenge practice, and to escalate concerns when a plan is not progressing;
- to quality assure decisions not to hold an initial conference where a child has suffered significant harm;
- to advise colleagues in children's social care and partner agencies on safeguarding procedures.

## Continuity for the child

Children and families tell us that changes of worker are hard for them. Where a child is both on a child protection plan and looked after, we aim to keep one IRO for the child so that their plan is reviewed by someone who knows their history.
"""

TEAM = """\
## Team structure

The team is led by the Senior IRO (Safeguarding) and sits in the directorate's Safeguarding Unit, alongside the IROs for children looked after, the Local Authority Designated Officer and schools safeguarding. The unit is independent of the line management of the district social work teams.

[[staffing.sentence]] Equal opportunities policies are followed in every appointment and there is always a diverse interview panel.

## Experience

IROs are experienced social workers. [[staffing.experience]] The table below shows when each member of the team qualified and began as an IRO; staff are not named in a published report.

[[table.staffing]]

## Recruitment and retention

[[staffing.cover]] While a post is vacant, agency IROs and colleagues elsewhere in the unit chair conferences so that no child's review is left unheld.

## Caseloads

[[monthly_stock.sentence]]

[[caseloads.band_comparison]] The Handbook's guidance was written for IROs of children looked after, but it is the best benchmark we have. Conferences consider every child in a household, so an IRO chairs fewer meetings than they have children, but the meetings are often large and complex.

[[table.caseloads]]
[[chart.caseloads]]

The more children an IRO has, the less time there is for preparation, for signing off minutes and for completing a quality assurance form after every conference.
"""

PERFORMANCE = """\
[[conferences_held.sentence]]

[[table.activity]]
[[table.strategy_meetings]]

## Child protection plans

[[plans_open_at_end.change_sentence]] [[plans_started.sentence]]

## Plans by category of abuse

[[plans_open_at_end.by_category.sentence]] The table shows the number of plans open at the end of each month.

[[table.monthly_stock]]
[[chart.monthly_stock]]

## The national indicators

Performance against the national child protection indicators is summarised below, beside last year's published figures, this year's targets and the benchmarks for England and our statistical neighbours.

[[table.indicators]]

## NI 67: reviews within timescales

[[ni67.sentence]] [[late_reviews.sentence]]

[[table.late_reviews]]

Where a conference has to be rearranged, it is reconvened as soon as possible, and the plan is kept under review through core groups and visits in the meantime. To leave room for a conference that must be adjourned, reviews after the first are now booked at five-month intervals rather than six, and adjournments are monitored each month.

[[table.adjournments]]

## NI 64: plans lasting two years or more

[[ni64.sentence]] [[benchmarks.ni64.sentence]]

[[table.ni64_trend]]
[[chart.ni64_trend]]

[[districts.ni64.sentence]] In small districts a single long plan moves the percentage a great deal, so differences between districts should be read with care; the full breakdown by district follows later in this section.

[[ni64_cohort.sentence]]

[[table.ni64_ages]]
[[table.ni64_categories]]
[[table.ni64_ethnicity]]

NI 64 only counts plans that have ended, so plans still open give a fuller picture. [[current_plans_over_two_years.sentence]]

[[table.long_plans_ages]]
[[table.long_plans_categories]]
[[table.long_plans_ethnicity]]

District managers and IROs now review every plan that has lasted more than twelve months. Where progress is not being made, cases move into proceedings; where it has been, plans end and families continue to be supported as children in need.

## Duration of plans ending

[[plans_ending_by_duration.sentence]]

[[table.durations]]
[[chart.durations]]

## NI 65: repeat plans

[[ni65.sentence]] [[benchmarks.ni65.sentence]]

IROs take care not to end plans too early out of optimism after a short improvement. Where neglect persists despite support, they recommend proceedings rather than a further plan. The indicator would be more useful if it also showed:

- how long ago the previous plan ended;
- how long the child spent on the previous plan;
- whether the reasons for the two plans were the same;
- whether the earlier plan was in another authority.

## Indicators by district

[[table.districts]]

## Children on a plan who are also looked after

[[looked_after_and_on_plan.sentence]]

[[table.looked_after_placements]]
[[table.looked_after_legal_status]]

In response to these figures:

- district managers and IROs receive a monthly list of plans over twelve months, repeat plans and children on a plan who are also looked after, and review each case;
- IROs review every child who has become the subject of a plan for a second time within a year.
"""

QUALITY_ASSURANCE = """\
Performance indicators help us compare ourselves with others, but they cannot tell good practice from bad on their own. This section sets out what the IROs found about the quality of the help children and families received.

## Evidence of IRO challenge

When a plan is not progressing, the IRO raises the concern with the social worker and, if it is not resolved within the timescale, escalates it through the team manager and district manager, and if necessary to the head of service and director. [[escalations.sentence]] [[escalations.themes_sentence]]

[[table.escalations_level]]
[[table.escalations_theme]]

## Themes from the IROs' quality assurance forms

After each conference the IRO completes a quality assurance form. It records compliance with statutory requirements, identifies practice that needs escalating and recognises good practice. [[qa_completion.sentence]]

[[table.qa_themes]]
[[table.qa_quality]]

[[qa_themes.lead_in]]

- [[qa_themes.s47_completed_before_conference.sentence]];
- [[qa_themes.assessment_updated.sentence]];
- [[qa_themes.report_analyses_impact.sentence]];
- [[qa_themes.plan_outcome_focused.sentence]];
- [[qa_themes.report_shared_in_time.sentence]];
- [[qa_themes.parents_attended.sentence]], and [[qa_themes.parent_contribution.sentence]];
- [[qa_themes.children_over_ten_participated.sentence]].

An assessment that is not updated when a child's circumstances change can let a plan drift, particularly where neglect is the main concern. A report that describes events without analysing their impact on the child, or a plan without realistic, outcome-focused targets and timescales, makes it harder for a conference to judge whether the child is safer.

## Feedback from parents and carers

Parents and carers are asked to complete a questionnaire after every conference. [[feedback_returns.sentence]]

[[table.feedback_months]]
[[chart.feedback_months]]

[[table.feedback_answers]]

[[feedback_answers.sentence]] The parents who reply may be those who were happier with their conference, so we read these answers with care.

## Participation of children and young people

Older children are invited to their conference. Not every child wants to come, and attending is not always right for them, but every child should be helped to give their views: through their social worker, an advocate, a letter or a picture. New leaflets explain conferences to children of different ages, and the team will run participation workshops for district staff in [[report.next_year]].

## Audits

The Senior IRO audits plans that have lasted more than two years and plans that started again within a year of ending, looking for plans without clear targets, agreed assessments that have not been done and information not provided by partner agencies. A programme of audits for [[report.next_year]] has been agreed with the Directorate Safeguarding Manager.

[[case_audits.sentence]]

[[table.case_audits]]
"""

GOOD_PRACTICE = """\
Beyond what the quality assurance forms and parents' feedback record, several developments this year should strengthen safeguarding practice.

## Cluster meetings with district managers

IROs meet district and team managers quarterly in three clusters to share themes from quality assurance forms, escalations and feedback, learning from serious case reviews and performance information. These meetings have improved communication and mutual understanding of roles.

## Revised conference documents

A single multi-agency report for review conferences, a standard agency report and a clearer decision sheet were piloted in one district. Parents found the reports easier to read, and a young person said she preferred one report to many. IROs found review conferences shorter and the analysis of risk clearer.

## Minute taking and venues

A dedicated minute-taking service records conferences and strategy meetings, and family-friendly venues such as children's centres are used wherever possible. [[decision_sheets_on_time.sentence]]

## Information leaflets

Leaflets for parents and carers and for children of different ages explaining the child protection process have been revised and launched.
"""

PRIORITIES = """\
## A new IRO structure

Bringing the safeguarding and looked-after IRO teams together will give children continuity of IRO and make caseloads more even. It will be supported by a training plan and shadowing.

## Neglect

[[plans_open_at_end.neglect_sentence]] A multi-agency neglect strategy, informed by the directorate's audit of neglect cases, will be developed with the IRO service.

## Participation

We will deliver participation workshops to district staff, and use the quality assurance form to check that every child's views reach their conference.

## Sharing reports before conferences

Reports must be shared with parents at least 24 hours before an initial conference and 48 hours before a review. The QA forms' answers in the quality assurance section show how often that happened this year, and it will be monitored at every conference.

## Conference venues and administration

We will continue to find family-friendly venues, and centralise the booking of initial conferences and strategy meetings so that IROs and social workers spend less time arranging meetings.

## Regional work

With neighbouring authorities in the regional best practice network, we will look at caseloads, supervision, quality assurance models and regional standards for IRO services.
"""

CHALLENGES = """\
## IRO capacity

[[caseloads.band_comparison]] IROs also chair strategy meetings. Capacity is kept under review through:

- filling vacant posts promptly, advertising externally where needed;
- seeking secondments from elsewhere in the directorate;
- smarter ways of working with new IT and business processes;
- an internal audit of the IRO service's caseloads, compliance and efficiency, whose findings will shape the service.

Recruiting and keeping experienced IROs is vital if IROs are to have time to prepare properly, challenge practice and share good practice.

## Quality assurance

The IRO's quality assurance role must focus more on the quality and effect of the help given to children and families, and less on timescales alone. The Problem Resolution Protocol will be extended to child protection to formalise escalation where a plan is not implemented in time, and training in outcome-focused plans is being commissioned.
"""

CONCLUSION = """\
The experience, commitment and professionalism of the safeguarding IRO team is acknowledged. Conferences are chaired effectively by experienced social workers, plans are reviewed, and IROs challenge practice when children's plans drift.

There is no room for complacency. Caseloads, the quality of plans, the sharing of reports with parents and the participation of children are the areas we will watch most closely in [[report.next_year]], and we will report on them next year.
"""

SIGNATURES = """\
[[staffing.signature]]
"""

SECTIONS = {
    "foreword": FOREWORD,
    "purpose": PURPOSE,
    "legal_framework": LEGAL_FRAMEWORK,
    "role": ROLE,
    "team": TEAM,
    "performance": PERFORMANCE,
    "quality_assurance": QUALITY_ASSURANCE,
    "good_practice": GOOD_PRACTICE,
    "priorities": PRIORITIES,
    "challenges": CHALLENGES,
    "conclusion": CONCLUSION,
    "signatures": SIGNATURES,
}
