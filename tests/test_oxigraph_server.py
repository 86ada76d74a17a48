"""Every bundled query against a real Oxigraph SPARQL server gives the same answers as locally.

One ``oxigraph serve-read-only`` per module (see tests/oxigraph_server.py) serves the hand-written
test graph; a second one serves output/unioni.ttl once it has been built.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES_DIR, REPO
from oxigraph_server import OxigraphServer

from lod_unioni.cli import main
from lod_unioni.errors import LodError
from lod_unioni.query import format_result, list_queries, load_query, load_store, run_query

pytestmark = pytest.mark.server

FIXTURES = FIXTURES_DIR / "queries"
GRAPH = FIXTURES / "graph.ttl"
REAL_DUMP = REPO / "output" / "unioni.ttl"

LOCAL_QUERIES = [i.name for i in list_queries() if not i.requires_remote]
OTHER_PARAMS = {
    "region": "Basilicata",
    "union": "ull",
    "service": "polizia-locale",
    "status": "active",
    "measure": "1.4.4",
}
#: where the test graph has nothing for OTHER_PARAMS (no comune of the Lagonegrese renounced a project)
OTHER_PARAMS_OF = {"pnrr-renounced-projects": {"union": "usg_test"}}


@pytest.fixture(scope="module")
def server():
    with OxigraphServer([GRAPH]) as srv:
        yield srv


@pytest.fixture(scope="module")
def store():
    return load_store([GRAPH])


def test_server_is_on_loopback_and_read_only(server):
    assert server.endpoint.startswith("http://127.0.0.1:")
    assert server.process.poll() is None
    assert run_query("ASK { ?s ?p ?o }", endpoint=server.endpoint).boolean is True
    with pytest.raises(LodError):  # serve-read-only has no update endpoint on /query
        run_query("DROP ALL", endpoint=server.endpoint)


@pytest.mark.parametrize("name", LOCAL_QUERIES)
def test_bundled_query_same_answer_remote_and_local(server, store, name):
    query = load_query(name)
    local = run_query(query, store=store)
    remote = run_query(query, endpoint=server.endpoint, timeout=20)
    assert remote.variables == local.variables
    assert remote.rows == local.rows
    assert len(local) > 0  # every bundled query finds something on the test graph
    if query.info.params:
        params = {p.name: OTHER_PARAMS_OF.get(name, OTHER_PARAMS)[p.name] for p in query.info.params}
        local = run_query(query, store=store, params=params)
        remote = run_query(query, endpoint=server.endpoint, params=params, timeout=20)
        assert remote.rows == local.rows and len(local) > 0


def test_remote_answers_are_the_hand_checked_ones(server):
    r = run_query(load_query("union-members"), endpoint=server.endpoint, params={"union": "ULL"})
    assert len(r) == 9 and sum(int(t.value) for t in r.column("population")) == 34908
    r = run_query(load_query("check-population-total"), endpoint=server.endpoint)
    assert [(d["ipaCode"].value, d["difference"].value) for d in r.dicts()] == [("usv_test", "-948")]


def test_injection_attempt_is_a_literal_on_the_server(server):
    attack = 'Abruzzo" } ; DROP ALL ; SELECT * { ?s ?p ?o'
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = run_query(count, endpoint=server.endpoint).rows
    assert len(run_query(load_query("unions-by-region"), endpoint=server.endpoint, params={"region": attack})) == 0
    (row,) = run_query(load_query(FIXTURES / "echo.rq"), endpoint=server.endpoint, params={"value": attack}).rows
    assert row[0].value == attack and int(row[5].value) == len(attack)
    assert run_query(count, endpoint=server.endpoint).rows == before


def test_cli_endpoint_output_equals_local_output(server, capsys):
    argv = ["query", "unions-by-region", "--param", "region=17", "--format", "csv"]
    assert main([*argv, "--data", str(GRAPH)]) == 0
    local = capsys.readouterr().out
    assert main([*argv, "--endpoint", server.endpoint, "--timeout", "20"]) == 0
    remote = capsys.readouterr().out
    assert remote == local and "usg_test" in remote
    assert main(["query", "check-density", "--endpoint", server.endpoint, "--fail-on-results"]) == 1
    capsys.readouterr()


def test_remote_ask_construct_and_syntax_error(server):
    assert (
        run_query("ASK { ?u <https://w3id.org/italia/onto/COV/IPAcode> 'nope' }", endpoint=server.endpoint).boolean
        is False
    )
    graph = run_query(
        "CONSTRUCT { ?u <urn:x:code> ?c } WHERE { ?u <https://w3id.org/italia/onto/COV/IPAcode> ?c "
        "FILTER (STRENDS(?c, '_test')) }",
        endpoint=server.endpoint,
    )
    assert sorted(t[2].value for t in graph.rows) == ["usg_test", "usv_test"]
    with pytest.raises(LodError, match="rejected the query as malformed") as err:
        run_query("SELECT * WHERE { ?s ?p }", endpoint=server.endpoint)
    assert "\n" not in str(err.value)


def test_federated_query_runs_through_the_endpoint(server):
    # The test server cannot reach Wikidata (no network in tests): it must fail as one clear
    # line; where it can, the rows are the Miracoli's members.
    query = load_query("wikidata-comuni")
    try:
        result = run_query(query, endpoint=server.endpoint, timeout=20)
    except LodError as exc:
        assert server.endpoint in str(exc) and "\n" not in str(exc)
    else:
        assert {t.value for t in result.column("istatCode")} <= {"069015", "069068", "069087", "069100"}


def test_server_stops_and_cleans_up():
    srv = OxigraphServer([GRAPH]).start()
    workdir, process = srv.workdir, srv.process
    assert workdir.is_dir()
    srv.stop()
    assert process.poll() is not None and not workdir.exists()


@pytest.mark.skipif(not REAL_DUMP.is_file(), reason="output/unioni.ttl not built yet")
def test_real_dump_same_answers_on_the_server():
    store = load_store([REAL_DUMP])
    with OxigraphServer([REAL_DUMP]) as srv:
        for name in LOCAL_QUERIES:
            query = load_query(name)
            local = run_query(query, store=store)
            remote = run_query(query, endpoint=srv.endpoint, timeout=20)
            assert remote.rows == local.rows, name
        r = run_query(load_query("unions-by-region"), endpoint=srv.endpoint, params={"region": "Basilicata"})
        doc = json.loads(format_result(r, "json"))
        (b,) = doc["results"]["bindings"]
        # output/ holds the records after reconciliation: Castelluccio Superiore 731 (ISTAT 2022), not the card's 732
        assert b["comuni"]["value"] == "9" and b["population"]["value"] == "34907"
        assert b["name"]["value"] == "Unione Lucana del Lagonegrese"
