"""Downloading the official files into a cache, with a mirror served on 127.0.0.1 (no real network):
success, checksum and manifest, 404, no network, stale copies, atomic replacement, verify, and the
resolve_sources / provenance API used by the other commands."""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hostile_server import HostileServer, chunked, chunked_cut, endless, ok, redirect, send, short, trickle

from lod_unioni import progress
from lod_unioni.errors import LodError
from lod_unioni.sources import kinds
from lod_unioni.sources.cache import CACHE_ENV, default_cache_dir, list_sources, load_manifest, verify_sources
from lod_unioni.sources.fetch import fetch_sources
from lod_unioni.sources.folder import resolve_sources
from lod_unioni.sources.kinds import FILES, download_url, file_named
from lod_unioni.sources.ministero import read_ministry_register


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the mirror folder; ``server.behaviour[path]`` can make a path fail:
    ``"truncate"`` (announces more bytes than it sends), ``"html"`` (an error page with status 200)."""

    def log_message(self, *args):  # keep the test output quiet
        pass

    def do_GET(self):
        mode = self.server.behaviour.get(self.path)
        if mode == "truncate":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"partial,content\n")
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "html":
            body = b"<!DOCTYPE html><html><body>Maintenance</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def serve(root: Path):
    """Serve ``root`` over HTTP on a free loopback port, in a thread; returns (server, stop)."""
    handler = lambda *a, **k: _Handler(*a, directory=str(root), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.behaviour = {}
    server.root = root
    server.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join(5)

    return server, stop


@pytest.fixture()
def mirror(tmp_path):
    """A mirror laid out like the local paths of the source files, served on a free loopback port."""
    root = tmp_path / "mirror"
    for e in FILES:
        p = root / e.local
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(f"content of {e.name}\n".encode())
    server, stop = serve(root)
    yield server
    stop()


@pytest.fixture()
def closed_port_url():
    """A loopback URL on which nothing listens (stands for 'no network')."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(autouse=True)
def no_real_network(monkeypatch):
    """Make sure no test reaches the publishers: the mirror is always given explicitly."""
    monkeypatch.delenv(kinds.MIRROR_ENV, raising=False)
    for e in FILES:
        monkeypatch.delenv(e.env_var, raising=False)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_download_writes_files_and_manifest(mirror, tmp_path):
    cache = tmp_path / "cache"
    before = datetime.now(UTC).replace(microsecond=0)
    report = fetch_sources(cache, ["istat-comuni", "ipa-enti"], mirror=mirror.url, timeout=5)
    after = datetime.now(UTC)
    assert report.ok
    assert [r.status for r in report.results] == ["downloaded", "downloaded"]
    data = (cache / "istat/Elenco-comuni-italiani.csv").read_bytes()
    assert data == b"content of istat-comuni\n"
    manifest = json.loads((cache / "sources.json").read_text())
    rec = manifest["files"]["istat-comuni"]
    assert rec["url"] == mirror.url + "istat/Elenco-comuni-italiani.csv"
    assert rec["official_url"] == "https://www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv"
    assert rec["sha256"] == _sha(data)
    assert rec["size"] == len(data)
    assert rec["downloaded"].endswith("Z")
    when = datetime.fromisoformat(rec["downloaded"])
    assert before <= when <= after
    assert set(manifest["files"]) == {"istat-comuni", "ipa-enti"}
    assert rec["licence"] == "CC BY 4.0"


def test_every_source_file_from_a_mirror(mirror, tmp_path):
    report = fetch_sources(tmp_path / "cache", mirror=mirror.url, timeout=5)
    assert {r.status for r in report.results} == {"downloaded"}
    assert len(load_manifest(tmp_path / "cache")) == len(FILES)
    # the cache is laid out like ../shared/data: the readers' file lookup finds the files
    sources = resolve_sources(None, tmp_path / "cache")
    assert sources.file("ministry-unions").name == "unioni-di-comuni-2020.csv"
    # the PA digitale 2026 applications: one file per measure (1.2 and 1.4.3 included) and the other bodies'
    assert [p.name for p in sources.files("padigitale-candidature")] == [
        "candidature_altrienti_finanziate.csv",
        "candidature_finanziate_11.csv",
        "candidature_finanziate_12.csv",
        "candidature_finanziate_131.csv",
        "candidature_finanziate_141.csv",
        "candidature_finanziate_143.csv",
        "candidature_finanziate_144.csv",
        "candidature_finanziate_145.csv",
    ]


