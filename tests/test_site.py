"""`lod-unioni site` on the bundled records: built once (the command, building the dumps first),
then every page and document checked against the dumps themselves, read with rdflib."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import html5lib
import pytest
import rdflib
from conftest import RDF, B
from rdflib.compare import isomorphic

from lod_unioni.cli import main
from lod_unioni.site import make_site
from lod_unioni.web.conneg import negotiate

FORMATS = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}
SITE_IRI = "https://w3id.org/lod-unioni/"
ONTO = "https://w3id.org/lod-unioni/onto"
UNION = B + "union/udm_069"
COMUNE = B + "comune/069015"


@pytest.fixture(scope="session")
def built(tmp_path_factory, shared_data, publisher_config):
    """The site of the bundled records, made by the command (which builds the dumps first)."""
    work = tmp_path_factory.mktemp("site")
    site = ["site", "--dumps", str(work / "dumps"), "--out", str(work / "site"), "--sources", str(shared_data)]
    code = main(["-q", "--config", str(publisher_config), *site])
    assert code == 0
    return work / "dumps", work / "site"


@pytest.fixture(scope="session")
def site(built) -> Path:
    return built[1]


@pytest.fixture(scope="session")
def dumps(built) -> rdflib.Graph:
    """The dumps and the catalog, as the build wrote them."""
    g = rdflib.Graph()
    g.parse(built[0] / "unioni.nt", format="nt")
    g.parse(built[0] / "catalog.ttl", format="turtle")
    return g


@pytest.fixture(scope="session")
def pages(site) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def _path(iri: str) -> str:
    assert iri.startswith(SITE_IRI)
    return iri[len(SITE_IRI) :]


def _parse(text: str):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def _expected(dumps: rdflib.Graph, iri: str) -> rdflib.Graph:
    """What a resource's documents must hold, from the dumps: its own triples and the triples
    that point to it from another resource, but rdf:type."""
    node = rdflib.URIRef(iri)
    g = rdflib.Graph()
    for t in dumps.triples((node, None, None)):
        g.add(t)
    for s, p, o in dumps.triples((None, None, node)):
        if p != RDF.type and isinstance(s, rdflib.URIRef) and s != node:
            g.add((s, p, o))
    return g


def test_every_resource_of_the_dumps_has_its_page_and_documents(site, dumps):
    subjects = {str(s) for s in dumps.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(B)}
    assert len(subjects) > 140
    catalog = B + "catalog"
    # the base IRI itself is the catalog's home page (a foaf:Document): the home page is there too
    assert B in subjects and subjects.remove(B) is None
    home = _parse((site / _path(B) / "index.html").read_text(encoding="utf-8"))
    assert {a.get("href") for a in home.iter("a") if a.get("href", "").endswith("regioni.html")} == {"../regioni.html"}
    for iri in sorted(subjects):
        path = site / _path(iri)
        assert path.with_name(path.name + ".html").is_file(), iri
        for ext, fmt in FORMATS.items():
            doc = rdflib.Graph().parse(path.with_name(path.name + ext), format=fmt)
            if iri == catalog:  # the catalog names its graph: its documents are the whole catalog
                continue
            assert isomorphic(doc, _expected(dumps, iri)), (iri, ext)


def test_the_catalog_ontology_and_vocabularies_are_whole_documents(site, repo, built):
    cases = [
        (site / "data" / "catalog", built[0] / "catalog.ttl"),
        (site / "onto", repo / "ontology" / "lod-unioni.ttl"),
        (site / "vocab" / "services", repo / "ontology" / "vocabularies" / "services" / "services.ttl"),
    ]
    for base, source in cases:
        whole = rdflib.Graph().parse(source, format="turtle")
        for ext, fmt in FORMATS.items():
            assert isomorphic(rdflib.Graph().parse(f"{base}{ext}", format=fmt), whole), f"{base}{ext}"
    # and the terms have their own pages
    assert (site / "onto" / "UnioneDiComuni.html").is_file()
    assert (site / "vocab" / "services" / "protezione-civile.ttl").is_file()


def test_every_page_is_valid_html5(pages):
    assert len(pages) > 240
    for name, text in pages.items():
        try:
            doc = _parse(text)
        except html5lib.html5parser.ParseError as exc:
            pytest.fail(f"{name}: {exc}")
        assert doc.get("lang") == "it", name
        assert doc.find(".//h1") is not None and doc.find(".//main") is not None, name


def _local(url: str) -> bool:
    return not re.match(r"[a-z][a-z0-9+.-]*:|//", url, re.IGNORECASE)


def test_no_external_script_style_or_font(site, pages):
    for name, text in pages.items():
        doc = _parse(text)
        for script in doc.iter("script"):
            assert script.get("src") is None or _local(script.get("src")), name
        for link in doc.iter("link"):
            assert _local(link.get("href")), (name, link.get("href"))
        for style in doc.iter("style"):
            assert "url(" not in (style.text or ""), name
        assert "style=" not in text, name
    for css in site.rglob("*.css"):
        assert not [u for u in re.findall(r"url\(([^)]*)\)", css.read_text()) if not _local(u.strip("'\""))]


def _links(pages: dict[str, str], name: str) -> dict[str, str]:
    """The links of a page: where they go (a path from the site root, or an external URL) -> text."""
    here = "http://site.invalid/" + name
    out = {}
    for a in _parse(pages[name]).iter("a"):
        url = urljoin(here, a.get("href"))
        out[url.removeprefix("http://site.invalid/")] = "".join(a.itertext())
    return out


def test_the_union_links_to_its_members_services_figures_and_registries(pages):
    # read by hand in output/unioni.ttl: the four members, the six services, the IPA body
    links = _links(pages, "data/union/udm_069.html")
    members = {"069015": "Casalbordino", "069068": "Pollutri", "069087": "Scerni", "069100": "Villalfonsina"}
    for code, name in members.items():
        assert links[f"data/comune/{code}.html"] == name
    for service in ("centrale-unica-committenza", "protezione-civile", "sicurezza-lavoro", "servizio-civile"):
        assert f"data/union/udm_069/service/{service}.html" in links
    assert links["data/union/udm_069/service/protezione-civile.html"] == "Protezione civile"
    assert links["https://w3id.org/italia/data/public-organization/udm_069"] == "udm_069"
    # the figures with their value, date and source: ISTAT's total and the card's
    text = pages["data/union/udm_069.html"]
    assert "Popolazione residente: 11804 abitanti (al 2022-01-01)" in text
    assert "Popolazione residente: 11749 abitanti (al 2022-01-01)" in text
    assert "Superficie territoriale: 122.56" in text
    assert links["data/source/istat-population.html"] == "ISTAT popolazione residente"
    # the alternates
    doc = _parse(text)
    alternates = {x.get("type"): x.get("href") for x in doc.iter("link") if x.get("rel") == "alternate"}
    assert alternates == {
        "text/turtle": "../../data/union/udm_069.ttl",
        "application/ld+json": "../../data/union/udm_069.jsonld",
        "application/n-triples": "../../data/union/udm_069.nt",
    }


def test_the_comune_links_back_to_its_union(pages):
    links = _links(pages, "data/comune/069015.html")
    assert links["data/union/udm_069.html"] == "Unione dei Miracoli"
    assert links["data/union/udm_069/membership/069015.html"] == "Adesione di Casalbordino a Unione dei Miracoli"
    assert "https://www.wikidata.org/w/index.php?search=haswbstatement%3AP635%3D069015" in links
    assert (
        links["https://w3id.org/italia/controlled-vocabulary/territorial-classifications/provinces/069"]
        == "Chieti (069)"
    )
    assert "Chieti" in _parse(pages["data/comune/069015.html"]).find(".//table").itertext()
    # and the membership links to both
    links = _links(pages, "data/union/udm_069/membership/069015.html")
    assert links["data/comune/069015.html"] == "Casalbordino"
    assert links["data/union/udm_069.html"] == "Unione dei Miracoli"


def test_the_embedded_jsonld_is_the_resource(site, pages, dumps):
    doc = _parse(pages["data/comune/069015.html"])
    script = next(s for s in doc.iter("script") if s.get("type") == "application/ld+json")
    g = rdflib.Graph().parse(data=script.text, format="json-ld")
    assert isomorphic(g, _expected(dumps, COMUNE))


def test_index_pages(pages):
    regions = _links(pages, "regioni.html")
    assert regions["data/union/udm_069.html"] == "Unione dei Miracoli"
    assert "Abruzzo" in pages["regioni.html"] and "Basilicata" in pages["regioni.html"]
    assert "Chieti" in pages["province.html"] and "Potenza" in pages["province.html"]
    services = pages["servizi.html"]
    assert "vocab/services/polizia-locale.html" in _links(pages, "servizi.html")
    # the Lagonegrese union has polizia locale, the Miracoli not (records/*.yaml)
    section = services.split("vocab/services/polizia-locale.html", 1)[1].split("<section", 1)[0]
    assert "data/union/ull.html" in section and "udm_069" not in section
    queries = pages["query.html"]
    assert "Unioni di Comuni di una regione" in queries and "unions-by-region.rq" in queries


def test_search_finds_a_comune_by_name(site):
    data = json.loads((site / "search.json").read_text(encoding="utf-8"))
    rows = [dict(zip(data["fields"], item, strict=True)) for item in data["items"]]
    found = [r for r in rows if r["name"] == "Casalbordino"]
    assert found == [
        {
            "name": "Casalbordino",
            "codes": "c_b865 069015 B865",
            "kind": "c",
            "place": "Chieti",
            "path": "data/comune/069015",
        }
    ]
    assert (site / (found[0]["path"] + ".html")).is_file()
    assert any(r["kind"] == "u" and "udm_069" in r["codes"] for r in rows)
    assert (site / "assets" / "search.js").is_file()


def test_dumps_versions_and_files_beside_them(site, built):
    dumps = built[0]
    for name in ("unioni.ttl", "unioni.jsonld", "unioni.nt"):
        assert (site / "data" / name).read_bytes() == (dumps / name).read_bytes()
        assert gzip.decompress((site / "data" / (name + ".gz")).read_bytes()) == (dumps / name).read_bytes()
        version = next((dumps / "versions").iterdir()).name
        assert (site / "data" / "versions" / version / (name + ".gz")).is_file()
    for name in ("context.jsonld", "void.ttl"):
        assert (site / "data" / name).read_bytes() == (dumps / name).read_bytes()
    assert (site / "404.html").is_file() and (site / "robots.txt").is_file()


def test_sitemap_lists_every_page(site, pages):
    text = (site / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>([^<]+)</loc>", text)
    assert "https://lod-unioni.github.io/lod-unioni/data/union/udm_069.html" in locs
    resource_pages = {p for p in pages if "/page-" not in p and p not in ("404.html",)}
    assert {loc.removeprefix("https://lod-unioni.github.io/lod-unioni/") for loc in locs} == resource_pages


# --- content negotiation as the generated web-server configurations do it ---------------------

HEADERS = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "*/*",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "text/turtle;q=0.9, application/ld+json",
    "application/n-triples, text/turtle;q=0.9, application/ld+json;q=0.8, */*;q=0.1",
    "text/html;q=0.1, text/turtle;q=0.8",
]


def _htaccess_choice(text: str, accept: str) -> str:
    """The extension the .htaccess's LU_EXT rules set for ``accept``: the first pattern that matches."""
    for pattern, ext in re.findall(
        r"RewriteCond %\{HTTP_ACCEPT\} (\S+) \[NC\]\nRewriteRule \^ - \[E=LU_EXT:(\w+)\]", text
    ):
        if re.search(pattern, accept, re.IGNORECASE):
            return ext
    return re.findall(r"RewriteRule \^ - \[E=LU_EXT:(\w+)\]", text)[-1]


