"""Every text the report writes — data, and the words of its tables — is escaped: no page holds a bare <, > or &."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from mingdan.publish import figure_harassment, figures, report
from mingdan.publish.release import publish

#: Added to every word of the report's words tables: it must reach the page escaped, like data.
MARK = " <&>"


class _BareText(HTMLParser):
    """Text outside tags that holds <, > or & as written (an escaped one arrives as an entity, apart)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.bare: list[str] = []
        self.raw = ""

    def handle_starttag(self, tag, attrs):
        self.raw = tag if tag in ("style", "script") else ""

    def handle_endtag(self, tag):
        self.raw = ""

    def handle_data(self, data):
        if not self.raw and any(c in data for c in "<>&"):
            self.bare.append(data)


def bare_text(page: str) -> list[str]:
    """Each piece of a page's text that was written unescaped."""
    parser = _BareText()
    parser.feed(page)
    parser.close()
    return parser.bare


def test_the_checker_finds_a_bare_less_than_and_leaves_escaped_text_alone():
    assert bare_text('<td class="num"><5</td>') == ["<"]
    assert bare_text("<p>a & b</p><p>a > b</p>") == ["&", "a > b"]
    assert bare_text('<td class="num">&lt;5</td><p>a &amp; b &gt; c</p><style>a>b{}</style>') == []


def _marked(value):
    if isinstance(value, str):
        return value + MARK
    if isinstance(value, list):
        return [_marked(v) for v in value]
    if isinstance(value, dict):
        return {k: _marked(v) for k, v in value.items()}
    return value


HEADER = ["record_id", "name", "event", "event_date", "place", "harassment", "consent_publish_name"]


@pytest.mark.parametrize("marked", [False, True], ids=["as-written", "words-marked"])
def test_no_page_of_the_report_holds_bare_markup_characters(case, tmp_path, write_rows, no_pdf, monkeypatch, marked):
    """Outside tester: the harassment table wrote <td class="num"><5</td> (an HTML parse error)."""
    from mingdan.ingest.count_claims import import_count_claims
    from mingdan.ingest.importer import import_file

    if marked:
        words, harassment = report.text, figure_harassment.harassment_words
        monkeypatch.setattr(report, "text", lambda language: _marked(words(language)))
        monkeypatch.setattr(figure_harassment, "harassment_words", lambda language: _marked(harassment(language)))
        monkeypatch.setattr(figures, "words_for", lambda language, words=figures.words_for: _marked(words(language)))
    rows = [{"record_id": f"K{i}", "name": f"模拟甲{i}", "event": "killed", "event_date": "1989-06-04",
             "place": "A&B <street>", "consent_publish_name": "同意"} for i in range(7)]
    # Harassment of two people in 2019 (a "<5" cell) and of six in 2020.
    rows += [{"record_id": f"H{i}", "name": f"模拟扰{i}", "event": "harassed", "event_date": f"{2019 + (i > 1)}-06-02",
              "harassment": "police_visit"} for i in range(8)]
    import_file(case, write_rows(rows, header=HEADER), source_name="List <A> & B")
    claims = tmp_path / "claims.csv"
    claims.write_text("metric,scope,as_of,min,best,max,includes,source,verification\n"
                      "killed,episode,1989-06,3,,,<i>about</i> & more,Org <x> & y,unverified\n"
                      "injured <b>,episode,1989-06,,40,,,Org <x> & y,retracted\n", "utf-8")
    import_count_claims(case, claims)
    publish(case, tmp_path / "r1", find_previous=False)
    publish(case, tmp_path / "r2", previous=tmp_path / "r1")  # with its section of changes
    for name in ("index.html", "index.zh.html", "index.zh-hant.html"):
        page = (tmp_path / "r2" / "report" / name).read_text("utf-8")
        assert bare_text(page) == [], name
        assert "&lt;5" in page and "Org &lt;x&gt; &amp; y" in page, name
        if marked:
            assert page.count("&lt;&amp;&gt;") > 40, name  # the words were there, escaped
