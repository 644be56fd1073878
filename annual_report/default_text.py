"""The default narrative of a new report: the Lancashire 2011/12 sample's own text.

It is invented for the sample, in the spirit of the source report (foreword, purpose, legal
framework, role, team, performance, quality assurance, good practice, priorities, challenges,
conclusion, signatures) but not copied from it. It names no authority and no person, and
every figure in it is a placeholder, so it reads true for whatever records it is rendered
from: the Lancashire sample, the demo authority or a real one. The Senior IRO rewrites it.
"""

FOREWORD = """\
This report looks back on [[report.year]] in the safeguarding independent reviewing officer (IRO) service. It sets out what the service did, what the records show about the children it worked for, and what the IROs learned from chairing their conferences. It is written for the Directorate Leadership Team, the Local Safeguarding Children Board, the Children's Trust and the Corporate Parenting Board, and it will be published.

The welfare and protection of the child is the test of every part of the child protection system. IROs hold an independent view of each child's plan, and their quality assurance role is the thread that runs through this report: performance figures tell us whether things happened on time; the IROs' own evidence tells us whether they made a difference.

At [[period.end]] [[plans_open_at_end.total]] children were the subject of a child protection plan, [[rate_per_10000.rate]] for every 10,000 children in the authority. During the year the service chaired [[conferences_held.initial]] initial and [[conferences_held.review]] review child protection conferences and [[strategy_meetings_held.total]] strategy meetings, while IRO caseloads stayed well above the level the IRO Handbook recommends.

The report also records what parents, carers and children told us, the challenges IROs raised with district teams, and the priorities we have set for [[report.next_year]].
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

At [[period.end]] the team had [[staffing.iros]] members in post, [[staffing.fte_in_post]] full-time equivalent posts, with [[staffing.vacant_fte]] FTE vacant. Equal opportunities policies are followed in every appointment and there is always a diverse interview panel; the team is not yet as diverse as the families it serves, and we continue to work on this.

## Experience

Every IRO has at least five years' experience since qualifying as a social worker, and most have many more: the longest-serving qualified in [[staffing.earliest_qualified]]. All have worked in statutory child care and several have managed teams. The table below shows when each member of the team qualified and began as an IRO; staff are not named in a published report.

[[table.staffing]]

## Recruitment and retention

Recruitment has been difficult. Vacancies arose from retirement, from moves to posts on higher grades and from growth in demand. While posts were vacant, agency IROs ([[staffing.agency_fte]] FTE at the year end) and colleagues elsewhere in the unit chaired conferences so that no child's review was left unheld. Temporary posts ([[staffing.temporary_fte]] FTE) were created to add capacity while permanent recruitment continues.

IROs accrued significant time off in lieu to keep conferences on time. That is not sustainable, and the business case for further permanent posts is described under the challenges for the coming year.

## Caseloads

The number of children on a child protection plan ranged during the year from [[monthly_stock.highest]] at its highest ([[monthly_stock.highest_month]]) to [[monthly_stock.lowest]] at its lowest ([[monthly_stock.lowest_month]]).

At the year end each IRO's caseload ranged from [[caseloads.lowest]] to [[caseloads.highest]] children on plans, against the IRO Handbook's recommended [[caseloads.band_low]] to [[caseloads.band_high]] (guidance written for IROs of children looked after, but the best benchmark we have). [[caseloads.iros_above_band]] IROs were above that band. Conferences consider every child in a household, so the number of meetings is lower than the number of children, but the meetings are often large and complex.

[[table.caseloads]]
[[chart.caseloads]]

High caseloads leave less time for preparation, for signing off minutes and for completing a quality assurance form after every conference. IROs have prioritised the cases that needed escalation.
"""