def test_404_without_cache_fails(mirror, tmp_path):
    (mirror.root / "ipa/enti.csv").unlink()
    report = fetch_sources(tmp_path / "cache", ["ipa-enti", "ontopia-regions"], mirror=mirror.url, timeout=5)
    failed, ok = report.results
    assert failed.status == "failed" and "HTTP 404" in failed.error
    assert ok.status == "downloaded"
    assert not (tmp_path / "cache/ipa/enti.csv").exists()
    assert set(load_manifest(tmp_path / "cache")) == {"ontopia/regions.csv"}


def test_no_network_without_cache(closed_port_url, tmp_path):
    report = fetch_sources(tmp_path / "cache", ["istat-comuni", "ipa-enti"], mirror=closed_port_url, timeout=5)
    assert [r.status for r in report.results] == ["failed", "failed"]
    assert all(r.error.startswith("cannot connect") for r in report.results)
    assert not report.ok
    assert not (tmp_path / "cache" / "sources.json").exists()


def test_stale_copy_is_kept_and_dated(mirror, closed_port_url, tmp_path):
    cache = tmp_path / "cache"
    fetch_sources(cache, ["istat-comuni"], mirror=mirror.url, timeout=5)
    first = load_manifest(cache)["istat/Elenco-comuni-italiani.csv"]
    report = fetch_sources(cache, ["istat-comuni"], mirror=closed_port_url, timeout=5)
    [r] = report.results
    assert r.status == "stale"
    assert r.copy_date == first.downloaded_at
    assert r.age() >= timedelta(0)
    assert (cache / "istat/Elenco-comuni-italiani.csv").read_bytes() == b"content of istat-comuni\n"
    assert load_manifest(cache)["istat/Elenco-comuni-italiani.csv"] == first


@pytest.mark.parametrize("mode, message", [("truncate", "incomplete download"), ("html", "web page")])
def test_failed_download_leaves_previous_copy_intact(mirror, tmp_path, mode, message):
    cache = tmp_path / "cache"
    fetch_sources(cache, ["ontopia-cities"], mirror=mirror.url, timeout=5)
    target = cache / "ontopia/cities.csv"
    old = target.read_bytes()
    mirror.behaviour["/ontopia/cities.csv"] = mode
    report = fetch_sources(cache, ["ontopia-cities"], mirror=mirror.url, timeout=5)
    [r] = report.results
    assert r.status == "stale"
    assert message in r.error
    assert target.read_bytes() == old
    leftovers = [p.name for p in target.parent.iterdir() if p.name != "cities.csv"]
    assert leftovers == []  # no temporary file left behind
    assert verify_sources(cache)[0].status == "ok"


def test_new_download_replaces_old_copy(mirror, tmp_path):
    cache = tmp_path / "cache"
    fetch_sources(cache, ["ontopia-regions"], mirror=mirror.url, timeout=5)
    (mirror.root / "ontopia/regions.csv").write_bytes(b"new release\n")
    fetch_sources(cache, ["ontopia-regions"], mirror=mirror.url, timeout=5)
    assert (cache / "ontopia/regions.csv").read_bytes() == b"new release\n"
    assert load_manifest(cache)["ontopia/regions.csv"].sha256 == _sha(b"new release\n")


def test_entries_without_url(tmp_path):
    # the Ministry register has no stable download URL: nothing is fetched (no network used)
    report = fetch_sources(tmp_path / "cache", ["ministry-unions"])
    [r] = report.results
    assert r.status == "manual"
    placed = tmp_path / "cache" / "ministero-interno" / "unioni-di-comuni-2020.csv"
    placed.parent.mkdir(parents=True)
    placed.write_text("x")
    [r] = fetch_sources(tmp_path / "cache", ["ministry-unions"]).results
    assert r.status == "present"


