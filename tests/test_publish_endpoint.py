"""``lod-unioni publish --endpoint``: the dumps into real triple stores, a writable ``oxigraph serve``
and Virtuoso (Debian's virtuoso-opensource), with the Graph Store Protocol and with SPARQL Update;
what the store holds afterwards is read back and compared with the dump, triple by triple."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
import rdflib
import virtuoso_server
from conftest import REPO, B
from hostile_server import HostileServer, ok, send, silent
from oxigraph_server import OxigraphServer, free_port
from rdflib.compare import isomorphic
from virtuoso_server import SETUP_SCRIPT, VirtuosoServer, require_virtuoso

from lod_unioni.cli import main

pytestmark = pytest.mark.server

DUMP = REPO / "output" / "unioni.nt"
DATASET = str(B["dataset/unioni"])
USER_ENV, PASSWORD_ENV = "LOD_UNIONI_ENDPOINT_USER", "LOD_UNIONI_ENDPOINT_PASSWORD"

# Lines of output/unioni.nt picked by hand: a name, a decimal, a text with accents and new lines.
PICKED = [
    '<https://w3id.org/lod-unioni/data/union/udm_069> <http://www.w3.org/2000/01/rdf-schema#label> "Unione dei Miracoli"@it .',
    "<https://w3id.org/lod-unioni/data/union/udm_069/indicator/surface-area/stated/value> "
    '<https://w3id.org/italia/onto/MU/value> "122.56"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
    "<https://w3id.org/lod-unioni/data/union/udm_069/intervention/italiae/section/percorso-di-trasformazione-digitale> "
    '<https://w3id.org/italia/onto/l0/description> "I Comuni hanno intrapreso il percorso di trasformazione digitale '
    "con un primo livello di integrazione sulle piattaforme nazionali, che ancora non si esprime compiutamente in un "
    "ventaglio di servizi on line esteso e ad alto livello di interattività.\\n\\nNel breve periodo, tuttavia, è atteso "
    'un salto in avanti, conseguenza degli investimenti sulle misure PNRR."@it .',
]

# Another content for the same graph: blank nodes in a chain (one group) and alone, a literal to escape.
OTHER = """\
<http://example.org/a> <http://example.org/p> _:x .
_:x <http://example.org/p> _:y .
_:y <http://example.org/q> "quote \\" and \\\\ and\\nline"@it .
_:z <http://example.org/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://example.org/a> <http://example.org/r> "città" .
"""


_CONFIG: list[str] = []  # --config FILE: the settings with a publisher (publish requires one)


@pytest.fixture(autouse=True)
def _with_a_publisher(publisher_config):
    _CONFIG[:] = ["--config", str(publisher_config)]


def publish(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*_CONFIG, "publish", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_publish_needs_the_publisher_of_the_data(capsys):
    # no settings (no lod-unioni.toml where the tests run): refused before anything is sent
    code = main(["publish", "--endpoint", "http://127.0.0.1:9/query"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "publisher.ipa" in err[0] and "'lod-unioni publish' needs the publisher of the data" in err[0]


def _post(endpoint: str, query: str, accept: str) -> bytes:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(endpoint, data=body, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.read()


def store_graph(endpoint: str, graph: str) -> rdflib.Graph:
    """What the store holds in ``graph``, read back with a CONSTRUCT as N-Triples."""
    data = _post(
        endpoint, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "application/n-triples"
    )
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


def store_graphs(endpoint: str) -> set[str]:
    """The named graphs of the store that hold triples."""
    answer = json.loads(
        _post(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+json")
    )
    return {row["g"]["value"] for row in answer["results"]["bindings"]}


def holds(endpoint: str, graph: str, line: str) -> bool:
    answer = _post(endpoint, f"ASK {{ GRAPH <{graph}> {{ {line} }} }}", "application/sparql-results+json")
    return json.loads(answer)["boolean"]


def file_graph(path) -> rdflib.Graph:
    return rdflib.Graph().parse(str(path), format="nt")


@pytest.fixture(scope="module")
def oxigraph():
    with OxigraphServer([], writable=True) as server:
        yield server


@pytest.fixture
def other(tmp_path):
    path = tmp_path / "other.nt"
    path.write_text(OTHER, encoding="utf-8")
    return path


def test_the_picked_lines_are_in_the_dump():
    lines = set(DUMP.read_text(encoding="utf-8").splitlines())
    assert all(line in lines for line in PICKED)


# ------------------------------------------------------------------------------------- Oxigraph


def test_gsp_puts_the_dump_into_the_dataset_graph(oxigraph, capsys):
    code, out, err = publish(capsys, "--endpoint", oxigraph.endpoint, "--data", str(DUMP))
    assert code == 0, err
    assert out == ""  # progress and the summary go to stderr
    assert "PUT " + oxigraph.store_endpoint in err and "Graph Store Protocol" in err
    assert f"graph <{DATASET}>" in err and "953 triples" in err
    assert isomorphic(store_graph(oxigraph.endpoint, DATASET), file_graph(DUMP))
    assert all(holds(oxigraph.endpoint, DATASET, line) for line in PICKED)


def test_a_second_gsp_publish_replaces_the_graph(oxigraph, capsys, other):
    graph = "http://example.org/graph/gsp"
    assert publish(capsys, "--endpoint", oxigraph.endpoint, "--data", str(DUMP), "--graph", graph)[0] == 0
    code, _, err = publish(capsys, "--endpoint", oxigraph.endpoint, "--data", str(other), "--graph", graph)
    assert code == 0, err
    assert isomorphic(store_graph(oxigraph.endpoint, graph), file_graph(other))  # blank nodes kept


def test_update_batches_replace_the_graph_and_keep_blank_node_groups(oxigraph, capsys, other):
    graph = "http://example.org/graph/update"
    update = ("--endpoint", oxigraph.endpoint, "--graph", graph, "--method", "update")
    # one triple per batch: the three triples that share _:x and _:y must still go together
    code, _, err = publish(capsys, *update, "--data", str(other), "--batch-size", "1")
    assert code == 0, err
    assert isomorphic(store_graph(oxigraph.endpoint, graph), file_graph(other))
    code, _, err = publish(capsys, *update, "--data", str(DUMP), "--batch-size", "100")
    assert code == 0, err
    assert "SPARQL Update at " + oxigraph.update_endpoint in err
    assert "batch 10: 953 of 953 triples (100 %)" in err
    assert isomorphic(store_graph(oxigraph.endpoint, graph), file_graph(DUMP))
    assert all(holds(oxigraph.endpoint, graph, line) for line in PICKED)
    assert graph in store_graphs(oxigraph.endpoint)
    assert not any(g.startswith("urn:") for g in store_graphs(oxigraph.endpoint))  # no staging graph left


def _forwarder(oxigraph):
    """A store's SPARQL endpoint without the Graph Store Protocol: POSTs forwarded to Oxigraph."""

    def answer(h):
        received = h.server.requests[-1]
        kind = received.headers.get("Content-Type", "")
        target = oxigraph.update_endpoint if kind.startswith("application/sparql-update") else oxigraph.endpoint
        headers = {"Content-Type": kind, "Accept": received.headers.get("Accept", "*/*")}
        request = urllib.request.Request(target, data=received.body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=30) as reply:
            send(h, reply.status, reply.read(), reply.headers.get("Content-Type", "text/plain"))

    return answer


