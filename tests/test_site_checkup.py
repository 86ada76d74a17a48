"""The checkup in the resource pages: the static site and ``lod-unioni serve`` of the bundled records
built with their PNRR projects (``build --sources``) show each union's checkup and each comune's
projects; the site of dumps built without projects shows neither, and is still made.

Expected values read by hand (tests/test_checkup.py says how): the Unione dei Miracoli (udm_069)
has 637,533.20 euro assigned for 11,804 inhabitants (54.01 euro each), Scerni (069087) no 1.3.1
project; Casalbordino (069015), from the rows of padigitale2026/candidature_*.csv of cod_comune
069015 / codice_ipa c_b865, has these projects (measure, CUP, amount, status)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re

import html5lib
import httpx
import pytest
from conftest import RECORDS, B

from lod_unioni import cli, progress
from lod_unioni.build import build
from lod_unioni.checkup.html import CSS
from lod_unioni.server import ServeOptions, create_app, files_publication
from lod_unioni.site import make_site

pytestmark = pytest.mark.xdist_group("site-checkup")

CASALBORDINO = {
    ("1.3.1", "C51F22004990006", "20.344,00 €", "erogato"),
    ("1.3.1", "C51J25000370006", "4.326,40 €", "erogato"),
    ("1.4.1", "C91F22000570006", "155.234,00 €", "erogato"),
    ("1.4.4", "C91F22000020006", "14.000,00 €", "rinunciato"),
    ("1.4.4", "C91F22004520006", "14.000,00 €", "erogato"),
    ("1.4.4", "C51F24000610006", "8.979,20 €", "assegnato"),
    ("1.4.5", "C91F22003090006", "32.589,00 €", "erogato"),
}
UNION_PAGE = "data/union/udm_069.html"
COMUNE_PAGE = "data/comune/069015.html"


@pytest.fixture(scope="module")
def pnrr_built(shared_data, publisher_config, tmp_path_factory):
    """``lod-unioni site --sources``: the bundled records built with their projects (as ``build
    --sources``), then their site."""
    work = tmp_path_factory.mktemp("pnrr-site")
    argv = [
        "-q",
        "--config",
        str(publisher_config),
        "site",
        "--sources",
        str(shared_data),
        "--dumps",
        str(work / "dumps"),
        "--out",
        str(work / "site"),
    ]
    with contextlib.redirect_stderr(io.StringIO()):
        assert cli.main([*argv, "--jobs", "1"]) == 0
    return work


@pytest.fixture(scope="module")
def pnrr_dumps(pnrr_built):
    return pnrr_built / "dumps"


@pytest.fixture(scope="module")
def pnrr_site(pnrr_built):
    return pnrr_built / "site"


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory):
    """The site of the bundled records built without their projects."""
    work = tmp_path_factory.mktemp("plain-site")
    with progress.reporting(quiet=True):
        build(RECORDS, work / "dumps")
        make_site(work / "dumps", work / "site", jobs=1)
    return work / "site"


def _parse(text: str):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def _text(element) -> str:
    return "".join(element.itertext())


def _checkup(doc, lang: str):
    return next(s for s in doc.iter("section") if s.get("class") == "lu-checkup" and s.get("lang") == lang)


def _section_html(page: str) -> str:
    """The Italian checkup section of a page, as written."""
    found = re.search(r'<section class="lu-checkup" lang="it">.*?</section>', page, re.DOTALL)
    assert found is not None
    return found.group(0)


def test_the_union_page_shows_its_checkup(pnrr_site, pnrr_dumps):
    page = (pnrr_site / UNION_PAGE).read_text(encoding="utf-8")
    doc = _parse(page)
    assert len(doc.findall(".//h1")) == 1  # the checkup's headings are below the page's
    italian, english = _checkup(doc, "it"), _checkup(doc, "en")
    assert "637.533,20 €" in _text(italian) and "54,01 €" in _text(italian)
    assert "€637,533.20" in _text(english) and "€54.01" in _text(english)
    scerni = next(tr for tr in italian.iter("tr") if _text(tr.find("th")).startswith("Scerni"))
    assert (scerni.findall("td")[2].text, scerni.findall("td")[2].get("class")) == ("-", "st-none")  # 1.3.1
    assert "Scerni non ha un progetto finanziato per M1C1 1.3.1" in _text(italian)
    assert "Scerni has no funded project for M1C1 1.3.1" in _text(english)
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) and "checkup-findings" in ids and "checkup-en-findings" in ids
    # its style once, from the site itself; no local path of the build in the page
    styles = [e.get("href") for e in doc.iter("link") if e.get("rel") == "stylesheet"]
    assert styles == ["../../assets/lod-unioni.css", "../../assets/checkup.css"]
    assert (pnrr_site / "assets" / "checkup.css").read_text(encoding="utf-8") == CSS
    assert str(pnrr_dumps) not in page and f"({B}unioni.nt)" in _text(italian)


def test_the_comune_page_lists_its_projects(pnrr_site):
    doc = _parse((pnrr_site / COMUNE_PAGE).read_text(encoding="utf-8"))
    assert doc.find(".//section[@class='lu-checkup']") is None
    table = next(t for t in doc.iter("table") if t.get("class") == "pnrr-projects")
    rows = set()
    for tr in table.find("tbody"):
        link = tr.find("th/a")
        assert (pnrr_site / "data" / (link.get("href").removeprefix("../../data/"))).is_file()
        measure, money, state = (_text(td) for td in tr.findall("td"))
        notation = measure.split()[1]  # "M1C1 1.4.4 Adozione ... / M1C1 1.4.4 Adoption ..."
        rows.add((notation, link.text, money.split(" / ")[0], state.split(" / ")[0]))
    assert rows == CASALBORDINO
    assert {cup for m, cup, _, _ in rows if m == "1.4.4"} == {"C51F24000610006", "C91F22000020006", "C91F22004520006"}


def test_the_pages_of_the_unions_and_comuni_are_valid(pnrr_site):
    pages = sorted((pnrr_site / "data" / "union").glob("*.html")) + sorted(
        (pnrr_site / "data" / "comune").glob("*.html")
    )
    assert len(pages) == 2 + 13
    for path in pages:
        try:
            doc = _parse(path.read_text(encoding="utf-8"))
        except html5lib.html5parser.ParseError as exc:
            pytest.fail(f"{path}: {exc}")
        assert doc.get("lang") == "it" and doc.find(".//main") is not None
        assert doc.find(".//section[@class='lu-checkup']") is not None or "/comune/" in str(path)


def test_dumps_without_projects_have_no_checkup_and_still_make_a_site(plain_site):
    union = (plain_site / UNION_PAGE).read_text(encoding="utf-8")
    comune = (plain_site / COMUNE_PAGE).read_text(encoding="utf-8")
    _parse(union)
    assert "lu-checkup" not in union and "checkup.css" not in union
    assert "pnrr-projects" not in comune
    assert not (plain_site / "assets" / "checkup.css").exists()


def test_serve_shows_the_same_sections(pnrr_dumps, pnrr_site):
    with progress.reporting(quiet=True):
        app = create_app(files_publication([pnrr_dumps], B), ServeOptions(prerender=False))

    async def get(*paths):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
            return [await c.get(p) for p in paths]

    union, comune, css = asyncio.run(
        get(
            "/lod-unioni/data/union/udm_069.html",
            "/lod-unioni/data/comune/069015.html",
            "/lod-unioni/assets/checkup.css",
        )
    )
    assert union.status_code == comune.status_code == css.status_code == 200
    site_page = (pnrr_site / UNION_PAGE).read_text(encoding="utf-8")
    assert _section_html(union.text) == _section_html(site_page)
    assert '<link rel="stylesheet" href="/lod-unioni/assets/checkup.css">' in union.text
    assert css.headers["content-type"].startswith("text/css") and css.text == CSS
    assert '<a href="/lod-unioni/data/project/C51F24000610006">C51F24000610006</a>' in comune.text