def test_verify_detects_changes(mirror, tmp_path):
    cache = tmp_path / "cache"
    fetch_sources(cache, ["ontopia-regions", "ontopia-provinces"], mirror=mirror.url, timeout=5)
    assert [v.status for v in verify_sources(cache)] == ["ok", "ok"]
    (cache / "ontopia/regions.csv").write_bytes(b"edited by hand\n")
    (cache / "ontopia/provinces.csv").unlink()
    status = {v.record.name: v.status for v in verify_sources(cache)}
    assert status == {"ontopia-regions": "changed", "ontopia-provinces": "missing"}
    with pytest.raises(LodError, match="sources fetch"):
        verify_sources(tmp_path / "empty")


def test_list_sources(mirror, tmp_path):
    cache = tmp_path / "cache"
    fetch_sources(cache, ["ontopia-regions"], mirror=mirror.url, timeout=5)
    states = {s.entry.name: s for s in list_sources(cache)}
    assert states["ontopia-regions"].state == "downloaded"
    assert states["ontopia-regions"].size == len(b"content of ontopia-regions\n")
    assert states["istat-comuni"].state == "missing"
    assert len(states) == len(FILES)


def test_download_url_overrides(monkeypatch):
    e = file_named("ministry-unions")
    assert download_url(e) is None
    monkeypatch.setenv(e.env_var, "http://example.org/unioni.csv")
    assert e.env_var == "LOD_UNIONI_SOURCE_URL_MINISTRY_UNIONS"
    assert download_url(e) == "http://example.org/unioni.csv"
    monkeypatch.setenv(kinds.MIRROR_ENV, "http://127.0.0.1:9/base")
    assert download_url(e) == "http://127.0.0.1:9/base/ministero-interno/unioni-di-comuni-2020.csv"
    assert download_url(file_named("istat-comuni"), mirror="http://m/") == "http://m/istat/Elenco-comuni-italiani.csv"


def test_the_table_of_source_files_is_consistent():
    names = [e.name for e in FILES]
    assert len(names) == len(set(names))
    locals_ = [e.local for e in FILES]
    assert len(locals_) == len(set(locals_))
    for e in FILES:
        assert e.url is None or e.url.startswith("https://")
        assert e.page.startswith("https://")
    assert file_named("ipa-enti").url.startswith("https://indicepa.gov.it/")
    assert file_named("ontopia-cities").url.startswith(
        "https://raw.githubusercontent.com/italia/daf-ontologie-vocabolari-controllati/"
    )


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "lod-unioni"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "lod-unioni"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"


# ---------------------------------------------------------------------------------------------
# resolve_sources and provenance


def test_explicit_sources_folder_is_used_as_is(shared_data, capsys):
    sources = resolve_sources(shared_data, cache_dir="/nonexistent")
    assert not sources.cached
    assert capsys.readouterr().err == ""  # no age report for a user folder
    prov = sources.provenance("ministry-unions")
    path = shared_data / "ministero-interno" / "unioni-di-comuni-2020.csv"
    assert prov.path == path
    # where it comes from is the publisher's page (the register has no download URL), never the local path
    assert prov.source == "https://dait.interno.gov.it/territorio-e-autonomie-locali"
    assert prov.url is None and not prov.downloaded
    assert prov.sha256 == _sha(path.read_bytes())
    # placed by hand: no retrieval time is known; the modification time is only for messages
    assert prov.retrieved is None and prov.retrieved_iso is None
    assert prov.modified == prov.date == datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    assert prov.as_tuple() == (prov.source, prov.date, prov.sha256)
    assert prov.publisher.startswith("Ministero dell'Interno")
    # the publisher states no licence: none is given, and the rights statement says so
    assert prov.licence_url is None and prov.licence is None
    assert "states no licence" in prov.terms.rights_en and "non indica alcuna licenza" in prov.terms.rights_it
    # readers accept the SourcesDir itself as a --sources folder
    assert len(read_ministry_register(sources)) == 557


