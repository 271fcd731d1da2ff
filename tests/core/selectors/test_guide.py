"""The guide's pages (SYS-09): every link of docs/guide lands, F1's table names real sections and real pages, the
Markdown is drawn safely, and the search finds Russian word forms."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kontora.core.selectors import guide
from kontora.core.ui.markdown import anchor_of, render
from tests.support.urls import named_urls

GUIDE = Path(settings.GUIDE_DIR)


def _anchors(slug: str) -> set[str]:
    page = guide.guide_page(slug)
    assert page is not None, slug
    return {section.anchor for section in page.sections}


@pytest.mark.feature("SYS-09")
def test_every_link_between_the_guides_pages_lands_on_a_page_and_its_section():
    # given every page of the guide
    pages = guide.guide_contents()
    assert len(pages) == len(list(GUIDE.glob("*.md")))
    # when their links to pages of the guide are followed
    broken = [f"{page.slug}.md → {target}.md#{anchor}" for page in pages for target, anchor in page.links
              if guide.guide_page(target) is None or (anchor and anchor not in _anchors(target))]
    # then each lands (and there are links to follow)
    assert sum(len(page.links) for page in pages) > 30
    assert broken == []
    # and no page is named as the search's or the pictures' URL, which would hide it
    assert {"search", "img"} & {page.slug for page in pages} == set()


@pytest.mark.feature("SYS-09")
def test_every_picture_of_the_guide_is_in_img():
    # given the pictures the pages draw
    sources = [src for page in guide.guide_contents() for src in _image_sources(page.html)]
    # then each is a picture the image view answers, drawn at its size before it arrives
    assert len(sources) > 40
    assert [src for src, _size in sources if not src.startswith("/help/guide/img/")] == []
    assert [src for src, _size in sources if guide.image_path(src.removeprefix("/help/guide/img/")) is None] == []
    assert [src for src, size in sources if not size] == []


def _image_sources(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<img src="([^"]*)" alt="[^"]*"( width="[1-9]\d*" height="[1-9]\d*")?', html)


@pytest.mark.feature("SYS-09")
def test_f1_names_only_sections_that_exist_and_url_names_that_exist():
    # given the URL names of the program
    names = [name for name, _pattern, _route in named_urls()]
    for pattern, page, heading in guide.HELP_TOPICS:
        # then each entry of F1's table fits some page of the program and names a section of the guide
        assert any(fnmatchcase(name, pattern) for name in names), pattern
        assert guide.guide_page(page) is not None, page
        assert not heading or anchor_of(heading) in _anchors(page), heading


@pytest.mark.feature("SYS-09")
@pytest.mark.parametrize(("view_name", "url"), [
    ("core:home", "/help/guide/clients-registry/"),
    ("clients:card", "/help/guide/client-card/"),
    ("clients:registration", "/help/guide/client-card/#регистрационные-данные"),
    ("clients:flexi_panel", "/help/guide/clients-filter/"),
    ("directories:list", "/help/guide/directories/"),
    ("nomenclature:tree", "/help/guide/nomenclature/"),
    ("processes:journal", "/help/guide/processes/"),
    ("accounts:users", "/help/guide/users/"),
    ("core:backups", "/help/guide/backup/#резервная-копия-из-программы"),
    ("core:guide_page", "/help/guide/main-window/#справка--руководство"),
    ("", "/help/guide/"),
    ("accounts:login", "/help/guide/"),
])
def test_f1_opens_the_section_about_the_page(view_name, url):
    assert guide.help_url(view_name) == url


@pytest.mark.feature("SYS-09")
def test_markdown_is_drawn_with_raw_html_escaped_and_only_accepted_links():
    # given a page with markup, script and URLs of every kind
    source = "\n".join([
        "# Заголовок <b>жирный</b>",
        "",
        "Текст <script>alert(1)</script> и <img src=x onerror=alert(2)>, **важно**, `код <i>`, _курсив_, snake_case.",
        "",
        "[страница](users.md#смена-пароля) [злой](javascript:alert(3)) [вне](../architecture.md) "
        "[сайт](https://example.ru/) <https://example.ru/a>",
        "",
        "![картинка](img/registry.png) ![чужая](https://evil.example/x.png) ![выше](img/../../x.png)",
        "",
        "```",
        "# не заголовок <b>",
        "```",
        "",
        "## Заголовок <b>жирный</b>",
    ])
    # when
    page = render(source, link=lambda url: url if url.startswith(("users.md", "https:")) else None,
                  image=lambda url: ("/img/registry.png", 1280, 800) if url == "img/registry.png" else None)
    # then nothing of the source is markup but what Markdown means
    assert "<script>" not in page.html and "<img src=x" not in page.html and "<b>" not in page.html
    assert "Текст &lt;script&gt;alert(1)&lt;/script&gt; и &lt;img src=x onerror=alert(2)&gt;" in page.html
    assert "<strong>важно</strong>, <code>код &lt;i&gt;</code>, <em>курсив</em>, snake_case." in page.html
    assert '<a href="users.md#смена-пароля">страница</a> злой вне' in page.html
    assert '<a href="https://example.ru/" rel="noopener noreferrer">сайт</a>' in page.html
    assert "javascript" not in page.html and "architecture" not in page.html
    assert ('<img src="/img/registry.png" alt="картинка" width="1280" height="800" loading="lazy"> чужая выше'
            in page.html)
    assert "<pre><code># не заголовок &lt;b&gt;</code></pre>" in page.html
    # and headings get GitHub's anchors, a repeated one numbered
    assert '<h1 id="заголовок-bжирныйb">Заголовок &lt;b&gt;жирный&lt;/b&gt;</h1>' in page.html
    assert [section.anchor for section in page.sections] == ["заголовок-bжирныйb", "заголовок-bжирныйb-1"]
    assert page.title == "Заголовок <b>жирный</b>"


# What the renderer may ever write: Markdown's own elements, and on them only these attributes.
ALLOWED = {
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"}, "p": set(), "ul": set(),
    "ol": {"start"}, "li": set(), "blockquote": set(), "pre": set(), "code": {"class"}, "hr": set(),
    "table": {"class"}, "thead": set(), "tbody": set(), "tr": set(), "th": {"scope", "class"}, "td": {"class"},
    "strong": set(), "em": set(), "a": {"href", "rel"}, "img": {"src", "alt", "width", "height", "loading"},
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


MARKDOWN_ISH = st.lists(st.sampled_from([*"#*_`[]()!<>|-:.1 \\\"'=/&;ajsё",
    "javascript:", "img/", "<script>", "<img src=x onerror=alert(1)>", "```", "> ", "- ", "1. ", "|---|", "**",
    "](", "<https://a>", "&lt;", "users.md", "img/a.png"]), max_size=40).map("".join)


@pytest.mark.feature("SYS-09")
@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.lists(MARKDOWN_ISH, max_size=8).map("\n".join))
def test_markdown_writes_only_its_own_elements_whatever_the_text(source):
    # when any text is drawn, with links and pictures accepted only as a guide page and one of img/
    page = render(source, link=lambda url: url if url == "users.md" else None,
                  image=lambda url: ("/img/a.png", 1, 1) if url == "img/a.png" else None)
    parser = _Tags()
    parser.feed(page.html)
    # then every element is Markdown's, with its attributes only, and every link is one the caller accepted
    for tag, attrs in parser.found:
        assert tag in ALLOWED and set(attrs) <= ALLOWED[tag], (tag, attrs, source)
        assert attrs.get("href", "users.md") in ("users.md",) or attrs["href"].startswith("https://"), source
        assert attrs.get("src", "/img/a.png") == "/img/a.png", source


@pytest.mark.feature("SYS-09")
def test_markdown_lists_tables_and_quotes():
    # given
    source = "\n".join([
        "1. Первый", "   - вложенный", "   - ещё", "2. Второй", "",
        "| имя | число |", "|---|---:|", "| a \\| b | `1|2` |", "",
        "> цитата", "> дальше",
    ])
    # when
    page = render(source, link=lambda url: None, image=lambda url: None)
    # then
    assert "<ol>\n<li>Первый\n<ul>\n<li>вложенный</li>\n<li>ещё</li>\n</ul></li>\n<li>Второй</li>\n</ol>" in page.html
    assert '<th scope="col" class="text-end">число</th>' in page.html
    assert '<td>a | b</td><td class="text-end"><code>1|2</code></td>' in page.html
    assert "<blockquote>\n<p>цитата\nдальше</p>\n</blockquote>" in page.html


@pytest.mark.feature("SYS-09")
@pytest.mark.parametrize(("word", "stem"), [
    ("клиентов", "клиент"), ("карточки", "карточк"), ("резервной", "резервн"), ("копии", "копи"),
    ("пользователей", "пользовател"), ("елка", "елка"), ("f1", "f1"), ("поиск", "поиск"),
])
def test_a_searched_word_is_cut_to_its_stem(word, stem):
    assert guide.stem(word) == stem


@pytest.mark.feature("SYS-09")
def test_search_finds_other_forms_of_the_words():
    # when «клиентов карточки» is looked for (the guide says «Карточка клиента»)
    hits = guide.guide_search("Клиентов карточки")
    # then the card's page is among the sections found, and each found section holds both words
    assert "/help/guide/client-card/#карточка-клиента" in [hit.url for hit in hits]
    assert all("<mark>" in hit.title or "<mark>" in hit.snippet for hit in hits)
    # (a positive control of "all words": a word found nowhere leaves nothing)
    assert guide.guide_search("карточки абракадабра") == []
