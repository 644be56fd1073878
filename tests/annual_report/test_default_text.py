"""The default narrative tells the truth about whatever records it is rendered from: it states
figures only through placeholders, words every comparison from the figures (a caseload below
the band never reads "above"), and says an empty year in plain English, never "0 of 0" or
"n/a". Checked on an empty year, a small one, the Lancashire sample and the demo authority,
whose comparative sentences are checked one by one against the report's own tables."""

import re
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from annual_report import default_text, document, figures, narrative, services, statements
from annual_report.statements import team
from annual_report.statements.plans import CATEGORY_WORDS
from devdata.demo.load import load_demo_data

pytestmark = pytest.mark.django_db

# What a default narrative must never say, whatever the records; nor a zero as a figure
# ("0 escalations", "0 of 0": "none", "no escalations" instead).
NEVER = ["0 of 0", "n/a", "not available", "[[", "]]"]
STANDALONE_ZERO = re.compile(r"(?<![\d.,])0(?![\d.,%])")  # "0", not "10", "2.0" or "0.0%"


def _default_sections() -> list[dict]:
    return [{"key": k, "title": k, "body": body} for k, body in default_text.SECTIONS.items()]


def _document(year: int) -> document.Document:
    data, as_of = services.compute_report_figures(year=year)
    return document.build(year=year, sections=_default_sections(), data=data, data_as_of=as_of)


def _text(built: document.Document) -> str:
    blocks = [b for s in built.sections for b in s.blocks if b.kind not in ("table", "chart")]
    return narrative.to_plain_text(blocks)


def _said(built: document.Document, name: str) -> list[str]:
    """Every rendering of one placeholder in the document."""
    said = []
    for section in built.sections:
        for block in section.blocks:
            segments = document._segments(block) if block.kind not in ("table", "chart") else []
            said += [segment.text for segment in segments if segment.figure == name]
    assert said, f"[[{name}]] is not in the default text"
    return said


def _tables(built: document.Document) -> dict:
    return {
        block.lines[0]: block.table
        for section in built.sections
        for block in section.blocks
        if block.kind == "table"
    }


def _assert_plain(text: str) -> None:
    for words in NEVER:
        assert words not in text, f"{words!r} in the narrative"
    zeros = [text[max(0, m.start() - 40) : m.end() + 20] for m in STANDALONE_ZERO.finditer(text)]
    assert zeros == [], "a zero written as a figure instead of in words"


def _assert_band_words(built: document.Document) -> None:
    """The caseload sentences say above, within or below exactly as the caseloads table does."""
    rows = [
        row
        for row in _tables(built)["caseloads"].rows
        if row[0] != "No chair recorded" and row[2] != "0"
    ]
    bands = {row[5].lower() for row in rows}
    for sentence in _said(built, "caseloads.band_comparison"):
        for band in ("above", "within", "below"):
            assert (band in sentence) == (band in bands), (band, bands, sentence)
        if len(bands) == 1 and len(rows) > 1:
            assert f"all {bands.pop()}" in sentence
            bands = {row[5].lower() for row in rows}


def test_every_placeholder_of_the_default_text_is_one_the_form_accepts(world):
    data, _ = services.compute_report_figures(year=2012)
    known = set(figures.values(data, year=2012))
    for key, body in default_text.SECTIONS.items():
        assert services.narrative.problems(body, known, document.exhibits_of(key)) == [], key
    assert narrative.problems("[[caseloads.band_comparisons]]", known)  # still refused


def test_an_empty_year_reads_as_plain_english(world):
    built = _document(2012)
    text = _text(built)
    _assert_plain(text)
    assert built.missing_figures == []
    assert "No escalations were raised this year." in text
    assert "No QA forms were completed in the year." in text
    assert "No plan ended in the year, so NI 64 has no value this year." in text
    assert "At 31 March 2012 no child was the subject of a child protection plan." in text
    assert "no IRO had children on plans recorded against them" in text
    assert text.rstrip().endswith("Senior IRO (Safeguarding)")


