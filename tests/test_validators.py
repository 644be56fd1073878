"""UPN and NHS number checks (check digits), without a database."""

import pytest
from django.core.exceptions import ValidationError

from children.validators import normalise_upn, validate_nhs_number, validate_upn


@pytest.mark.parametrize("upn", ["B801200005001", "b801 2000 05001"])
def test_valid_upn_is_accepted_after_normalising(upn):
    validate_upn(normalise_upn(upn))


@pytest.mark.parametrize(
    ("upn", "message"),
    [
        ("A801200005001", "check letter does not match"),
        ("B80120000500", "13 characters"),
        ("B8012000050X1", "check letter, then 11 digits"),
        ("B999200005001", "known local authority"),
    ],
)
def test_bad_upn_is_refused_with_a_clear_message(upn, message):
    with pytest.raises(ValidationError) as caught:
        validate_upn(upn)
    assert message in caught.value.messages[0]


def test_valid_nhs_number_is_accepted():
    validate_nhs_number("9434765919")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("9434765918", "check digit does not match"),
        ("943476591", "10 digits"),
        ("94347659AB", "digits only"),
    ],
)
def test_bad_nhs_number_is_refused_with_a_clear_message(number, message):
    with pytest.raises(ValidationError) as caught:
        validate_nhs_number(number)
    assert message in caught.value.messages[0]