def test_auto_falls_back_to_update_when_the_derived_gsp_is_absent(oxigraph, capsys):
    graph = "http://example.org/graph/fallback"
    with HostileServer() as store:
        endpoint = store.route("/sparql", _forwarder(oxigraph))
        code, _, err = publish(capsys, "--endpoint", endpoint, "--graph", graph, "--data", str(DUMP))
        assert code == 0, err
        assert f"no Graph Store Protocol at {store.url}/sparql-graph-crud (HTTP 404)" in err
        assert [r.method for r in store.requests if r.path.startswith("/sparql-graph-crud")] == ["HEAD", "PUT"]
    assert isomorphic(store_graph(oxigraph.endpoint, graph), file_graph(DUMP))
    with HostileServer() as store:  # the same store, --method gsp: an error, no fallback
        endpoint = store.route("/sparql", _forwarder(oxigraph))
        code, _, err = publish(capsys, "--endpoint", endpoint, "--method", "gsp", "--data", str(DUMP))
        assert code == 2 and "no Graph Store Protocol there; give its URL with --gsp, or --method update" in err


@pytest.mark.parametrize(
    "endpoint, update, gsp",
    [
        ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),  # Oxigraph
        ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),  # Virtuoso
        ("http://h:8890/sparql-auth/", "http://h:8890/sparql-auth/", "http://h:8890/sparql-graph-crud-auth"),
        (
            "http://h:7200/repositories/unioni",  # GraphDB, RDF4J
            "http://h:7200/repositories/unioni/statements",
            "http://h:7200/repositories/unioni/rdf-graphs/service",
        ),
        ("http://h:3030/unioni", "http://h:3030/unioni", "http://h:3030/unioni"),  # Fuseki's dataset URL
        ("https://h/api/query?key=1", "https://h/api/update?key=1", "https://h/api/store?key=1"),
    ],
)
def test_the_update_and_gsp_endpoints_derived_from_the_query_endpoint(endpoint, update, gsp):
    from lod_unioni.store import endpoints_for

    derived = endpoints_for(endpoint)
    assert (derived.query, derived.update, derived.gsp, derived.gsp_given) == (endpoint, update, gsp, False)
    given = endpoints_for(endpoint, update="http://u/x", gsp="http://g/y")
    assert (given.update, given.gsp, given.gsp_given) == ("http://u/x", "http://g/y", True)