PERFORMANCE = """\
During [[report.year]] the service chaired [[conferences_held.initial]] initial child protection conferences, [[conferences_held.review]] review conferences and [[strategy_meetings_held.total]] strategy meetings: [[conferences_held.total]] conferences in all.

[[table.activity]]
[[table.strategy_meetings]]

## Child protection plans

At [[period.end]] there were [[plans_open_at_end.total]] children on a child protection plan, [[plans_open_at_end.change_description]] on the [[plans_open_at_start.total]] a year earlier. That is [[rate_per_10000.rate]] children per 10,000 of the under-18 population. During the year [[plans_started]] plans started and [[plans_ended]] ended.

## Plans by category of abuse

Neglect remains the most common category: at the year end [[plans_open_at_end.by_category.neglect]] plans were for neglect, [[plans_open_at_end.by_category.emotional]] for emotional abuse, [[plans_open_at_end.by_category.physical]] for physical abuse and [[plans_open_at_end.by_category.sexual]] for sexual abuse. The table shows the number of plans open at the end of each month.

[[table.monthly_stock]]
[[chart.monthly_stock]]

## The national indicators

Performance against the national child protection indicators is summarised below, beside last year's published figures, this year's targets and the benchmarks for England and our statistical neighbours.

[[table.indicators]]

## NI 67: reviews within timescales

Under the national definition, [[ni67.percent]] of the [[ni67.denominator]] children who had been on a plan for three months or more at the year end had every review on time. [[late_reviews.children]] children had a review conference held after its national due date, at [[late_reviews.conferences]] conferences; the longest delay was [[late_reviews.most_days_late]] days. Each is listed below with its reason.

[[table.late_reviews]]

Where a conference had to be rearranged, it was reconvened as soon as possible, and the plan was kept under review through core groups and visits in the meantime. To leave room for a conference that must be adjourned, reviews after the first are now booked at five-month intervals rather than six, and adjournments are monitored each month.

[[table.adjournments]]

## NI 64: plans lasting two years or more

Of the [[ni64.denominator]] plans that ended in the year, [[ni64.numerator]] ([[ni64.percent]]) had lasted two years or more. Last year's published figure was [[benchmarks.ni64.last_year.local_value_published]], and the England average was [[benchmarks.ni64.last_year.england]].

[[table.ni64_trend]]
[[chart.ni64_trend]]

The rate varied between districts, from [[districts.ni64.lowest.percent]] in [[districts.ni64.lowest.district]] to [[districts.ni64.highest.percent]] in [[districts.ni64.highest.district]]. In small districts a single long plan moves the percentage a great deal, so these differences should be read with care; the full breakdown by district follows later in this section.

The children whose plans ended after two years or more were spread across the age bands, with an average age of [[ni64_cohort.average_age]] years. [[ni64_cohort.by_category.neglect]] of the [[ni64_cohort.total]] ([[ni64_cohort.by_category.neglect.percent]]) were on plans for neglect.

[[table.ni64_ages]]
[[table.ni64_categories]]
[[table.ni64_ethnicity]]

NI 64 only counts plans that have ended. Looking at plans still open gives a fuller picture: at [[period.end]], [[current_plans_over_two_years.total]] children ([[current_plans_over_two_years.share_of_open.percent]] of all children on plans) had been on their plan for two years or more.

[[table.long_plans_ages]]
[[table.long_plans_categories]]
[[table.long_plans_ethnicity]]

District managers and IROs now review every plan that has lasted more than twelve months. Where progress is not being made, cases move into proceedings; where it has been, plans end and families continue to be supported as children in need.

## Duration of plans ending

[[plans_ending_by_duration.under_one_year.percent]] of the plans that ended ([[plans_ending_by_duration.under_one_year]] of [[plans_ending_by_duration.total]]) had lasted less than a year, and [[plans_ending_by_duration.d.percent]] between one and two years.

[[table.durations]]
[[chart.durations]]

## NI 65: repeat plans

[[ni65.percent]] of the children who became the subject of a plan during the year ([[ni65.numerator]] of [[ni65.denominator]]) had been on a plan before, however long ago, against [[benchmarks.ni65.last_year.local_value_published]] last year and a target of [[benchmarks.ni65.this_year.local_target]]. The England average last year was [[benchmarks.ni65.last_year.england]].

IROs have been careful not to end plans too early out of optimism after a short improvement. Where neglect has persisted despite support, they have recommended proceedings rather than a further plan. The indicator would be more useful if it also showed:

- how long ago the previous plan ended;
- how long the child spent on the previous plan;
- whether the reasons for the two plans were the same;
- whether the earlier plan was in another authority.

## Indicators by district

[[table.districts]]

## Children on a plan who are also looked after

At [[period.end]], [[looked_after_and_on_plan.total]] children on a child protection plan were also looked after by the authority. Their placements and legal status are shown below.

[[table.looked_after_placements]]
[[table.looked_after_legal_status]]

In response to these figures:

- district managers and IROs receive a monthly list of plans over twelve months, repeat plans and children on a plan who are also looked after, and review each case;
- IROs review every child who has become the subject of a plan for a second time within a year.
"""