def test_missing_sources_folder(tmp_path):
    with pytest.raises(LodError, match="sources folder not found"):
        resolve_sources(tmp_path / "nope")


def test_no_cache_says_to_fetch(tmp_path):
    with pytest.raises(LodError) as err:
        resolve_sources(None, tmp_path / "cache")
    assert "lod-unioni sources fetch" in str(err.value)
    assert "\n" not in str(err.value)


def test_cache_provenance_and_age_report(mirror, tmp_path, capsys):
    cache = tmp_path / "cache"
    fetch_sources(cache, ["ontopia-regions"], mirror=mirror.url, timeout=5)
    capsys.readouterr()
    sources = resolve_sources(None, cache)
    err = capsys.readouterr().err
    assert sources.cached and str(cache) in err and "old" in err
    prov = sources.provenance("ontopia-regions")
    rec = load_manifest(cache)["ontopia/regions.csv"]
    assert prov.downloaded
    assert prov.url == mirror.url + "ontopia/regions.csv"  # where it was downloaded from
    assert prov.source == prov.official_url  # where it comes from: the publisher, never the mirror
    assert prov.official_url.endswith("territorial-classifications/regions/regions.csv")
    assert prov.date == rec.downloaded_at and prov.sha256 == rec.sha256
    assert prov.date_iso == rec.downloaded
    # a file edited after the download is refused; allowed, it no longer claims the download's provenance
    (cache / "ontopia/regions.csv").write_bytes(b"edited\n")
    with pytest.raises(LodError, match="changed since it was downloaded"):
        resolve_sources(None, cache).provenance("ontopia-regions")
    edited = resolve_sources(None, cache, allow_implausible=True).provenance("ontopia-regions")
    assert not edited.downloaded and edited.url is None and edited.sha256 == _sha(b"edited\n")


def test_old_cache_is_reported_loudly(mirror, tmp_path, capsys):
    cache = tmp_path / "cache"
    fetch_sources(cache, ["ontopia-regions"], mirror=mirror.url, timeout=5)
    manifest = json.loads((cache / "sources.json").read_text())
    old = datetime.now(UTC) - timedelta(days=40, hours=1)
    manifest["files"]["ontopia-regions"]["downloaded"] = old.strftime("%Y-%m-%dT%H:%M:%SZ")
    (cache / "sources.json").write_text(json.dumps(manifest))
    with progress.reporting(quiet=True):  # warnings are shown even with --quiet
        capsys.readouterr()
        resolve_sources(None, cache)
    err = capsys.readouterr().err
    assert "warning" in err and "40 days" in err


def test_fetched_registry_is_read_from_the_cache(shared_data, tmp_path):
    """The real Ministry file served by a mirror, downloaded, then read through resolve_sources."""
    root = tmp_path / "mirror" / "ministero-interno"
    root.mkdir(parents=True)
    os.symlink(shared_data / "ministero-interno" / "unioni-di-comuni-2020.csv", root / "unioni-di-comuni-2020.csv")
    server, stop = serve(tmp_path / "mirror")
    try:
        report = fetch_sources(tmp_path / "cache", ["ministry-unions"], mirror=server.url, timeout=5)
    finally:
        stop()
    assert report.ok
    sources = resolve_sources(None, tmp_path / "cache")
    register = read_ministry_register(sources)
    assert len(register) == 557 and register.member_count == 3000
    assert sources.provenance("ministry-unions").sha256 == _sha(
        (shared_data / "ministero-interno" / "unioni-di-comuni-2020.csv").read_bytes()
    )


# ---------------------------------------------------------------------------------------------
# misbehaving servers: limits, cut-off bodies, secrets, concurrent fetches

ISTAT = "/istat/Elenco-comuni-italiani.csv"
GOOD = b"a;b\n1;2\n"


def _leftovers(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.rglob("*") if p.name.endswith(".tmp"))


def _fetch_istat(server, cache: Path, **limits):
    [r] = fetch_sources(cache, ["istat-comuni"], mirror=server.url + "/", **limits).results
    return r


