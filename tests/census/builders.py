"""Census XML for tests, one element per line so that line numbers can be checked.

Every builder returns text; `census()` wraps children in the message and header."""

from datetime import date

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>{year}</Year>
      <ReferenceDate>{year}-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>888</LEA>
      <SoftwareCode>Test</SoftwareCode>
      <Release>1</Release>
      <SerialNo>001</SerialNo>
      <DateTime>{year}-05-01T10:00:00</DateTime>
    </Source>
  </Header>
  <Children>
"""
FOOTER = """  </Children>
</Message>
"""


def _leaf(name: str, value, indent: int) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return f"{' ' * indent}<{name}>{text}</{name}>\n"


def census(year: int, *children: str) -> str:
    return HEADER.format(year=year) + "".join(children) + FOOTER


def child(
    local_id: str | None,
    *episodes: str,
    born="2015-06-01",
    expected=None,
    gender="1",
    sex=None,
    ethnicity="WBRI",
    disabilities=("NONE",),
    upn=None,
) -> str:
    lines = ["    <Child>\n", "      <ChildIdentifiers>\n"]
    lines.append(_leaf("LAchildID", local_id, 8))
    lines.append(_leaf("UPN", upn, 8))
    lines.append(_leaf("PersonBirthDate", born, 8))
    lines.append(_leaf("ExpectedPersonBirthDate", expected, 8))
    lines.append(_leaf("Sex", sex, 8) if sex else _leaf("GenderCurrent", gender, 8))
    lines.append("      </ChildIdentifiers>\n      <ChildCharacteristics>\n")
    lines.append(_leaf("Ethnicity", ethnicity, 8))
    if disabilities:
        lines.append("        <Disabilities>\n")
        lines += [_leaf("Disability", code, 10) for code in disabilities]
        lines.append("        </Disabilities>\n")
    lines.append("      </ChildCharacteristics>\n")
    lines += episodes
    lines.append("    </Child>\n")
    return "".join(lines)


def episode(referral="2023-05-02", *modules: str, closed=None, reason=None, conference=None) -> str:
    lines = ["      <CINdetails>\n", _leaf("CINreferralDate", referral, 8)]
    lines.append(_leaf("ReferralSource", "10", 8))
    lines.append(_leaf("PrimaryNeedCode", "N1", 8))
    lines.append(_leaf("CINclosureDate", closed, 8))
    lines.append(_leaf("ReasonForClosure", reason, 8))
    lines.append(_leaf("DateOfInitialCPC", conference, 8))
    lines.append(_leaf("ReferralNFA", "0", 8))
    lines += modules
    lines.append("      </CINdetails>\n")
    return "".join(lines)


def s47(started="2023-05-02", *, target=None, conference=None, not_required=False) -> str:
    return (
        "        <Section47>\n"
        + _leaf("S47ActualStartDate", started, 10)
        + _leaf("InitialCPCtarget", target, 10)
        + _leaf("DateOfInitialCPC", conference, 10)
        + _leaf("ICPCnotRequired", "1" if not_required else "0", 10)
        + "        </Section47>\n"
    )


def plan(
    start="2023-05-23",
    *,
    end=None,
    initial="NEG",
    latest=None,
    previous=0,
    reviews=(),
) -> str:
    lines = ["        <ChildProtectionPlans>\n", _leaf("CPPstartDate", start, 10)]
    lines.append(_leaf("CPPendDate", end, 10))
    lines.append(_leaf("InitialCategoryOfAbuse", initial, 10))
    lines.append(_leaf("LatestCategoryOfAbuse", latest or initial, 10))
    lines.append(_leaf("NumberOfPreviousCPP", previous, 10))
    if reviews:
        lines.append("          <Reviews>\n")
        lines += [_leaf("CPPreviewDate", on, 12) for on in reviews]
        lines.append("          </Reviews>\n")
    lines.append("        </ChildProtectionPlans>\n")
    return "".join(lines)


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """The 1-based line number of the n-th line containing `fragment`."""
    found = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            found += 1
            if found == occurrence:
                return number
    raise AssertionError(f"{fragment!r} not in the text")


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
