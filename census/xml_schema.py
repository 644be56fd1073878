"""The DfE Children in Need (CIN) census XML: element names, code sets and collection years.

Sources: the DfE "Children in need census" business and technical specifications (2022 to 2023
onwards) and the Department's published validation rules as implemented by the
`csc-validator-be-cin` package (0.1.13, rulesets cin2022_23 to cin2026_27), which reads:

    Message
      Header
        CollectionDetails: Collection, Year, ReferenceDate
        Source: SourceLevel, LEA, SoftwareCode, Release, SerialNo, DateTime
      Children
        Child (1..n)
          ChildIdentifiers: LAchildID, UPN, FormerUPN, UPNunknown, PersonBirthDate,
                            ExpectedPersonBirthDate, GenderCurrent (to 2023/24) or Sex
                            (from 2024/25), PersonDeathDate
          ChildCharacteristics: Ethnicity, Disabilities (Disability 1..n)
          CINdetails (1..n): CINreferralDate, ReferralSource, PrimaryNeedCode, CINclosureDate,
                             ReasonForClosure, DateOfInitialCPC, ReferralNFA,
            Assessments (0..n), CINPlanDates (0..n),
            Section47 (0..n): S47ActualStartDate, InitialCPCtarget, DateOfInitialCPC,
                              ICPCnotRequired
            ChildProtectionPlans (0..n): CPPstartDate, CPPendDate, InitialCategoryOfAbuse,
                              LatestCategoryOfAbuse, NumberOfPreviousCPP,
                              Reviews (0..1): CPPreviewDate (1..n)

Dates are YYYY-MM-DD. Booleans are written 1/0, the form every one of the validator's rules
recognises (some only test for "1"/"0", others also for "true"/"false"); both are read.

The schema below drives the importer's validation: every element of a child is checked against
it, and an element it does not know is an error.
"""

from dataclasses import dataclass, field

from children.codes import Disability, Ethnicity, Gender
from conferences.models import Category

# Collection years are named by the year the census ends in: 2024 is 1 April 2023 to
# 31 March 2024, the validator's ruleset "cin2023_24".
FIRST_RULESET_YEAR = 2023
LAST_RULESET_YEAR = 2027
# From the 2024 to 2025 census, Sex (M, F, U) replaced GenderCurrent (0, 1, 2, 9).
FIRST_SEX_YEAR = 2025


def ruleset_year(year: int) -> int:
    """The validator ruleset that checks a census year: its own, or the nearest it has."""
    return min(max(year, FIRST_RULESET_YEAR), LAST_RULESET_YEAR)


def ruleset_name(year: int) -> str:
    """For example 2024 -> "cin2023_24"; 2012 -> "cin2022_23" (the oldest it has)."""
    end = ruleset_year(year)
    return f"cin{end - 1}_{end % 100:02d}"


def uses_sex(year: int) -> bool:
    """Whether the census of `year` records Sex (M/F/U) rather than GenderCurrent."""
    return ruleset_year(year) >= FIRST_SEX_YEAR


CATEGORIES = frozenset(Category.values)
ETHNICITIES = frozenset(Ethnicity.values)
DISABILITIES = frozenset(Disability.values)
GENDERS = frozenset(Gender.values)  # GenderCurrent: 0 not known, 1 male, 2 female, 9 not specified
SEXES = frozenset({"M", "F", "U"})
SEX_TO_GENDER = {"M": Gender.MALE, "F": Gender.FEMALE, "U": Gender.NOT_KNOWN}
GENDER_TO_SEX = {Gender.MALE: "M", Gender.FEMALE: "F"}  # anything else, and the unborn: U
REFERRAL_SOURCES = frozenset("1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10".split())
PRIMARY_NEEDS = frozenset(f"N{n}" for n in range(10))
CLOSURE_REASONS = frozenset(f"RC{n}" for n in range(1, 10))
UPN_UNKNOWN_REASONS = frozenset(f"UN{n}" for n in range(1, 11))
TRUE_VALUES = frozenset({"1", "true"})
FALSE_VALUES = frozenset({"0", "false"})

# What the export writes where the system records nothing to say (see export.py).
REFERRAL_SOURCE_UNKNOWN = "10"  # "Unknown"
PRIMARY_NEED_ABUSE_OR_NEGLECT = "N1"  # every episode this service holds is a child protection one
CLOSURE_DIED = "RC2"
CLOSURE_TRANSFERRED = "RC5"  # transferred to another local authority
CLOSURE_OTHER = "RC7"  # services ceased for any other reason, including no longer in need


# -- The schema the importer validates against -------------------------------------------------

