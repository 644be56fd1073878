"""Identifier checks for children's records, using python-stdnum's published algorithms."""

from django.core.exceptions import ValidationError
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.gb import nhs, upn


def validate_upn(value: str) -> None:
    """A Unique Pupil Number: 13 characters whose first is a check letter (DfE, CIN N00001)."""
    try:
        upn.validate(value)
    except InvalidLength as exc:
        raise ValidationError("Enter a UPN of 13 characters, like A123456789012") from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            "UPN check letter does not match; check the UPN has been typed correctly"
        ) from exc
    except InvalidComponent as exc:
        raise ValidationError(
            "UPN does not start with a known local authority number; check it has been "
            "typed correctly"
        ) from exc
    except InvalidFormat as exc:
        raise ValidationError(
            "Enter a UPN as a check letter, then 11 digits, then a digit or letter"
        ) from exc


def validate_nhs_number(value: str) -> None:
    """An NHS number: 10 digits whose last is a modulus 11 check digit."""
    try:
        nhs.validate(value)
    except InvalidLength as exc:
        raise ValidationError("Enter an NHS number of 10 digits, like 943 476 5919") from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            "NHS number check digit does not match; check it has been typed correctly"
        ) from exc
    except InvalidFormat as exc:
        raise ValidationError("Enter an NHS number using digits only, like 943 476 5919") from exc


def normalise_nhs_number(value: str) -> str:
    return nhs.compact(value)


def normalise_upn(value: str) -> str:
    return upn.compact(value)