def test_a_trickling_server_is_stopped_at_the_total_time_limit(tmp_path):
    """A byte every 0.1 s (the whole file would take 20 s) never trips the wait for the next byte:
    the total limit stops it, and the older copy stays."""
    cache = tmp_path / "cache"
    with HostileServer() as server:
        server.route(ISTAT, ok(GOOD))
        assert _fetch_istat(server, cache).status == "downloaded"
        server.route(ISTAT, trickle(b"x;y\n" * 50, every=0.1))
        started = time.monotonic()
        r = _fetch_istat(server, cache, timeout=5, max_time=1)
        elapsed = time.monotonic() - started
    assert elapsed < 2.5
    assert r.status == "stale" and r.error == "not finished within 1 s (--max-time)"
    assert (cache / ISTAT[1:]).read_bytes() == GOOD
    assert _leftovers(cache) == [] and verify_sources(cache)[0].status == "ok"


def test_an_endless_body_is_stopped_at_the_size_limit(tmp_path):
    cache = tmp_path / "cache"
    with HostileServer() as server:
        server.route(ISTAT, endless(limit=64 << 20))
        started = time.monotonic()
        r = _fetch_istat(server, cache, max_bytes=1 << 20)
        assert time.monotonic() - started < 5
    assert r.status == "failed" and "larger than 1 MB (--max-size): nothing kept" in r.error
    assert not (cache / ISTAT[1:]).exists() and _leftovers(cache) == []
    assert load_manifest(cache) == {}


def test_an_announced_size_over_the_limit_is_refused_before_reading(tmp_path):
    with HostileServer() as server:
        server.route(ISTAT, ok(b"x" * 5000 + b"\n"))
        r = _fetch_istat(server, tmp_path / "cache", max_bytes=4096)
    assert r.status == "failed" and "larger than 4096 bytes" in r.error


@pytest.mark.parametrize(
    "answer, message",
    [
        (short(b"a;b\n1;", announced=1000), "incomplete download: 6 bytes of 1000"),
        (chunked_cut(b"a;b\n1;2\n3;"), "incomplete download"),
        (endless(b"a;b\n1;2\n3;", limit=10), "may be cut off"),  # no length, ends mid-line
    ],
    ids=["content-length", "chunked", "unframed"],
)
def test_a_body_cut_off_is_a_failed_download(tmp_path, answer, message):
    cache = tmp_path / "cache"
    with HostileServer() as server:
        server.route(ISTAT, ok(GOOD))
        _fetch_istat(server, cache)
        server.route(ISTAT, answer)
        r = _fetch_istat(server, cache, timeout=5)
    assert r.status == "stale" and message in r.error
    assert (cache / ISTAT[1:]).read_bytes() == GOOD and _leftovers(cache) == []
    assert load_manifest(cache)[ISTAT[1:]].sha256 == _sha(GOOD)


@pytest.mark.parametrize("answer", [chunked(GOOD), endless(GOOD, limit=len(GOOD))], ids=["chunked", "unframed"])
def test_complete_bodies_without_a_length_are_downloaded(tmp_path, answer):
    with HostileServer() as server:
        server.route(ISTAT, answer)
        r = _fetch_istat(server, tmp_path / "cache")
    assert r.status == "downloaded" and (tmp_path / "cache" / ISTAT[1:]).read_bytes() == GOOD


def test_a_token_in_a_source_url_is_never_shown_or_stored(tmp_path, capsys, monkeypatch):
    """LOD_UNIONI_SOURCE_URL_... with a token in its query: the server gets it, stderr and
    sources.json never show it, a failed download neither."""
    from lod_unioni.cli import main

    cache = tmp_path / "cache"
    with HostileServer() as server:
        server.route("/unioni.csv", ok(GOOD))
        monkeypatch.setenv(file_named("ministry-unions").env_var, server.url + "/unioni.csv?access_token=SECRET2&x=1")
        assert main(["sources", "fetch", "--dir", str(cache), "--only", "ministry-unions"]) == 0
        server.route("/unioni.csv", lambda h: send(h, 500, b"oops"))
        assert main(["sources", "fetch", "--dir", str(cache), "--only", "ministry-unions"]) == 1
        received = server.requests
    err = capsys.readouterr().err
    assert "SECRET2" not in err and "SECRET2" not in (cache / "sources.json").read_text()
    assert f"{server.url}/unioni.csv?access_token=***&x=***" in err and "STALE" in err
    assert received[0].path == "/unioni.csv?access_token=SECRET2&x=1"
    rec = load_manifest(cache)["ministero-interno/unioni-di-comuni-2020.csv"]
    assert rec.url == f"{server.url}/unioni.csv?access_token=***&x=***"