def _nginx_choice(text: str, accept: str) -> str:
    default = re.search(r"default (\w+);", text).group(1)
    for pattern, ext in re.findall(r'"~\*(.+)" (\w+);', text):
        if re.search(pattern, accept, re.IGNORECASE):
            return ext
    return default


@pytest.mark.parametrize("accept", HEADERS)
def test_the_web_server_rules_choose_what_negotiate_chooses(site, accept):
    wanted = {"text/html": "html", "text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt"}
    expected = wanted[negotiate(accept)]
    assert _htaccess_choice((site / ".htaccess").read_text(), accept) == expected
    assert _nginx_choice((site / "hosting" / "nginx.conf").read_text(), accept) == expected


def test_the_htaccess_redirects_a_resource_to_its_existing_document(site):
    text = (site / ".htaccess").read_text()
    assert "RewriteCond %{REQUEST_FILENAME} !-f\nRewriteCond %{REQUEST_FILENAME}.%{ENV:LU_EXT} -f\n" in text
    assert "RewriteRule ^(.*)$ $1.%{ENV:LU_EXT} [R=303,L,E=LU_NEGOTIATED:1]" in text
    assert "ErrorDocument 404 /lod-unioni/404.html" in text and "RewriteBase /lod-unioni/" in text
    # what the rule does, on the files of the site: a resource has the document, a file is served
    for path in ("data/union/udm_069", "onto", "vocab/services/polizia-locale"):
        assert not (site / path).is_file() and (site / f"{path}.ttl").is_file()
    assert not (site / "data/unioni.ttl.html").exists()


