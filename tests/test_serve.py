"""``lod-unioni serve``: a real server (the command, uvicorn on a free loopback port) on the
committed bundled dump (``output/``), queried over HTTP.

The expected answers are read from ``output/unioni.ttl`` by hand or with rdflib, never from the
server's code: the dump has two unions, ``udm_069`` with 4 member comuni and ``ull`` with 9.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import httpx
import pytest
import rdflib
from conftest import LU, ORG, REPO, B
from serve_server import Server

pytestmark = pytest.mark.server

OUTPUT = REPO / "output"
ULL = B + "union/ull"
UDM = B + "union/udm_069"
#: The members of ull, as output/unioni.ttl lists them (org:hasMember).
ULL_MEMBERS = {B + f"comune/0760{n}" for n in ("22", "23", "39", "40", "42", "44", "54", "68", "92")}
PREFIXES = f"PREFIX org: <{ORG}> PREFIX lu: <{LU}> "
MEMBERS_QUERY = PREFIXES + f"SELECT ?m WHERE {{ <{ULL}> org:hasMember ?m }} ORDER BY ?m"
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
TIMEOUT = 2
MAX_ROWS = 500
SECRET = "s3cr3t-T0KEN-in-a-query"
JSON_RESULTS = "application/sparql-results+json"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    s = Server(tmp, str(OUTPUT), "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), "--max-body", "64")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def dump() -> rdflib.Graph:
    return rdflib.Graph().parse(OUTPUT / "unioni.ttl")


# ------------------------------------------------------------------------------------ the protocol


def _get(client, query, accept):
    return client.get("/sparql", params={"query": query}, headers={"Accept": accept})


def _form(client, query, accept):
    return client.post("/sparql", data={"query": query}, headers={"Accept": accept})


def _direct(client, query, accept):
    return client.post(
        "/sparql", content=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query", "Accept": accept}
    )


def _members_json(body: str) -> set[str]:
    doc = json.loads(body)
    assert doc["head"]["vars"] == ["m"]
    return {b["m"]["value"] for b in doc["results"]["bindings"] if b["m"]["type"] == "uri"}


def _members_xml(body: str) -> set[str]:
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(body)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["m"]
    return {u.text for u in root.findall("r:results/r:result/r:binding/r:uri", ns)}


def _members_csv(body: str) -> set[str]:
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["m"]
    return {r[0] for r in rows[1:]}


def _members_tsv(body: str) -> set[str]:
    lines = body.rstrip("\n").split("\n")
    assert lines[0] == "?m"
    assert all(line.startswith("<") and line.endswith(">") for line in lines[1:])
    return {line[1:-1] for line in lines[1:]}


FORMATS = {
    JSON_RESULTS: _members_json,
    "application/sparql-results+xml": _members_xml,
    "text/csv": _members_csv,
    "text/tab-separated-values": _members_tsv,
}


@pytest.mark.parametrize("method", [_get, _form, _direct], ids=["GET", "POST-form", "POST-direct"])
@pytest.mark.parametrize("media_type", list(FORMATS))
def test_select_in_every_format_by_every_method(client, method, media_type):
    r = method(client, MEMBERS_QUERY, media_type)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in r.headers["vary"]
    assert FORMATS[media_type](r.text) == ULL_MEMBERS


def test_generic_json_and_any_type_get_sparql_json(client):
    for accept in ("application/json", "*/*", ""):
        r = _get(client, MEMBERS_QUERY, accept)
        assert r.headers["content-type"].startswith(JSON_RESULTS), accept
        assert _members_json(r.text) == ULL_MEMBERS


def test_count_of_unions_and_ask(client):
    count = PREFIXES + "SELECT (COUNT(?u) AS ?n) WHERE { ?u a lu:UnioneDiComuni }"
    assert json.loads(_get(client, count, JSON_RESULTS).text)["results"]["bindings"][0]["n"]["value"] == "2"
    ask = PREFIXES + f"ASK {{ <{UDM}> a lu:UnioneDiComuni }}"
    assert json.loads(_form(client, ask, JSON_RESULTS).text) == {"head": {}, "boolean": True}
    xml = _get(
        client, PREFIXES + f"ASK {{ <{UDM}> org:hasMember <{B}comune/076022> }}", "application/sparql-results+xml"
    )
    assert ET.fromstring(xml.text).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")],
)
def test_construct_and_describe_by_accept(client, dump, media_type, rdflib_format):
    construct = PREFIXES + f"CONSTRUCT {{ <{ULL}> org:hasMember ?m }} WHERE {{ <{ULL}> org:hasMember ?m }}"
    r = _direct(client, construct, media_type)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media_type
    got = rdflib.Graph().parse(data=r.text, format=rdflib_format)
    expected = set(dump.triples((rdflib.URIRef(ULL), ORG.hasMember, None)))
    assert len(expected) == 9
    assert set(got) == expected
    described = rdflib.Graph().parse(data=_get(client, f"DESCRIBE <{UDM}>", media_type).text, format=rdflib_format)
    assert set(dump.triples((rdflib.URIRef(UDM), None, None))) <= set(described)


def test_the_dataset_of_the_protocol(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = client.get("/sparql", params={"query": count, "default-graph-uri": "http://example.org/no-such-graph"})
    assert r.status_code == 200
    assert json.loads(r.text)["results"]["bindings"][0]["n"]["value"] == "0"  # an empty graph
    r = client.get("/sparql", params={"query": count, "named-graph-uri": "not an IRI"})
    assert r.status_code == 400
    assert "named-graph-uri" in r.text


def _one_line_error(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text.endswith("\n") and "\n" not in r.text[:-1]
    assert len(r.text) <= 301
    return r.text


def test_bad_requests_are_one_line_errors(client):
    assert "syntax" in _one_line_error(_get(client, "SELECT * WHERE { ?s ?p ", JSON_RESULTS), 400)
    assert "no query" in _one_line_error(client.get("/sparql", headers={"Accept": JSON_RESULTS}), 400)
    r = client.post("/sparql?query=ASK%7B%7D", data={"query": "ASK {}"})
    assert "not in both" in _one_line_error(r, 400)
    r = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert "application/sparql-query" in _one_line_error(r, 415)
    assert _one_line_error(_get(client, MEMBERS_QUERY, "image/png"), 406)
    big = "ASK {} #" + "x" * (65 * 1024)
    assert "64" in _one_line_error(_direct(client, big, JSON_RESULTS), 413)
    r = _get(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", JSON_RESULTS)
    assert "SERVICE" in _one_line_error(r, 400)


def test_updates_are_refused(client):
    insert = f"INSERT DATA {{ <{ULL}> <{ORG}hasMember> <http://example.org/intruder> }}"
    for r in (
        client.post("/sparql", content=insert, headers={"Content-Type": "application/sparql-update"}),
        client.post("/sparql", data={"update": insert}),
        client.get("/sparql", params={"update": insert}),
        _get(client, insert, JSON_RESULTS),
    ):
        assert "read-only" in _one_line_error(r, 403)
    r = client.put("/sparql", content=insert)
    assert "read-only" in _one_line_error(r, 405)
    assert "GET" in r.headers["allow"]
    assert _members_json(_get(client, MEMBERS_QUERY, JSON_RESULTS).text) == ULL_MEMBERS


# ------------------------------------------------------------------------------------ limits


def test_a_runaway_query_is_stopped_and_the_server_goes_on(client):
    before = client.get("/health").json()["stopped_queries"]
    answers = {}

    def runaway():
        started = time.monotonic()
        answers["runaway"] = _get(client, CARTESIAN, JSON_RESULTS)
        answers["took"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    # While it runs, the other worker answers.
    started = time.monotonic()
    assert _members_json(_get(client, MEMBERS_QUERY, JSON_RESULTS).text) == ULL_MEMBERS
    assert time.monotonic() - started < TIMEOUT / 2
    thread.join(30)
    assert "did not finish within 2 s" in _one_line_error(answers["runaway"], 503)
    assert TIMEOUT <= answers["took"] < TIMEOUT + 3
    # The next queries work, on every worker.
    for _ in range(4):
        assert _members_json(_form(client, MEMBERS_QUERY, JSON_RESULTS).text) == ULL_MEMBERS
    health = client.get("/health").json()
    assert health["stopped_queries"] == before + 1
    assert health["workers"] == {"total": 2, "idle": 2}


def test_max_rows(client):
    r = _get(client, "SELECT * WHERE { ?s ?p ?o }", JSON_RESULTS)
    assert "500" in _one_line_error(r, 400)
    r = _get(client, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}", "text/csv")
    assert r.status_code == 200
    assert len(list(csv.reader(io.StringIO(r.text)))) == MAX_ROWS + 1


# ------------------------------------------------------------------------------------ CORS, health, log


def test_cors_on_the_endpoint_and_the_data(client):
    for path in ("/sparql?query=ASK%7B%7D", "/lod-unioni/data/union/ull.ttl"):
        r = client.get(path, headers={"Origin": "https://example.org"})
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == "*"
    r = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "content-type" in r.headers["access-control-allow-headers"].lower()


def test_health(client):
    r = client.get("/health")
    assert r.status_code == 200
    health = r.json()
    assert health["ok"] is True
    assert health["uptime"] > 0
    # Every file served: the dump and the VoID description in the default graph; the catalog, the
    # ontology and each vocabulary in a graph of its own (as the static site's renderer reads them).
    default = rdflib.Graph()
    for path in (OUTPUT / "unioni.nt", OUTPUT / "void.ttl"):
        default.parse(path)
    ontology = REPO / "ontology"
    own_graphs = [OUTPUT / "catalog.ttl", ontology / "lod-unioni.ttl", *sorted(ontology.glob("vocabularies/*/*.ttl"))]
    # the catalog, the ontology and six vocabularies: indicators, pnrr-measures, pnrr-status,
    # service-status, services, union-status
    assert len(own_graphs) == 8
    expected = len(default) + sum(len(rdflib.Graph().parse(path)) for path in own_graphs)
    assert health["triples"] == expected
    # Every page is rendered in the background, soon.
    deadline = time.monotonic() + 30
    while not (pages := client.get("/health").json()["pages"])["complete"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pages["rendered"] == pages["total"] > 100


def test_the_access_log_has_no_query_text_nor_query_string(server, client):
    query = f'SELECT * WHERE {{ ?s ?p "{SECRET}" }}'
    assert client.get("/sparql", params={"query": query, "token": SECRET}).status_code == 200
    assert client.post("/sparql", data={"query": query}).status_code == 200
    time.sleep(0.2)
    log = server.stderr()
    assert SECRET not in log
    assert "token" not in log
    lines = [line for line in log.splitlines() if " /sparql " in line]
    assert any(re.search(rf"GET /sparql 200 [0-9.]+ ms query {len(query)} chars\Z", line) for line in lines), lines
    assert any(re.search(rf"POST /sparql 200 [0-9.]+ ms query {len(query)} chars\Z", line) for line in lines)


# ------------------------------------------------------------------------------------ resources


@pytest.mark.parametrize(
    ("accept", "extension", "rdflib_format"),
    [
        ("text/turtle", ".ttl", "turtle"),
        ("application/ld+json", ".jsonld", "json-ld"),
        ("application/n-triples", ".nt", "nt"),
    ],
)
def test_a_union_iri_answers_303_to_its_document(client, dump, accept, extension, rdflib_format):
    r = client.get("/lod-unioni/data/union/ull", headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["location"] == "/lod-unioni/data/union/ull" + extension
    assert "Accept" in r.headers["vary"]
    doc = client.get(r.headers["location"])
    assert doc.status_code == 200
    assert doc.headers["content-type"].split(";")[0] == accept
    got = rdflib.Graph().parse(data=doc.text, format=rdflib_format)
    about = {(p, o) for _, p, o in dump.triples((rdflib.URIRef(ULL), None, None)) if not isinstance(o, rdflib.BNode)}
    assert len(about) > 20
    assert {
        (p, o) for _, p, o in got.triples((rdflib.URIRef(ULL), None, None)) if not isinstance(o, rdflib.BNode)
    } == about
    # The inverse links: the members' memberships point to the union.
    assert (rdflib.URIRef(ULL + "/membership/076022"), ORG.organization, rdflib.URIRef(ULL)) in got


def test_a_union_page_in_html(client, dump):
    r = client.get("/lod-unioni/data/union/ull", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 303 and r.headers["location"] == "/lod-unioni/data/union/ull.html"
    page = client.get(r.headers["location"])
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    html5lib.HTMLParser(strict=True).parse(page.text)
    name = str(dump.value(rdflib.URIRef(ULL), rdflib.URIRef("https://w3id.org/italia/onto/l0/name")))
    assert name in page.text
    assert 'rel="alternate"' in page.text and "/lod-unioni/data/union/ull.ttl" in page.text
    # a member's link leads to the member, whose page links back to the union
    assert 'href="/lod-unioni/data/comune/076022"' in page.text
    member = client.get("/lod-unioni/data/comune/076022", headers={"Accept": "text/html"}, follow_redirects=True)
    assert member.status_code == 200 and 'href="/lod-unioni/data/union/ull"' in member.text


def test_etag_and_not_modified(client):
    r = client.get("/lod-unioni/data/union/ull.ttl")
    assert r.headers["etag"] and r.headers["last-modified"]
    again = client.get("/lod-unioni/data/union/ull.ttl", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_unknown_iris_are_404(client):
    for path in ("/lod-unioni/data/union/no-such-union", "/lod-unioni/data/union/ull.pdf", "/elsewhere/x"):
        r = client.get(path, headers={"Accept": "text/turtle"})
        assert r.status_code == 404, path
    r = client.get("/lod-unioni/data/union/no-such-union", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "Not found" in r.text
    assert (
        client.get("/lod-unioni/data/union/ull", params={"page": "7"}, headers={"Accept": "text/html"}).status_code
        == 303
    )
    assert client.get("/lod-unioni/data/union/ull.html", params={"page": "7"}).status_code == 404


def test_the_data_are_read_only(client):
    r = client.put("/lod-unioni/data/union/ull.ttl", content=b"<a> <b> <c> .", headers={"Content-Type": "text/turtle"})
    assert r.status_code == 405


# ------------------------------------------------------------------------------------ the query page


def test_the_query_page(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/sparql", headers={"Accept": browser})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html5lib.HTMLParser(strict=True).parse(r.text)
    for element in ('id="query"', 'id="run"', 'id="results"', 'id="permalink"'):
        assert element in r.text
    assert "Comuni membri di un'Unione / Member comuni of a union" in r.text.replace("&#x27;", "'")
    assert "wikidata-comuni" not in r.text  # needs SERVICE: not an example here
    # A permalink reproduces the query, and the assets are ours.
    permalink = client.get("/query", params={"query": MEMBERS_QUERY})
    assert "ORDER BY ?m</textarea>" in permalink.text
    for asset in ("query.js", "query.css", "lod-unioni.css"):
        assert client.get(f"/lod-unioni/assets/{asset}").status_code == 200
    assert "http" not in re.sub(r"https?://www\.w3\.org/2000/svg", "", client.get("/lod-unioni/assets/query.js").text)


# ------------------------------------------------------------------------------------ the command


def test_serve_refuses_bad_input_in_one_line(tmp_path):
    from lod_unioni import cli

    missing = tmp_path / "missing.ttl"
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert cli.main(["serve", str(missing)]) == 2
    assert err.getvalue().count("\n") == 1 and "missing.ttl" in err.getvalue()
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert cli.main(["serve", str(OUTPUT), "--port", "70000"]) == 2
    assert "--port" in err.getvalue()
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with contextlib.redirect_stderr(io.StringIO()) as err:
            assert cli.main(["serve", str(OUTPUT), "--port", str(taken.getsockname()[1])]) == 2
    assert "cannot listen" in err.getvalue() and err.getvalue().count("\n") == 1


def test_loopback_hosts():
    from lod_unioni.server.run import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.0.2.1", "example.org"))


def test_redirect_none_answers_with_the_document_and_vary(dump):
    import asyncio

    from lod_unioni.server import ServeOptions, create_app, files_publication

    app = create_app(files_publication([OUTPUT], B), ServeOptions(redirect="none"))

    async def get(path, accept):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
            return await c.get(path, headers={"Accept": accept})

    r = asyncio.run(get("/lod-unioni/data/union/udm_069", "text/turtle"))
    assert r.status_code == 200
    assert r.headers["vary"].startswith("Accept")
    assert r.headers["content-location"] == "/lod-unioni/data/union/udm_069.ttl"
    got = rdflib.Graph().parse(data=r.text, format="turtle")
    members = set(got.objects(rdflib.URIRef(UDM), ORG.hasMember))
    assert members == set(dump.objects(rdflib.URIRef(UDM), ORG.hasMember)) and len(members) == 4
    assert asyncio.run(get("/lod-unioni/data/union/udm_069", "text/html")).text.startswith("<!DOCTYPE html>")
    assert asyncio.run(get("/lod-unioni/data/union/udm_069", "image/png")).status_code == 406


def test_the_catalog_and_the_vocabularies_are_served_too(client):
    ask = f"PREFIX dcat: <http://www.w3.org/ns/dcat#> ASK {{ <{B}dataset/unioni> a dcat:Dataset }}"
    assert json.loads(_get(client, ask, JSON_RESULTS).text)["boolean"] is True
    concept = rdflib.URIRef("https://w3id.org/lod-unioni/vocab/services/polizia-locale")
    label = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    vocabulary = rdflib.Graph().parse(REPO / "ontology" / "vocabularies" / "services" / "services.ttl")
    r = client.get("/lod-unioni/vocab/services/polizia-locale.ttl")
    assert r.status_code == 200
    served = rdflib.Graph().parse(data=r.text, format="turtle")
    assert set(served.objects(concept, label)) == set(vocabulary.objects(concept, label)) != set()


def test_the_catalog_document_keeps_the_datatypes_of_the_catalog(client):
    # output/catalog.ttl types every dcat:byteSize as xsd:nonNegativeInteger (DCAT-AP 3); a store
    # would give them back as xsd:integer: the documents must say what the file says
    r = client.get("/lod-unioni/data/catalog.ttl")
    assert r.status_code == 200
    served = rdflib.Graph().parse(data=r.text, format="turtle")
    sizes = list(served.objects(None, rdflib.URIRef("http://www.w3.org/ns/dcat#byteSize")))
    written = list(
        rdflib.Graph().parse(OUTPUT / "catalog.ttl").objects(None, rdflib.URIRef("http://www.w3.org/ns/dcat#byteSize"))
    )
    assert len(sizes) == len(written) >= 3
    assert {s.datatype for s in sizes} == {rdflib.XSD.nonNegativeInteger}


def test_serve_starts_in_a_folder_whose_modules_shadow_the_standard_library(tmp_path):
    # the console script, started in a folder with a json.py (as a user's working folder may have):
    # neither the server nor its query workers may import it
    (tmp_path / "json.py").write_text("raise ImportError('the json.py of the working folder')\n")
    script = Path(sys.executable).with_name("lod-unioni")
    process = subprocess.Popen(
        [str(script), "serve", str(OUTPUT), "--port", "0", "--no-prerender"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen = ""
        deadline = time.monotonic() + 60
        while "/sparql" not in seen and process.poll() is None and time.monotonic() < deadline:
            seen += process.stderr.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+)/sparql", seen)
        assert url, seen
        answer = httpx.get(url.group(1) + "/sparql", params={"query": "ASK {}"}, headers={"Accept": JSON_RESULTS})
        assert answer.status_code == 200 and answer.json()["boolean"] is True
    finally:
        process.terminate()
        process.wait(timeout=10)
