"""The annual report's sections, in the order of the source report (§1 to §11, then the
signatures). The order and keys are fixed: a report always has exactly these sections, and the
tables and charts each one carries are chosen by key in the document template."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    numbered: bool = True  # in the contents and the section counter


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("foreword", "Foreword"),
    SectionSpec("purpose", "Purpose of the annual report"),
    SectionSpec("legal_framework", "The legal framework"),
    SectionSpec("role", "The role of the safeguarding IRO"),
    SectionSpec("team", "The safeguarding IRO team"),
    SectionSpec("performance", "Performance information and safeguarding activity"),
    SectionSpec("quality_assurance", "Quality assurance"),
    SectionSpec("good_practice", "Evidence of good practice"),
    SectionSpec("priorities", "Priorities for {next_year}"),
    SectionSpec("challenges", "Key challenges for the future"),
    SectionSpec("conclusion", "Conclusion"),
    SectionSpec("signatures", "Signed", numbered=False),
)


def default_title(spec: SectionSpec, *, year: int) -> str:
    """The section's title for a reporting year (2012 is 2011/12, so priorities are 2012/13)."""
    return spec.title.format(next_year=year_label(year + 1))


def year_label(year: int) -> str:
    """2012 -> "2011/12": the reporting year 1 April 2011 to 31 March 2012."""
    return f"{year - 1}/{str(year)[-2:]}"


SECTION_KEYS = tuple(spec.key for spec in SECTIONS)
SECTION_CHOICES = [(spec.key, spec.title) for spec in SECTIONS]
BY_KEY = {spec.key: spec for spec in SECTIONS}