def test_the_w3id_redirect(site):
    text = (site / "hosting" / "w3id.org-lod-unioni.htaccess").read_text()
    assert "RewriteRule ^(.+[^/])$ https://lod-unioni.github.io/lod-unioni/$1.%{ENV:LU_EXT} [R=303,L]" in text
    rule = re.search(r"RewriteRule \^\(\.\*\\\.\((\S+)\)\)\$", text)
    assert rule and "ttl" in rule.group(1).split("|")


def test_make_site_again_keeps_other_files_and_replaces_the_rest(tmp_path, repo):
    out = tmp_path / "site"
    make_site(repo / "output", out, jobs=1)
    (out / "CNAME").write_text("example.org\n")
    (out / "data" / "stale.html").write_text("old")
    result = make_site(repo / "output", out, jobs=1)
    assert (out / "CNAME").read_text() == "example.org\n"
    assert not (out / "data" / "stale.html").exists()
    assert result.resources > 200 and result.files > 4 * result.resources
    assert (out / "data" / "union" / "udm_069.html").is_file()


def test_bad_input_is_one_line(tmp_path, capsys, publisher_config):
    config = ["--config", str(publisher_config)]
    assert main([*config, "site", "--no-build", "--dumps", str(tmp_path / "none"), "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("lod-unioni: error: ") and "no unioni.nt here" in err[0]
    assert main([*config, "site", "--jobs", "0"]) == 2


def test_the_site_needs_the_publisher_of_the_data(tmp_path, capsys, repo, built, publisher_config):
    # no settings (no lod-unioni.toml where the tests run): refused before any work, naming the setting
    assert main(["site", "--no-build", "--dumps", str(repo / "output"), "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "publisher.ipa" in err[0] and "'lod-unioni site'" in err[0]
    assert not (tmp_path / "s").exists()
    # the committed dumps name the example publisher: a site of them in another's name is refused
    config = ["--config", str(publisher_config)]
    assert main([*config, "site", "--no-build", "--dumps", str(repo / "output"), "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err.strip()
    assert "built in the name of esempio, not of the publisher of the settings (udm_069)" in err
    # the dumps the site command built carry the settings' publisher
    catalog = (built[0] / "catalog.ttl").read_text(encoding="utf-8")
    assert '"udm_069"' in catalog and "Unione dei Miracoli" in catalog