QUALITY_ASSURANCE = """\
Performance indicators help us compare ourselves with others, but they cannot tell good practice from bad on their own. This section sets out what the IROs found about the quality of the help children and families received.

## Evidence of IRO challenge

When a plan is not progressing, the IRO raises the concern with the social worker and, if it is not resolved within the timescale, escalates it through the team manager and district manager, and if necessary to the head of service and director. During the year IROs raised [[escalations.total]] escalations; [[escalations.by_status.resolved]] were resolved and [[escalations.by_status.open]] were still open at the year end.

[[table.escalations_level]]
[[table.escalations_theme]]

Escalations this year included challenges to an incomplete pre-birth assessment, to a proposal to end a plan for children with complex health needs before the assessment was finished, and to delay in bringing a family with repeated domestic abuse incidents to conference. In each case the IRO's challenge changed the plan for the child.

## Themes from the IROs' quality assurance forms

After each conference the IRO completes a quality assurance form. It records compliance with statutory requirements, identifies practice that needs escalating and recognises good practice. [[qa_completion.numerator]] forms were completed in the year, [[qa_completion.percent]] of conferences held; with caseloads as high as they are, IROs have prioritised the cases that needed escalation.

[[table.qa_themes]]
[[table.qa_quality]]

The main themes were:

- assessments are completed before initial conferences, but are not always updated when a child's circumstances change, which can lead to drift, particularly where neglect is the main concern;
- the quality of social workers' reports has improved, but too many describe events without analysing their impact on the child;
- too many plans are not outcome-focused, with realistic targets and timescales;
- reports were shared with parents in time in [[qa_themes.report_shared_in_time.yes]] of [[qa_themes.forms]] cases, so in [[qa_themes.report_shared_in_time.not_yes.percent]] they were not;
- parents attended [[qa_themes.parents_attended.yes]] of the conferences ([[qa_themes.parents_attended.yes.percent]]), but too often as passive listeners rather than active participants;
- only [[qa_themes.children_over_ten_participated]] children aged over ten took part in their conference in any way.

## Feedback from parents and carers

Parents and carers are asked to complete a questionnaire after every conference. [[feedback_returns.total]] were returned in the year ([[feedback_returns.initial]] after initial and [[feedback_returns.review]] after review conferences), a return of [[feedback_returns.return_rate.percent]] on the conferences held. The numbers by month show no particular pattern.

[[table.feedback_months]]
[[chart.feedback_months]]

[[table.feedback_answers]]

Most parents and carers said they met the chair before the conference, felt the meeting was chaired clearly and respectfully, and understood what needed to change to keep their child safe. Some said the conference was stressful, and some were unclear about the complaints process. The return rate is low, and the parents who reply may be those who were happier with their conference, so we read these answers with care.

## Participation of children and young people

Only a minority of older children attend their conference. Not every child wants to, and attending is not always right for them, but every child should be helped to give their views: through their social worker, an advocate, a letter or a picture. New leaflets explain conferences to children of different ages, and the team will run participation workshops for district staff in [[report.next_year]].

## Audits

The Senior IRO audited plans that lasted more than two years and plans that started again within a year of ending. The audits found plans without clear targets, agreed assessments that had not been done and information not provided by partner agencies. A programme of audits for [[report.next_year]] has been agreed with the Directorate Safeguarding Manager.
"""

