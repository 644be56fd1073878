"""The published 2011/12 figures the Lancashire sample reproduces, and the counts chosen to
reach them (indicators.md: "Figures the Lancashire 2011/12 sample must reproduce").

Everything the generator does is derived from these numbers: it decides the counts first
(how many plans start and end each month, in which category, after how long, in which
district) and only then draws dates and names with the seeded random generator.
"""

from datetime import date

YEAR_START = date(2011, 4, 1)
YEAR_END = date(2012, 3, 31)
QA_FROM = date(2012, 1, 1)  # the new QA form was introduced in January 2012 (§7.2)
# The timescales Lancashire held its 2011/12 conferences to, which the published figures were
# counted against: initial conferences within 15 working days (§7.2), the national first
# review within 3 months and later ones within 6 (NI 67, late reviews §6.3.1), and the local
# pre-birth rule. The sample's history follows these, so that it reproduces the report; the
# deadlines it stores follow settings.IRO_TIMESCALES.
TIMESCALES_2011_12 = {
    "INITIAL_CONFERENCE_WORKING_DAYS": 15,
    "FIRST_REVIEW_MONTHS": 3,
    "LATER_REVIEW_MONTHS": 6,
    "PRE_BIRTH_FIRST_REVIEW_WORKING_DAYS": 20,
}

EMO, NEG, PHY, SAB = "EMO", "NEG", "PHY", "SAB"
CATEGORIES = (EMO, NEG, PHY, SAB)

# Plans open at each month end, by category as at that date (§6.2). Index 0 is 31 March 2011:
# the report publishes 673 open then; the records hold 671, the least difference that lets
# NI 65 be 10.8% (78 of 720 started) with 844 ended and 547 open at 31 March 2012.
STOCK = {
    EMO: (186, 185, 184, 187, 203, 216, 200, 198, 196, 200, 205, 207, 199),
    NEG: (352, 338, 326, 333, 325, 338, 324, 310, 294, 289, 297, 274, 245),
    PHY: (90, 84, 73, 69, 68, 86, 83, 83, 85, 74, 76, 70, 63),
    SAB: (43, 41, 40, 39, 37, 39, 36, 34, 36, 38, 37, 32, 40),
}
OPEN_AT_START = 671
OPEN_AT_END = 547

# Plans started each month, April to March (720 in all). Ends follow from the stock.
STARTS = (58, 55, 62, 63, 88, 52, 57, 60, 52, 68, 50, 55)
# Share of new plans by category (the rest of each month's flows follows from the stock).
START_SHARES = {NEG: 0.40, EMO: 0.32, PHY: 0.18, SAB: 0.10}

# Category changes at a review, on plans still open at 31 March 2012: (month 1-12, from, to).
CHANGES = (
    (2, NEG, EMO),
    (3, PHY, EMO),
    (4, NEG, EMO),
    (5, PHY, NEG),
    (6, NEG, EMO),
    (6, SAB, EMO),
    (7, EMO, NEG),
    (8, PHY, EMO),
    (9, NEG, EMO),
    (10, NEG, EMO),
    (10, PHY, NEG),
    (11, EMO, NEG),
    (11, NEG, EMO),
    (12, PHY, EMO),
)

