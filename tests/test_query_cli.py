"""``lod-unioni query``: listing, formats, parameters, exit codes and remote behaviour.

Remote behaviour that a real Oxigraph server cannot show (credentials, timeouts, HTTP errors)
is tested against a small stub endpoint on a loopback port that records what it receives.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pyoxigraph
import pytest
from conftest import FIXTURES_DIR
from hostile_server import HostileServer, endless, redirect, send, trickle

from lod_unioni.cli import main
from lod_unioni.query import list_queries

FIXTURES = FIXTURES_DIR / "queries"
GRAPH = str(FIXTURES / "graph.ttl")
ECHO = str(FIXTURES / "echo.rq")


def cli(capsys, *argv):
    code = main(["query", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    """The error is one line, the last on stderr (progress lines such as '- querying' may precede it)."""
    lines = err.strip().splitlines()
    errors = [line for line in lines if line.startswith("lod-unioni: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], err
    assert all(line.startswith("- ") for line in lines[:-1]), err
    return errors[0]


# ------------------------------------------------------------------------------- listing


def test_list_shows_every_query_in_english_and_italian(capsys):
    code, out, _ = cli(capsys, "--list")
    assert code == 0
    for info in list_queries():
        assert info.name in out and info.title_en in out and info.title_it in out
    assert "Unioni di Comuni di una regione" in out and "Unions of a region" in out
    wikidata = out[out.index("wikidata-comuni") :]
    assert "needs --endpoint" in wikidata
    assert "--param region=… (xsd:string, default 'Abruzzo')" in out


def test_list_as_json(capsys):
    code, out, _ = cli(capsys, "--list", "--format", "json")
    assert code == 0
    listing = {q["name"]: q for q in json.loads(out)}
    assert len(listing) >= 12
    assert listing["union-members"]["params"] == [
        {
            "name": "union",
            "type": "xsd:string",
            "default": "Unione dei Miracoli",
            "description": "the union's IPA code, its code in the Ministry of the Interior register "
            "(CODICE UNIONE, for a union with no IPA code) or its full name (case-insensitive)",
        }
    ]
    assert listing["wikidata-comuni"]["requires_remote"] is True
    assert listing["check-density"]["title"]["it"].startswith("Controllo")


# ------------------------------------------------------------------------------- local runs


def test_table_with_parameter(capsys):
    code, out, err = cli(capsys, "union-members", "--data", GRAPH, "--param", "union=ull")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["union", "unionIri", "unionName", "comune", "name"]
    assert len(lines) == 2 + 9
    assert "data:union/ull" in lines[2] and "Castelluccio Inferiore" in lines[2] and "1947" in lines[2]
    assert "union-members: 9 row(s)" in err


def test_csv_json_tsv_parse_back(capsys):
    _, out_csv, _ = cli(capsys, "unions-by-region", "--data", GRAPH, "--param", "region=Basilicata", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out_csv, newline="")))
    assert [(r["ipaCode"], r["comuni"], r["population"]) for r in table] == [
        ("ull", "9", "34908"),
        ("usg_test", "3", "17917"),
    ]
    _, out_json, _ = cli(capsys, "unions-by-region", "--data", GRAPH, "--param", "region=17", "--format", "json")
    bindings = json.loads(out_json)["results"]["bindings"]
    assert [b["population"] for b in bindings] == [
        {"type": "literal", "value": "34908", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
        {"type": "literal", "value": "17917", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
    ]
    _, out_tsv, _ = cli(capsys, "unions-by-region", "--data", GRAPH, "--param", "region=17", "--format", "tsv")
    parsed = list(pyoxigraph.parse_query_results(out_tsv, pyoxigraph.QueryResultsFormat.TSV))
    assert [s["ipaCode"].value for s in parsed] == ["ull", "usg_test"]
    assert parsed[0]["name"] == pyoxigraph.Literal("Unione dei Comuni Lucani del Lagonegrese", language="it")


def test_parameter_value_may_contain_equals_and_quotes(capsys):
    value = 'a=b "c" } ; DROP ALL'
    code, out, _ = cli(capsys, ECHO, "--data", GRAPH, "--param", f"value={value}", "--format", "json")
    assert code == 0
    (b,) = json.loads(out)["results"]["bindings"]
    assert b["value"]["value"] == value and b["length"]["value"] == str(len(value))


def test_default_data_is_the_dump_in_the_configured_output_folder(capsys, tmp_path, monkeypatch):
    (tmp_path / "dumps").mkdir()
    (tmp_path / "dumps" / "unioni.ttl").write_bytes(Path(GRAPH).read_bytes())
    (tmp_path / "lod-unioni.toml").write_text('out = "dumps"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli(capsys, "check-number-of-comuni", "--format", "csv")
    assert code == 0
    assert out.splitlines()[1].split(",")[1:] == ["usv_test", "Unione Sintetica del Vastese", "4", "3"]


def test_missing_default_dump(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, "union-list")
    assert code == 2
    line = one_line_error(err)
    assert "output/unioni.ttl" in line and "lod-unioni build" in line


@pytest.fixture()
def consistent_graph(tmp_path) -> str:
    store = pyoxigraph.Store()
    store.load(path=GRAPH, format=pyoxigraph.RdfFormat.TURTLE)
    store.update("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (CONTAINS(STR(?s), '_test')) }")
    path = tmp_path / "consistent.nt"
    store.dump(path, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    return str(path)


def test_fail_on_results_for_checks_in_ci(capsys, consistent_graph):
    code, _, _ = cli(capsys, "check-density", "--data", GRAPH, "--fail-on-results")
    assert code == 1
    code, _, _ = cli(capsys, "check-density", "--data", GRAPH)
    assert code == 0
    for name in ("check-density", "check-population-total", "check-members-outside-region"):
        code, out, _ = cli(capsys, name, "--data", consistent_graph, "--fail-on-results", "--format", "csv")
        assert code == 0 and len(out.splitlines()) == 1, name  # header only


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["wikidata-comuni", "--data", GRAPH], "needs a remote SPARQL endpoint"),
        (["no-such-query"], "unknown query 'no-such-query'"),
        (["union-members", "--data", GRAPH, "--param", "colour=red"], "unknown parameter 'colour'"),
        (["union-members", "--data", GRAPH, "--param", "union"], "expected --param NAME=VALUE"),
        (["union-members", "--data", GRAPH, "--param", "union=a", "--param", "union=b"], "given twice"),
        ([ECHO, "--data", GRAPH], "missing required parameter: give --param value=VALUE"),
        ([ECHO, "--data", GRAPH, "--param", "value=x", "--param", "number=seven"], "must be an integer"),
        (["union-list", "--data", GRAPH, "--endpoint", "http://127.0.0.1:9/q"], "either --data or --endpoint"),
        (["union-list", "--endpoint", "ftp://example.org/sparql"], "not an http(s) URL"),
        (["union-list", "--timeout", "0", "--data", GRAPH], "positive number of seconds"),
        (["union-list", "--data", "missing.ttl"], "missing.ttl: data file not found"),
        (["union-list", "--data", "graph.xyz"], "unknown RDF format"),
        ([], "give a query NAME or FILE"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, argv, fragment):
    code, out, err = cli(capsys, *argv)
    assert code == 2 and out == ""
    assert fragment in one_line_error(err)


def test_bad_syntax_and_unreadable_data(capsys, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# @title@en: broken\nSELECT ?x WHERE { ?x ?p ?o ?q }\n", encoding="utf-8")
    code, _, err = cli(capsys, str(bad), "--data", GRAPH)
    assert code == 2
    assert re.search(re.escape(f"{bad}: SPARQL syntax error at ") + r"\d+:\d+: expected", one_line_error(err))
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <urn:x:> .\nx:a x:b .\n", encoding="utf-8")
    code, _, err = cli(capsys, "union-list", "--data", str(broken))
    assert code == 2 and f"{broken}: not valid" in one_line_error(err)


# ------------------------------------------------------------------------------- remote (stub endpoint)

ANSWER = {
    "head": {"vars": ["x", "n"]},
    "results": {
        "bindings": [
            {
                "x": {"type": "literal", "value": "ok", "xml:lang": "it"},
                "n": {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
            },
            {"x": {"type": "uri", "value": "https://example.org/a"}},
        ]
    },
}


class _Stub(BaseHTTPRequestHandler):
    requests: ClassVar[list] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
        self.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if self.path.startswith("/slow"):
            time.sleep(2.5)
        if self.path.startswith("/bad"):
            return self._send(400, "text/plain", b"Parse error at 3:7: unexpected token")
        if self.path.startswith("/auth"):
            return self._send(401, "text/plain", b"who are you?")
        if self.path.startswith("/boom"):
            return self._send(503, "text/plain", b"down for maintenance")
        self._send(200, "application/sparql-results+json", json.dumps(ANSWER).encode())

    def _send(self, status, ctype, payload):
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def received():
    _Stub.requests.clear()
    return _Stub.requests


def _sent_query(request) -> str:
    return urllib.parse.parse_qs(request["body"])["query"][0]


def test_remote_results_and_values_binding(capsys, stub, received, monkeypatch):
    monkeypatch.delenv("LOD_UNIONI_SPARQL_USER", raising=False)
    attack = 'Abruzzo" } ; DROP ALL ; {'
    code, out, _ = cli(
        capsys, "unions-by-region", "--endpoint", stub + "/ok", "--param", f"region={attack}", "--format", "json"
    )
    assert code == 0
    assert json.loads(out) == ANSWER  # terms survive the round trip
    (request,) = received
    assert "Authorization" not in request["headers"]
    sent = _sent_query(request)
    assert '  VALUES (?region) { ("Abruzzo\\" } ; DROP ALL ; {") }\n' in sent
    assert sent.index("VALUES (?region)") > sent.index("WHERE {")
    assert attack not in sent  # never pasted raw
    assert "application/sparql-results+json" in request["headers"]["Accept"]


def test_remote_credentials_come_from_the_environment(capsys, stub, received, monkeypatch):
    monkeypatch.setenv("LOD_UNIONI_SPARQL_USER", "steward")
    monkeypatch.setenv("LOD_UNIONI_SPARQL_PASSWORD", "s3cret-pw")
    code, out, err = cli(capsys, "union-list", "--endpoint", stub + "/ok")
    assert code == 0
    (request,) = received
    assert request["headers"]["Authorization"] == "Basic " + base64.b64encode(b"steward:s3cret-pw").decode()
    assert "s3cret-pw" not in out + err
    code, _, err = cli(capsys, "union-list", "--endpoint", stub + "/auth")
    assert code == 2
    line = one_line_error(err)
    assert "HTTP 401" in line and "LOD_UNIONI_SPARQL_USER" in line and "s3cret-pw" not in line


def test_credentials_in_the_url_are_refused(capsys, stub, received):
    code, _, err = cli(capsys, "union-list", "--endpoint", stub.replace("http://", "http://me:pw123@") + "/ok")
    assert code == 2 and received == []
    line = one_line_error(err)
    assert "LOD_UNIONI_SPARQL_PASSWORD" in line and "pw123" not in line


def test_remote_timeout(capsys, stub, received):
    started = time.monotonic()
    code, _, err = cli(capsys, "union-list", "--endpoint", stub + "/slow", "--timeout", "1")
    assert time.monotonic() - started < 2.4
    assert code == 2 and "did not answer within 1 s" in one_line_error(err)


@pytest.mark.parametrize(
    "path, fragment",
    [
        ("/bad", "rejected the query as malformed: Parse error at 3:7: unexpected token"),
        ("/boom", "answered HTTP 503"),
    ],
)
def test_remote_http_errors(capsys, stub, received, path, fragment):
    code, _, err = cli(capsys, "union-list", "--endpoint", stub + path)
    assert code == 2 and fragment in one_line_error(err)


def test_unreachable_endpoint(capsys):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = cli(capsys, "union-list", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "5")
    assert code == 2 and "cannot reach endpoint" in one_line_error(err)


def test_federated_query_is_sent_with_its_service_clause(capsys, stub, received):
    code, _, _ = cli(capsys, "wikidata-comuni", "--endpoint", stub + "/ok", "--param", "union=ull")
    assert code == 0
    sent = _sent_query(received[0])
    assert "SERVICE <https://query.wikidata.org/sparql>" in sent and 'VALUES (?union) { ("ull") }' in sent


# ------------------------------------------------------------------------------- secrets and limits
# A local server that redirects, trickles or never ends, and records what it receives.

ANSWER_BODY = json.dumps(ANSWER).encode()


@pytest.fixture()
def steward(monkeypatch):
    monkeypatch.setenv("LOD_UNIONI_SPARQL_USER", "steward")
    monkeypatch.setenv("LOD_UNIONI_SPARQL_PASSWORD", "s3cret-pw")
    return "Basic " + base64.b64encode(b"steward:s3cret-pw").decode()


def test_a_redirect_that_turns_the_query_into_a_get_is_an_error(capsys, steward):
    """urllib follows a 302 after a POST with a GET that has no query, and with the credentials:
    the other origin answered it and the tool said '2 row(s)', exit 0."""
    with HostileServer() as there, HostileServer() as here:
        there.route("/sparql", lambda h: send(h, 200, ANSWER_BODY, "application/sparql-results+json"))
        here.route("/sparql", redirect(there.url + "/sparql", status=302))
        code, out, err = cli(capsys, "union-list", "--endpoint", here.url + "/sparql")
        assert there.requests == []
    assert code == 2 and out == ""
    line = one_line_error(err)
    assert f"redirected (HTTP 302) to {there.url}/sparql as a GET, which would drop the query" in line
    assert "s3cret-pw" not in err


def test_credentials_stay_on_their_origin_across_redirects(capsys, steward):
    """A 307 keeps the POST and its query: followed within the origin with the credentials, to
    another origin without them."""
    with HostileServer() as there, HostileServer() as here:
        there.route("/sparql", lambda h: send(h, 200, ANSWER_BODY, "application/sparql-results+json"))
        here.route("/old", redirect(here.url + "/moved", status=308))
        here.route("/moved", redirect(there.url + "/sparql", status=307))
        code, _, err = cli(capsys, "union-list", "--endpoint", here.url + "/old")
        assert code == 0, err
        assert [r.headers.get("Authorization") for r in here.requests] == [steward, steward]
        (request,) = there.requests
    assert request.method == "POST" and "Authorization" not in request.headers
    assert request.headers["Host"] == there.url.removeprefix("http://")
    assert (
        "union-list" not in request.body.decode()
        and "SELECT" in urllib.parse.parse_qs(request.body.decode())["query"][0]
    )


def test_a_password_in_the_endpoint_url_is_never_echoed(capsys, stub, received):
    code, _, err = cli(capsys, "union-list", "--endpoint", stub.replace("http://", "http://me:pw123@") + "/ok")
    assert code == 2 and received == []
    assert "pw123" not in err and "me:" not in err


def test_the_endpoint_is_shown_without_its_query_values(capsys, stub, received):
    code, _, err = cli(capsys, "union-list", "--endpoint", stub + "/ok?key=SECRET")
    assert code == 0 and "SECRET" not in err and f"{stub}/ok?key=***" in err


def test_an_endless_answer_stops_at_the_size_limit(capsys):
    with HostileServer() as server:
        server.route("/sparql", endless(b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b"{}," * 100000))
        started = time.monotonic()
        code, _, err = cli(capsys, "union-list", "--endpoint", server.url + "/sparql", "--max-size", "1")
        assert time.monotonic() - started < 5
    assert code == 2 and "the answer is larger than 1 MB (--max-size)" in one_line_error(err)


def test_a_trickling_endpoint_stops_at_the_timeout(capsys):
    with HostileServer() as server:
        server.route("/sparql", trickle(ANSWER_BODY, every=0.05))  # 8 s for the whole answer
        started = time.monotonic()
        code, _, err = cli(capsys, "union-list", "--endpoint", server.url + "/sparql", "--timeout", "1")
        assert time.monotonic() - started < 2.5
    assert code == 2 and "did not answer within 1 s (--timeout)" in one_line_error(err)


def test_rows_are_limited_remotely_and_locally(capsys, stub, received):
    code, _, err = cli(capsys, "union-list", "--endpoint", stub + "/ok", "--max-rows", "1")
    assert code == 2 and "more than 1 rows (--max-rows)" in one_line_error(err)
    code, _, err = cli(capsys, "union-members", "--data", GRAPH, "--param", "union=ull", "--max-rows", "8")
    assert code == 2 and "more than 8 rows (--max-rows)" in one_line_error(err)
    code, out, _ = cli(capsys, "union-members", "--data", GRAPH, "--param", "union=ull", "--max-rows", "9")
    assert code == 0 and len(out.splitlines()) == 2 + 9


@pytest.fixture(scope="module")
def many_triples(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("big") / "many.nt"
    path.write_text("".join(f'<urn:x:s{i}> <urn:x:p> "{i}" .\n' for i in range(3000)), encoding="utf-8")
    return str(path)


def test_a_local_cartesian_product_stops_at_the_timeout(capsys, tmp_path, many_triples):
    """Without --endpoint the timeout was ignored: 3000^3 combinations ran for minutes."""
    q = tmp_path / "product.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n", encoding="utf-8")
    started = time.monotonic()
    code, out, err = cli(capsys, str(q), "--data", many_triples, "--timeout", "1")
    assert time.monotonic() - started < 4
    assert code == 2 and out == ""
    assert one_line_error(err) == f"lod-unioni: error: {q}: the query did not finish within 1 s (--timeout)"


def test_a_local_query_stops_at_its_memory_limit(capsys, tmp_path, many_triples):
    q = tmp_path / "sorted.rq"
    q.write_text("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c\n", encoding="utf-8")
    code, out, err = cli(capsys, str(q), "--data", many_triples, "--max-memory", "300", "--timeout", "20")
    assert code == 2 and out == ""
    assert "the query needed more than 300 MB of memory (--max-memory)" in one_line_error(err)


def test_a_comment_never_turns_a_query_into_an_update(capsys, stub, received, tmp_path):
    """SPARQLWrapper read "dropped" in a comment as DROP and sent the query as update=..."""
    query = tmp_path / "q.rq"
    query.write_text(
        "# Every union.\n# No union is dropped from the graph.\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n",
        encoding="utf-8",
    )
    code, _, err = cli(capsys, str(query), "--endpoint", stub + "/ok")
    assert code == 0, err
    (request,) = received
    body = urllib.parse.parse_qs(request["body"])
    assert "update" not in body and body["query"][0].startswith("# Every union.")