# ------------------------------------------------------------------------------------- failures


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_a_count_that_differs_from_the_dump_exits_2_with_both_numbers(capsys):
    count = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "950"}}]}}
    with HostileServer() as store:
        store.route("/store", ok(b""))
        endpoint = store.route("/query", ok(json.dumps(count).encode(), "application/sparql-results+json"))
        code, _, err = publish(capsys, "--endpoint", endpoint, "--data", str(DUMP))
    assert code == 2
    assert f"the store holds 950 triples in graph <{DATASET}>, the dumps 953" in _one_error_line(err)


def test_unreachable_store_and_timeout(capsys):
    port = free_port()
    code, _, err = publish(
        capsys, "--endpoint", f"http://127.0.0.1:{port}/query", "--data", str(DUMP), "--timeout", "10"
    )
    assert code == 2 and "Connection refused" in _one_error_line(err)
    with HostileServer() as store:
        store.route("/store", silent(3))
        endpoint = store.url + "/query"
        code, _, err = publish(capsys, "--endpoint", endpoint, "--data", str(DUMP), "--timeout", "0.5")
    assert code == 2 and "did not answer a HEAD of the graph within 0.5 s (--timeout)" in _one_error_line(err)


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--endpoint", "http://me:hunter2@127.0.0.1:9/query"], f"set {USER_ENV} and {PASSWORD_ENV} instead"),
        (["--endpoint", "http://127.0.0.1:9/query", "--gsp", "http://me:hunter2@h/x"], "field --gsp: do not put"),
        (["--endpoint", "ftp://127.0.0.1/query"], "is not an http(s) URL"),
        (["--endpoint", "http://127.0.0.1:9/query", "--graph", "not an iri"], "field --graph: 'not an iri' is not"),
        (["--endpoint", "http://127.0.0.1:9/query", "--batch-size", "0"], "field --batch-size: must be positive"),
    ],
)
def test_bad_usage_exits_2_with_one_line(capsys, argv, fragment):
    code, _, err = publish(capsys, *argv, "--data", str(DUMP))
    assert code == 2 and fragment.replace("must be positive", "must be a positive") in _one_error_line(err)
    assert "hunter2" not in err


def test_bad_dumps_exit_2_naming_the_file(capsys, tmp_path):
    empty = tmp_path / "empty.nt"
    empty.write_text("# nothing\n", encoding="utf-8")
    broken = tmp_path / "broken.nt"
    broken.write_text('<http://a> <http://b> "open .\n', encoding="utf-8")
    (tmp_path / "x.csv").write_text("a,b\n", encoding="utf-8")
    cases = [
        (["--data", str(empty)], f"{empty}: no triples to upload"),
        (["--data", str(broken)], f"{broken}:1: not valid N-Triples"),
        (["--out", str(tmp_path)], f"{tmp_path / 'unioni.nt'}: file not found; run 'lod-unioni build' first"),
        (["--data", str(tmp_path / "x.csv")], "unknown RDF format .csv"),
    ]
    for argv, fragment in cases:
        code, _, err = publish(capsys, "--endpoint", "http://127.0.0.1:9/query", *argv)
        assert code == 2 and fragment in _one_error_line(err), (argv, err)
    code, _, err = publish(capsys, "--endpoint", "http://127.0.0.1:9/query", "--data", str(_no_dataset(tmp_path)))
    assert code == 2 and "the dumps describe no dataset (void:dataDump): give --graph IRI" in err