def test_credentials_of_a_source_url_do_not_follow_a_redirect_to_another_origin(tmp_path, monkeypatch, capsys):
    """A password in a source URL's userinfo is sent as HTTP Basic to that origin only, and is
    neither shown nor stored."""
    with HostileServer() as there, HostileServer() as here:
        there.route("/unioni.csv", ok(GOOD))
        here.route("/unioni.csv", redirect(there.url + "/unioni.csv"))
        monkeypatch.setenv(
            file_named("ministry-unions").env_var,
            here.url.replace("http://", "http://steward:pw-SECRET1@") + "/unioni.csv",
        )
        [r] = fetch_sources(tmp_path / "cache", ["ministry-unions"]).results
        assert r.status == "downloaded"
        auth = "Basic " + base64.b64encode(b"steward:pw-SECRET1").decode()
        assert here.requests[0].headers["Authorization"] == auth
        assert [q.path for q in there.requests] == ["/unioni.csv"]
        assert "Authorization" not in there.requests[0].headers
        assert there.requests[0].headers["Host"] == there.url.removeprefix("http://")
    stored = (tmp_path / "cache" / "sources.json").read_text()
    shown = capsys.readouterr().err
    assert "SECRET1" not in stored + shown and "steward" not in stored + shown


def _slowly(body: bytes):
    def answer(h):
        time.sleep(0.1)
        send(h, 200, body)

    return answer


def test_concurrent_fetches_lose_no_manifest_entry(tmp_path):
    """Two fetches into one cache at the same time, each of three files: the second waits for the
    first, every file on disk is in sources.json and verify agrees on all six."""
    names = [["istat-comuni", "ipa-enti", "ontopia-cities"], ["ontopia-regions", "ontopia-provinces", "ontopia-s13"]]
    cache = tmp_path / "cache"
    with HostileServer() as server:
        for e in FILES:
            server.route("/" + e.local, _slowly(f"{e.name}\n".encode()))
        threads = [
            threading.Thread(target=fetch_sources, args=(cache, group), kwargs={"mirror": server.url + "/"})
            for group in names
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
    on_disk = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file() and p.parent != cache)
    assert len(on_disk) == 6
    assert sorted(load_manifest(cache)) == on_disk
    assert [v.status for v in verify_sources(cache)] == ["ok"] * 6


def test_a_fetch_waits_a_bounded_time_for_the_lock(tmp_path):
    from lod_unioni.sources.cache import cache_lock

    cache = tmp_path / "cache"
    cache.mkdir()
    with cache_lock(cache):
        started = time.monotonic()
        with pytest.raises(LodError, match=rf"another 'lod-unioni sources fetch' \(process {os.getpid()}\)"):
            fetch_sources(cache, ["istat-comuni"], mirror="http://127.0.0.1:9/", lock_wait=0.3)
        assert time.monotonic() - started < 2


@pytest.fixture()
def cache_with_tokens(shared_data, tmp_path, monkeypatch):
    """The real registry files downloaded into a cache through URL overrides that carry a token
    (LOD_UNIONI_SOURCE_URL_<NAME>=http://127.0.0.1:.../file?access_token=...)."""
    from lod_unioni.sources.kinds import REGISTRY_KINDS, files_of_kind

    root = tmp_path / "mirror"
    entries = [files_of_kind(kind)[0] for kind in REGISTRY_KINDS]
    real = {e.name: shared_data / e.local for e in entries}
    real["ipa-enti"] = shared_data / "ipa" / "enti-2024-07-31.csv"
    for e in entries:
        (root / e.local).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(real[e.name], root / e.local)
    server, stop = serve(root)
    for e in entries:
        monkeypatch.setenv(e.env_var, f"{server.url}{e.local}?access_token=TOKEN-{e.name}")
    try:
        report = fetch_sources(tmp_path / "cache", [e.name for e in entries], timeout=5)
    finally:
        stop()
    assert report.ok
    return tmp_path / "cache", server.url


