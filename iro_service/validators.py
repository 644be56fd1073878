"""Checks on what people type that apply across the service (issue 12): names without hidden
text-direction characters, and dates of birth that could be true.

Children's identifiers (UPN, NHS number) are checked in children/validators.py.
"""

import re
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

# Unicode's bidirectional controls: embeddings and overrides (U+202A to U+202E), isolates
# (U+2066 to U+2069), and the left-to-right, right-to-left and Arabic letter marks. None has
# a place in a name; the right-to-left override makes "Smith\u202eSJ" show as "SmithJS" and
# can make a file name or a list sort look like something else (CVE-2021-42574).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
BIDI_MESSAGE = (
    "Enter the name without hidden characters that change the direction of text. "
    "They can come with a name copied from elsewhere: type the name in instead"
)

# A child on the service's records is under 18, and a record is kept and corrected until the
# young person is 25 (care leavers). A date of birth before that, or in the future, is a typing
# mistake (1800 for 2008). An unborn child's expected date is at most 10 months ahead (a
# pregnancy is about 9 months); it may have passed if the birth is not yet recorded.
OLDEST_YEARS = 25
EXPECTED_MONTHS_AHEAD = 10


def has_bidi_controls(value: str) -> bool:
    return bool(BIDI_CONTROLS.search(value or ""))


def validate_no_bidi_controls(value: str) -> None:
    """Model and form field validator for names."""
    if has_bidi_controls(value):
        raise ValidationError(BIDI_MESSAGE, code="bidi_controls")


def earliest_birth(today: date) -> date:
    return today - relativedelta(years=OLDEST_YEARS)


def date_of_birth_problem(value: date, *, today: date) -> str | None:
    """Why a date of birth cannot be right, or None."""
    if value > today:
        return "Date of birth must be today or in the past. For an unborn child, leave it blank and enter the expected date of birth"
    if value < earliest_birth(today):
        return (
            f"Date of birth must be within the last {OLDEST_YEARS} years, on or after "
            f"{earliest_birth(today):%-d %B %Y}"
        )
    return None


def expected_date_problem(value: date, *, today: date) -> str | None:
    """Why an unborn child's expected date of birth cannot be right, or None."""
    latest = today + relativedelta(months=EXPECTED_MONTHS_AHEAD)
    if value > latest:
        return (
            f"Expected date of birth must be within the next {EXPECTED_MONTHS_AHEAD} months, "
            f"on or before {latest:%-d %B %Y}"
        )
    if value < earliest_birth(today):
        return (
            f"Expected date of birth must be within the last {OLDEST_YEARS} years, on or after "
            f"{earliest_birth(today):%-d %B %Y}"
        )
    return None