DATE, TEXT, CODE, INT, BOOL, ANY = "date", "text", "code", "int", "bool", "any"


@dataclass(frozen=True)
class Leaf:
    """An element holding a value: a date, a code from a set, a whole number, 1/0..."""

    kind: str
    codes: frozenset = frozenset()
    max_length: int = 0
    many: bool = False  # may repeat (Disability, CPPreviewDate, AssessmentFactors)


@dataclass(frozen=True)
class Group:
    """An element holding other elements. `many`: the group itself may repeat in its parent."""

    children: dict = field(default_factory=dict)
    many: bool = False
    lenient: bool = False  # contents are not read (a module this service does not hold)


IDENTIFIERS = Group(
    {
        "LAchildID": Leaf(TEXT, max_length=20),
        "UPN": Leaf(TEXT, max_length=13),
        "FormerUPN": Leaf(TEXT, max_length=13),
        "UPNunknown": Leaf(CODE, UPN_UNKNOWN_REASONS),
        "PersonBirthDate": Leaf(DATE),
        "ExpectedPersonBirthDate": Leaf(DATE),
        "GenderCurrent": Leaf(CODE, GENDERS),
        "Sex": Leaf(CODE, SEXES),
        "PersonDeathDate": Leaf(DATE),
    }
)
CHARACTERISTICS = Group(
    {
        "Ethnicity": Leaf(CODE, ETHNICITIES),
        "Disabilities": Group({"Disability": Leaf(CODE, DISABILITIES, many=True)}),
    }
)
ASSESSMENTS = Group(
    {
        "AssessmentActualStartDate": Leaf(DATE),
        "AssessmentInternalReviewDate": Leaf(DATE),
        "AssessmentAuthorisationDate": Leaf(DATE),
        "FactorsIdentifiedAtAssessment": Group(
            {"AssessmentFactors": Leaf(TEXT, max_length=3, many=True)}
        ),
    },
    many=True,
)
CIN_PLAN_DATES = Group(
    {"CINPlanStartDate": Leaf(DATE), "CINPlanEndDate": Leaf(DATE)},
    many=True,
)
SECTION_47 = Group(
    {
        "S47ActualStartDate": Leaf(DATE),
        "InitialCPCtarget": Leaf(DATE),
        "DateOfInitialCPC": Leaf(DATE),
        "ICPCnotRequired": Leaf(BOOL),
    },
    many=True,
)
PLANS = Group(
    {
        "CPPstartDate": Leaf(DATE),
        "CPPendDate": Leaf(DATE),
        "InitialCategoryOfAbuse": Leaf(CODE, CATEGORIES),
        "LatestCategoryOfAbuse": Leaf(CODE, CATEGORIES),
        "NumberOfPreviousCPP": Leaf(INT),
        # One Reviews group holding every date, as DfE specifies; several groups are read too.
        "Reviews": Group({"CPPreviewDate": Leaf(DATE, many=True)}, many=True),
    },
    many=True,
)
CIN_DETAILS = Group(
    {
        "CINreferralDate": Leaf(DATE),
        "ReferralSource": Leaf(CODE, REFERRAL_SOURCES),
        "PrimaryNeedCode": Leaf(CODE, PRIMARY_NEEDS),
        "CINclosureDate": Leaf(DATE),
        "ReasonForClosure": Leaf(CODE, CLOSURE_REASONS),
        "DateOfInitialCPC": Leaf(DATE),
        "ReferralNFA": Leaf(BOOL),
        "Assessments": ASSESSMENTS,
        "CINPlanDates": CIN_PLAN_DATES,
        "Section47": SECTION_47,
        "ChildProtectionPlans": PLANS,
        # Pre-proceedings (2026 to 2027 census): not held by this service, not read.
        "PreProceedingsandFGDM": Group(many=True, lenient=True),
    },
    many=True,
)
CHILD = Group(
    {
        "ChildIdentifiers": IDENTIFIERS,
        "ChildCharacteristics": CHARACTERISTICS,
        "CINdetails": CIN_DETAILS,
    }
)
HEADER = Group(
    {
        "CollectionDetails": Group(
            {"Collection": Leaf(TEXT), "Year": Leaf(INT), "ReferenceDate": Leaf(DATE)}
        ),
        "Source": Group(
            {
                "SourceLevel": Leaf(TEXT),
                "LEA": Leaf(TEXT),
                "SoftwareCode": Leaf(TEXT),
                "Release": Leaf(TEXT),
                "SerialNo": Leaf(TEXT),
                "DateTime": Leaf(ANY),
            }
        ),
    }
)