def test_dumps_made_from_the_cache_cite_the_publishers_never_a_mirror(cache_with_tokens, seeds_dir, tmp_path):
    """The national records and an imported card, made from files downloaded through overrides,
    say where the files come from with the publishers' URLs: no override, no token, no mirror."""
    from lod_unioni.build import build
    from lod_unioni.cards import import_cards
    from lod_unioni.national.records import source_items
    from lod_unioni.registries import load_registries

    cache, mirror_url = cache_with_tokens
    sources = resolve_sources(None, cache)
    items, _ = source_items(load_registries(sources))
    public = {e.kind: e.url or e.page for e in FILES}
    assert {i["kind"]: i["location"] for i in items} == {i["kind"]: public[i["kind"]] for i in items}
    assert "TOKEN" not in json.dumps(items)
    import_cards(sorted(seeds_dir.glob("*.txt"))[:1], sources_dir=sources, out_dir=tmp_path / "records")
    build(tmp_path / "records", tmp_path / "out")
    dump = (tmp_path / "out" / "unioni.ttl").read_text(encoding="utf-8")
    assert f"dcterms:source <{public['istat-comuni']}>" in dump
    assert "TOKEN" not in dump and mirror_url not in dump and str(cache) not in dump


def test_a_cached_file_edited_after_its_download_is_not_used(cache_with_tokens, capsys):
    """Airasca 3,660 -> 366,000 in the cached population file: 'sources verify' said CHANGED but the
    national build published it."""
    from lod_unioni.registries import load_registries

    cache, _ = cache_with_tokens
    population = cache / "istat" / "popolazione-residente-2022-01-01.csv"
    text = population.read_text(encoding="utf-8")
    population.write_text(
        text.replace(
            '"Airasca","1002","1","Torino","TO","Piemonte","1","3660.0"',
            '"Airasca","1002","1","Torino","TO","Piemonte","1","366000.0"',
        ),
        encoding="utf-8",
    )
    assert "366000.0" in population.read_text(encoding="utf-8")
    with pytest.raises(LodError) as err:
        load_registries(resolve_sources(None, cache))
    assert str(err.value).startswith(f"{population}: changed since it was downloaded on ")
    assert "--allow-implausible" in str(err.value) and "sources verify" in str(err.value)
    capsys.readouterr()
    reg = load_registries(resolve_sources(None, cache, allow_implausible=True))
    assert reg.population["001002"].population == 366000
    assert "changed since it was downloaded" in capsys.readouterr().err  # loud


def test_the_manifest_decides_which_file_of_a_kind_is_used(cache_with_tokens, shared_data, capsys):
    """A stray older ipa/enti-2019-01-01.csv in the cache won over the fetched ipa/enti.csv (its name
    sorts first among the patterns); every file used is listed on stderr."""
    from lod_unioni.registries import load_registries

    cache, _ = cache_with_tokens
    (cache / "ipa" / "enti-2019-01-01.csv").write_bytes(
        (shared_data / "ipa" / "enti-full-columns-sample.csv").read_bytes()
    )
    capsys.readouterr()
    reg = load_registries(resolve_sources(None, cache))
    assert reg.files["ipa-enti"] == cache / "ipa" / "enti.csv" and len(reg.ipa) == 23558
    err = capsys.readouterr().err
    rec = load_manifest(cache)["ipa/enti.csv"]
    assert f"  ipa-enti: ipa/enti.csv ({rec.downloaded}, sha256 {rec.sha256[:12]})" in err.splitlines()
    assert sum(line.startswith("  ") and "sha256" in line for line in err.splitlines()) == 7