@pytest.mark.parametrize("records", ["none", "a few"])
def test_every_sentence_and_figure_reads_as_plain_english(request, world, records):
    """Not only the ones the default text uses: any the Senior IRO may cite."""
    if records == "a few":
        request.getfixturevalue("year_records")
    data, _ = services.compute_report_figures(year=2012)
    values = figures.values(data, year=2012)
    assert "n/a" not in values.values()
    for name in statements.SENTENCES:
        _assert_plain(values[name])


def test_a_small_year_reads_as_plain_english(world, year_records):
    built = _document(2012)
    text = _text(built)
    _assert_plain(text)
    _assert_band_words(built)
    assert "the one IRO with children on plans had 1 child, below the 50 to 70" in text
    assert "During 2011/12 the service chaired 1 initial and 1 review child protection" in text


def test_the_lancashire_sample_reads_as_plain_english_and_above_the_band():
    call_command("load_sample", "lancashire-2011-12", stdout=StringIO())
    built = _document(2012)
    _assert_plain(_text(built))
    _assert_band_words(built)
    assert "all above the 50 to 70 children" in _said(built, "caseloads.band_comparison")[0]


def _row(table, label: str) -> list[str]:
    return next(row for row in table.rows if row[0] == label)


def test_each_comparative_sentence_of_the_demo_year_agrees_with_the_tables():
    load_demo_data(today=date(2026, 6, 30), seed=2012, password="x")
    built = _document(2026)
    tables = _tables(built)
    _assert_plain(_text(built))
    _assert_band_words(built)

    # Caseloads: the range is the table's.
    caseloads = [int(r[2]) for r in tables["caseloads"].rows if r[0] != "No chair recorded"]
    caseloads = [n for n in caseloads if n]
    band = _said(built, "caseloads.band_comparison")[0]
    assert f"from {min(caseloads)} to {max(caseloads)} children" in band or (
        min(caseloads) == max(caseloads) and f"had {caseloads[0]} children" in band
    )
    low, high = settings.IRO_CASELOAD_BAND
    assert f"the {low} to {high} children the IRO Handbook recommends" in band

    # Plans by category: the most common is the largest at the last month end.
    stock = tables["monthly_stock"]
    at_end = {row[0]: int(row[-1].replace(",", "")) for row in stock.rows}
    words = {label: CATEGORY_WORDS[code] for code, label in _category_labels().items()}
    biggest = max(at_end.values())
    commonest = [words[label] for label, n in at_end.items() if n == biggest]
    category = _said(built, "plans_open_at_end.by_category.sentence")[0]
    assert category.lower().startswith(" and ".join(commonest))
    for label, n in at_end.items():
        assert (
            (f"{n:,} were for {words[label]}" in category)
            or (f"{n:,} for {words[label]}" in category)
            or (n == 0 and f"none for {words[label]}" in category)
        ), label

    # The highest and lowest month ends are the table's totals row.
    totals = [int(n.replace(",", "")) for n in stock.totals[1:]]
    months = _said(built, "monthly_stock.sentence")[0]
    assert f"from {max(totals):,} at its highest" in months
    assert f"to {min(totals):,} at its lowest" in months

    # An increase or a decrease, as the year's first and last figures have it.
    data, _ = services.compute_report_figures(year=2026)
    start, end = data["plans_open_at_start"]["total"], totals[-1]
    change = _said(built, "plans_open_at_end.change_sentence")[0]
    assert f"there were {end:,} children" in change
    assert ("an increase of" in change) == (end > start)
    assert ("a decrease of" in change) == (end < start)

    # Conferences held: the activity table.
    activity = tables["activity"]
    held = _said(built, "conferences_held.sentence")[0]
    initial = _row(activity, "Initial child protection conferences (pre-birth included)")[1]
    review = _row(activity, "Review child protection conferences")[1]
    assert f"{initial} initial" in held and f"{review} review" in held
    assert activity.totals[1] in held

    # NI 64 between districts: the district table's lowest and highest.
    district_ni64 = {row[0]: row[2] for row in tables["districts"].rows if row[2] != "–"}
    districts = _said(built, "districts.ni64.sentence")[0]
    values = sorted(district_ni64.values(), key=lambda v: float(v.rstrip("%")))
    if values[0] == values[-1]:
        assert f"was {values[0]} in each of the {len(values)} districts" in districts
    else:
        assert f"from {values[0]} in" in districts and f"to {values[-1]} in" in districts

    # Plans ending: lasted two years or more (E and F), less than a year (A, B and C).
    durations = {row[0][0]: int(row[1].replace(",", "")) for row in tables["durations"].rows}
    ni64 = _said(built, "ni64.sentence")[0]
    long = durations["E"] + durations["F"]
    assert ("none had lasted two years or more" in ni64) == (long == 0)
    under = durations["A"] + durations["B"] + durations["C"]
    ending = _said(built, "plans_ending_by_duration.sentence")[0]
    assert f"({under:,} of {sum(durations.values()):,})" in ending or under == 0

    # Late reviews: the late reviews table's children and longest delay.
    late = tables["late_reviews"]
    late_text = _said(built, "late_reviews.sentence")[0]
    if late.rows:
        children = len({row[0] for row in late.rows})
        assert late_text.startswith(f"{children:,} child")
        assert f"{max(int(row[4]) for row in late.rows)} days" in late_text
    else:
        assert late_text == "No review conference was held after its national due date."

    # Escalations: the total, and the commonest theme of the theme table.
    themes = tables["escalations_theme"]
    escalations = _said(built, "escalations.sentence")[0]
    assert f"raised {themes.totals[1]} escalation" in escalations
    most = max(int(row[1]) for row in themes.rows)
    top = [row[0].lower() for row in themes.rows if int(row[1]) == most]
    assert all(theme in _said(built, "escalations.themes_sentence")[0] for theme in top)

    # QA forms: the count in the QA table's caption, and reports shared in time.
    qa = tables["qa_themes"]
    forms = re.search(r": ([\d,]+) forms completed", qa.caption).group(1)
    assert _said(built, "qa_completion.sentence")[0].startswith(f"{forms} forms were completed")
    shared = _row(qa, "Report shared with the parent/carer in time")
    sentence = _said(built, "qa_themes.report_shared_in_time.sentence")[0]
    assert f"in time in {shared[1]} of {forms} cases" in sentence
    assert (f"in {shared[2]} they were not" in sentence) == (shared[2] != "0")

    # Questionnaires returned: the monthly table's totals.
    returns = tables["feedback_months"].totals
    assert _said(built, "feedback_returns.sentence")[0].startswith(f"{returns[3]} were returned")


