"""The narrative format and its renderer: paragraphs, "## " headings and "- " bullets only,
figures by [[placeholder]], and every character of the text escaped on the page."""

from django.template.loader import render_to_string

from annual_report import narrative
from annual_report.document import Document, SectionView

VALUES = {"ni64.percent": "4.4%", "conferences_held.review": "2,067"}


def _html(text: str) -> str:
    blocks = narrative.render(text, VALUES)
    document = Document(
        year=2012,
        title="Test",
        sections=[SectionView("foreword", "Foreword", True, blocks)],
        data_as_of=None,
    )
    return render_to_string("annual_report/_document.html", {"document": document})


def test_paragraphs_headings_and_bullets_are_the_only_structure():
    text = "First line\nsame paragraph.\n\n## A heading\n- one\n  wrapped\n- two\n\n# not a heading\n* not a bullet\n1. not a list"
    blocks = narrative.parse(text)
    assert [b.kind for b in blocks] == ["paragraph", "heading", "bullets", "paragraph"]
    assert blocks[0].lines == ["First line same paragraph."]
    assert blocks[1].lines == ["A heading"]
    assert blocks[2].lines == ["one wrapped", "two"]
    assert blocks[3].lines == ["# not a heading * not a bullet 1. not a list"]


def test_html_in_the_text_is_shown_as_text_never_as_markup():
    html = _html(
        '<script>alert("x")</script> <b onclick="x()">bold</b>\n\n## <img src=x onerror=alert(1)>\n- <a href="javascript:x">link</a>'
    )
    assert "<script>" not in html and "<b " not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;a href=&quot;javascript:x&quot;&gt;link&lt;/a&gt;" in html


def test_placeholders_render_the_figures_value():
    blocks = narrative.render(
        "NI 64 was [[ni64.percent]] and [[ conferences_held.review ]] reviews.", VALUES
    )
    assert narrative.to_plain_text(blocks) == "NI 64 was 4.4% and 2,067 reviews."
    figures = [s for s in blocks[0].segments if s.figure]
    assert [s.figure for s in figures] == ["ni64.percent", "conferences_held.review"]
    assert 'data-figure="ni64.percent">4.4%</span>' in _html("[[ni64.percent]]")


def test_a_figure_value_is_escaped_too():
    blocks = narrative.render("[[x]]", {"x": "<b>1</b>"})
    document = Document(2012, "T", [SectionView("foreword", "F", True, blocks)], None)
    html = render_to_string("annual_report/_document.html", {"document": document})
    assert "&lt;b&gt;1&lt;/b&gt;" in html


def test_unknown_and_malformed_placeholders_are_problems():
    known = set(VALUES)
    assert narrative.problems("All fine: [[ni64.percent]].", known) == []
    problems = narrative.problems("[[ni99.percent]] and [[ni99.percent]] and [[", known)
    assert len(problems) == 2
    assert "[[ni99.percent]] is not a figure the report knows" in problems[0]
    assert "not closed" in problems[1]
    assert narrative.problems("Too long " * 5000, known)[-1].startswith("The section must be")


def test_tables_and_charts_go_on_a_line_of_their_own_in_their_own_section():
    exhibits = {"table.monthly_stock", "chart.monthly_stock"}
    assert (
        narrative.problems(
            "Text\n[[table.monthly_stock]]\n[[chart.monthly_stock]]", set(), exhibits
        )
        == []
    )
    blocks = narrative.parse("Text\n[[table.monthly_stock]]\nmore")
    assert [b.kind for b in blocks] == ["paragraph", "table", "paragraph"]
    inline = narrative.problems("See [[table.monthly_stock]] here", set(), exhibits)
    assert "must be on a line of its own" in inline[0]
    foreign = narrative.problems("[[table.staffing]]", set(), exhibits)
    assert "not a table or chart of this section" in foreign[0]
    twice = narrative.problems("[[table.monthly_stock]]\n[[table.monthly_stock]]", set(), exhibits)
    assert "more than once" in twice[0]


def test_an_unknown_placeholder_saved_earlier_stays_visible_when_rendered():
    blocks = narrative.render("Was [[gone.figure]].", VALUES)
    missing = [s for s in blocks[0].segments if s.missing]
    assert missing[0].text == "[[gone.figure]]"