def _no_dataset(tmp_path):
    path = tmp_path / "plain.nt"
    path.write_text("<http://a> <http://b> <http://c> .\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------- Virtuoso


@pytest.fixture(scope="session")
def virtuoso():
    require_virtuoso()
    with VirtuosoServer() as server:
        yield server


def test_without_virtuoso_the_tests_fail_under_ci_and_skip_elsewhere(monkeypatch):
    monkeypatch.setattr(virtuoso_server, "virtuoso_programs", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=f"run {SETUP_SCRIPT}"):
        require_virtuoso()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=f"run {SETUP_SCRIPT}"):
        require_virtuoso()


@pytest.fixture
def publisher(virtuoso, monkeypatch):
    monkeypatch.setenv(USER_ENV, virtuoso.user)
    monkeypatch.setenv(PASSWORD_ENV, virtuoso.password)
    return virtuoso


def _no_secret(virtuoso, *texts: str) -> None:
    for text in texts:
        assert virtuoso.password not in text


@pytest.mark.xdist_group("virtuoso")
def test_virtuoso_gsp_with_digest_replaces_the_graph(publisher, capsys, other):
    v = publisher
    code, out, err = publish(capsys, "--endpoint", v.endpoint, "--data", str(other), "--graph", DATASET)
    assert code == 0, err
    assert isomorphic(store_graph(v.public_endpoint, DATASET), file_graph(other))
    code, out2, err2 = publish(capsys, "--endpoint", v.endpoint, "--data", str(DUMP))
    assert code == 0, err2
    assert "PUT " + v.gsp in err2 and "Graph Store Protocol" in err2
    assert isomorphic(store_graph(v.public_endpoint, DATASET), file_graph(DUMP))
    assert all(holds(v.public_endpoint, DATASET, line) for line in PICKED)
    _no_secret(v, out, err, out2, err2)


@pytest.mark.xdist_group("virtuoso")
def test_virtuoso_update_batches_replace_the_graph(publisher, capsys, other):
    v = publisher
    graph = "http://example.org/graph/virtuoso-update"
    update = ("--endpoint", v.endpoint, "--graph", graph, "--method", "update")
    code, out, err = publish(capsys, *update, "--data", str(DUMP), "--batch-size", "200")
    assert code == 0, err
    assert "SPARQL Update at " + v.endpoint in err and "batch 5: 953 of 953 triples (100 %)" in err
    assert isomorphic(store_graph(v.public_endpoint, graph), file_graph(DUMP))
    code, out2, err2 = publish(capsys, *update, "--data", str(other), "--batch-size", "2")
    assert code == 0, err2
    assert isomorphic(store_graph(v.public_endpoint, graph), file_graph(other))
    assert not any(g.startswith("urn:lod-unioni:") for g in store_graphs(v.public_endpoint))
    _no_secret(v, out, err, out2, err2)


@pytest.mark.xdist_group("virtuoso")
def test_virtuoso_refuses_a_wrong_or_missing_password(virtuoso, capsys, monkeypatch):
    monkeypatch.setenv(USER_ENV, virtuoso.user)
    monkeypatch.setenv(PASSWORD_ENV, virtuoso.password + "-wrong")
    for method in ("gsp", "update"):
        code, out, err = publish(capsys, "--endpoint", virtuoso.endpoint, "--method", method, "--data", str(DUMP))
        assert code == 2
        assert f"refused the credentials of {USER_ENV}={virtuoso.user} (HTTP 401)" in _one_error_line(err)
        assert virtuoso.password not in out + err
    monkeypatch.delenv(USER_ENV)
    monkeypatch.delenv(PASSWORD_ENV)
    code, _, err = publish(capsys, "--endpoint", virtuoso.endpoint, "--data", str(DUMP))
    assert code == 2
    assert f"asks for credentials (HTTP 401): set {USER_ENV} and {PASSWORD_ENV}" in _one_error_line(err)