def _category_labels() -> dict:
    from conferences.models import Category

    return {code: label for code, label in Category.choices}


@pytest.mark.parametrize(
    ("bands", "says", "never"),
    [
        (["below", "below"], "all below", ["above", "within"]),
        (["within", "within", "within"], "all within", ["above", "below"]),
        (["above"], "had 80 children, above", ["below", "within", "all"]),
        (["above", "within", "below"], "1 was above it, 1 within it and 1 below it", []),
        (["below", "below", "within"], "1 was within it and 2 below it", ["above"]),
    ],
)
def test_the_band_comparison_follows_the_bands(bands, says, never):
    children = {"below": 10, "within": 60, "above": 80}
    data = {
        "caseloads": [
            {"iro_id": i, "children": children[band], "band": band}
            for i, band in enumerate(bands, start=1)
        ]
        + [{"iro_id": None, "children": 5, "band": "none"}]  # no chair recorded: not an IRO
    }
    sentence = team.band_comparison(data, {})
    assert says in sentence
    for word in never:
        assert word not in sentence


def test_the_escalations_table_note_names_only_states_some_escalation_is_in():
    from annual_report.tables import _escalations_note

    none = {"resolved": 0, "open": 0, "withdrawn": 0}
    assert _escalations_note(0, none, 0) == "No escalations were raised in the year."
    assert (
        _escalations_note(56, {"resolved": 38, "open": 18, "withdrawn": 0}, 18)
        == "56 escalations raised: 38 resolved, 18 open at the year end, 18 of them past their "
        "response date."
    )
    assert _escalations_note(1, {**none, "resolved": 1}, 0) == "1 escalation raised: 1 resolved."