# Plans ending each month by kind of plan and duration band (§6.3.3). "o" plans started
# before 1 April 2011, "n" plans during the year. Bands: A <3m, B <6m, C <1y, D <2y, E <3y, F 3y+.
# Column totals: A 153, B 99, C 326, D 229, E 34, F 3 (844).
ENDS_BY_TYPE = {
    "oA": (25, 12, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "oB": (10, 10, 8, 7, 5, 5, 0, 0, 0, 0, 0, 0),
    "oC": (20, 24, 16, 15, 10, 20, 18, 15, 12, 10, 10, 0),
    "oD": (19, 27, 17, 15, 10, 22, 17, 19, 17, 14, 26, 26),
    "oE": (3, 2, 3, 3, 2, 2, 3, 3, 3, 3, 3, 4),
    "oF": (0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0),
    "nA": (4, 4, 10, 10, 8, 16, 10, 10, 8, 9, 12, 12),
    "nB": (0, 0, 0, 8, 7, 22, 8, 5, 2, 1, 1, 0),
    "nC": (0, 0, 0, 0, 0, 0, 19, 22, 20, 17, 29, 49),
}
BANDS = {"A": 153, "B": 99, "C": 326, "D": 229, "E": 34, "F": 3}
# Months after the start that bound each band: lasted at least `low`, and less than `high`.
BAND_MONTHS = {"A": (0, 3), "B": (3, 6), "C": (6, 12), "D": (12, 24), "E": (24, 36), "F": (36, 44)}

# NI 64 (37 of 844): ages at the end, category at the end, ethnicity (§6.3.2).
NI64_AGES = (2, 2, 3, 3, 3, 3, 4, 4, 4) + (5, 5, 5, 6, 6, 6, 7, 7, 8, 9)
NI64_AGES += (10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 12, 13) + (16, 16, 16, 16, 16)
NI64_CATEGORIES = {EMO: 15, NEG: 20, SAB: 2}
NI64_OTHER_ETHNICITY = "MOTH"  # "one child was categorised as 'other dual heritage'"

# Current plans of two years or more at 31 March 2012 (22 of 547): ages then, categories.
LONG_OPEN_AGES = (3,) + (5, 5, 6, 6, 7, 7, 8, 8, 9, 9) + (10, 10, 11, 11, 12, 12, 13, 14, 14, 15)
LONG_OPEN_AGES += (16,)
LONG_OPEN_CATEGORIES = {EMO: 7, NEG: 15}
# 13 white British, 5 white and Asian, 4 others.
LONG_OPEN_ETHNICITIES = ("WBRI",) * 13 + ("MWAS",) * 5 + ("APKN", "APKN", "MWBC", "WOTH")

# Districts (§6.3.2): plans ended in the year and NI 64 numerators per district.
# Lancaster 1/74 = 1.35%, South Ribble 3/44 = 6.82%, Burnley 7/107 = 6.54%, Pendle 4/61 = 6.56%.
# Ribble Valley: 12 ended, 5 of them under a year (the report's 55.6% is not 5 of 12).
DISTRICTS = (
    ("Lancaster", "lancaster"),
    ("Preston", "preston"),
    ("Chorley", "chorley"),
    ("South Ribble", "south-ribble"),
    ("West Lancashire", "west-lancashire"),
    ("Burnley", "burnley"),
    ("Pendle", "pendle"),
    ("Ribble Valley", "ribble-valley"),
    ("Hyndburn", "hyndburn"),
)
ENDED_BY_DISTRICT = {
    "lancaster": (74, 1),
    "preston": (190, 8),
    "chorley": (110, 5),
    "south-ribble": (44, 3),
    "west-lancashire": (118, 4),
    "burnley": (107, 7),
    "pendle": (61, 4),
    "ribble-valley": (12, 0),
    "hyndburn": (128, 5),
}
RIBBLE_VALLEY_UNDER_A_YEAR = 5
# Weights for every other household's district (roughly the districts' child populations).
DISTRICT_WEIGHTS = {
    "lancaster": 13,
    "preston": 18,
    "chorley": 10,
    "south-ribble": 8,
    "west-lancashire": 11,
    "burnley": 12,
    "pendle": 9,
    "ribble-valley": 3,
    "hyndburn": 11,
}

# NI 65: 78 of the 720 plans started were repeat plans: an earlier plan in the system that
# ended in the year (revolving door) or before it, or an imported NumberOfPreviousCPP.
REPEATS_ENDED_IN_YEAR = 20
REPEATS_ENDED_BEFORE = 30
REPEATS_IMPORTED = 28

# Conferences and strategy meetings held in the year (§6).
INITIAL_CONFERENCES = 854
REVIEW_CONFERENCES = 2067
STRATEGY_MEETINGS = 1078
# Conferences held 1 January to 31 March 2012: 174 QA forms are 22.3% of them.
CONFERENCES_IN_QA_QUARTER = 780
QA_FORMS = 174
QA_REPORT_SHARED_IN_TIME = 50
QA_PARENTS_ATTENDED = 160
QA_CHILDREN_OVER_TEN_PARTICIPATED = 5

# Parent/carer questionnaires by month (April first): (after initial, after review) (§7.3).
FEEDBACK = (
    (9, 6), (9, 5), (5, 12), (5, 14), (8, 3), (3, 8),
    (4, 17), (4, 9), (3, 7), (7, 2), (6, 4), (2, 8),
)  # fmt: skip

# Looked after and on a plan at 31 March 2012 (§6.3.4): placement type -> count, and the
# legal status split (the report's 24 + 17 = 41 cannot be 39; the records say 22 + 17).
LOOKED_AFTER_PLACEMENTS = {
    "foster_relative_in_area": 1,
    "placed_with_parents": 7,
    "foster_other_in_area": 28,
    "foster_other_out_of_area": 3,
}
LOOKED_AFTER_INTERIM_CARE_ORDERS = 22

# Late reviews (§6.3.1): three booked late in error (days late, children) and six rearranged
# conferences (reason of the adjournment, days late).
LATE_BY_ERROR = ((4, 1), (15, 2), (9, 1))
LATE_REARRANGED = (
    ("report_not_available", 12),
    ("professional_unavailable", 8),
    ("chair_unavailable", 6),
    ("other", 21),
    ("not_quorate", 10),
    ("report_not_available", 17),
)

# Caseloads at 31 March 2012 of the IROs who hold them (§5.4): 85 to 119 children.
CASELOADS = (119, 86, 86, 86, 85, 85)

# Under-18 population 2011/12: 547 / 244,630 x 10,000 = 22.36 per 10,000 (§6.1).
UNDER_18_POPULATION = {2011: 245_180, 2012: 244_630}
