"""Sample data sets that load record-level data for demonstrations and tests
(`manage.py load_sample <name>`)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    name: str
    description: str
    load: Callable[..., dict[str, int]]


def _lancashire_2011_12(**options) -> dict[str, int]:
    from . import lancashire_2011_12

    return lancashire_2011_12.load(**options)


SAMPLES = {
    "lancashire-2011-12": Sample(
        "lancashire-2011-12",
        "Lancashire Safeguarding IRO service, 1 April 2011 to 31 March 2012 "
        "(reproduces the 2011/12 annual report's figures)",
        _lancashire_2011_12,
    ),
}