GOOD_PRACTICE = """\
Beyond the good practice recorded on quality assurance forms and in parents' feedback, several developments this year should strengthen safeguarding practice.

## Cluster meetings with district managers

IROs meet district and team managers quarterly in three clusters to share themes from quality assurance forms, escalations and feedback, learning from serious case reviews and performance information. These meetings have improved communication and mutual understanding of roles.

## Revised conference documents

A single multi-agency report for review conferences, a standard agency report and a clearer decision sheet were piloted in one district. Parents found the reports easier to read, and a young person said she preferred one report to many. IROs found review conferences shorter and the analysis of risk clearer.

## Minute taking and venues

A dedicated minute-taking service now records most conferences and strategy meetings, and family-friendly venues such as children's centres are used wherever possible. [[decision_sheets_on_time.percent]] of decision sheets were distributed within one working day of the conference.

## Information leaflets

Leaflets for parents and carers and for children of different ages explaining the child protection process have been revised and launched.
"""

PRIORITIES = """\
## A new IRO structure

Bringing the safeguarding and looked-after IRO teams together will give children continuity of IRO and make caseloads more even. It will be supported by a training plan and shadowing, and depends on filling the remaining vacancies.

## Neglect

Neglect is the category of [[plans_open_at_end.by_category.neglect]] of the [[plans_open_at_end.total]] plans open at the year end, and of [[ni64_cohort.by_category.neglect]] of the [[ni64_cohort.total]] plans that ended after two years or more. A multi-agency neglect strategy, informed by the directorate's audit of neglect cases, will be developed with the IRO service.

## Participation

We will deliver participation workshops to district staff, and use the quality assurance form to check that every child's views reach their conference.

## Sharing reports before conferences

Reports must be shared with parents at least 24 hours before an initial conference and 48 hours before a review. This remains a significant failing and will be monitored at every conference.

## Conference venues and administration

We will continue to find family-friendly venues, and centralise the booking of initial conferences and strategy meetings so that IROs and social workers spend less time arranging meetings.

## Regional work

With neighbouring authorities in the regional best practice network, we will look at caseloads, supervision, quality assurance models and regional standards for IRO services.
"""

CHALLENGES = """\
## IRO capacity

Caseloads of [[caseloads.lowest]] to [[caseloads.highest]] children per IRO are far above the [[caseloads.band_low]] to [[caseloads.band_high]] the IRO Handbook suggests, and each IRO also chairs strategy meetings. Capacity is being addressed by:

- recruiting to the vacant posts ([[staffing.vacant_fte]] FTE at the year end) and advertising externally;
- seeking secondments from elsewhere in the directorate;
- smarter ways of working with new IT and business processes;
- an internal audit of the IRO service's caseloads, compliance and efficiency, whose findings will shape the service.

Recruiting and keeping experienced IROs is vital if caseloads are to fall and IROs are to have time to prepare properly, challenge practice and share good practice.

## Quality assurance

The IRO's quality assurance role must focus more on the quality and effect of the help given to children and families, and less on timescales alone. The Problem Resolution Protocol will be extended to child protection to formalise escalation where a plan is not implemented in time, and training in outcome-focused plans is being commissioned.
"""

CONCLUSION = """\
The experience, commitment and professionalism of the safeguarding IRO team is acknowledged. Conferences are chaired effectively by experienced social workers, plans are reviewed, and IROs challenge practice when children's plans drift.

There is no room for complacency. High caseloads, the quality of plans, the sharing of reports with parents and the participation of children are the areas we must improve in [[report.next_year]], and we will report on them next year.
"""

SIGNATURES = """\
[[staffing.senior_iro]], Senior IRO (Safeguarding)
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
