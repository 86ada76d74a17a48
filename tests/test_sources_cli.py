"""``lod-unioni sources fetch|list|verify`` through the CLI, against a mirror on 127.0.0.1."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest

from lod_unioni.cli import main
from lod_unioni.sources import kinds
from lod_unioni.sources.kinds import FILES


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture()
def mirror(tmp_path, monkeypatch):
    root = tmp_path / "mirror"
    for e in FILES:
        p = root / e.local
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(f"content of {e.name}\n".encode())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a, **k: _Quiet(*a, directory=str(root), **k))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    monkeypatch.setenv(kinds.MIRROR_ENV, url)
    yield root
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture()
def offline(monkeypatch):
    """Every download goes to a closed loopback port."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    monkeypatch.setenv(kinds.MIRROR_ENV, f"http://127.0.0.1:{port}/")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv(kinds.MIRROR_ENV, raising=False)
    for e in FILES:
        monkeypatch.delenv(e.env_var, raising=False)
    monkeypatch.chdir(tmp_path)  # no lod-unioni.toml from elsewhere


def _errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]


def test_fetch_list_verify(mirror, tmp_path, capsys):
    cache = str(tmp_path / "cache")
    assert main(["sources", "fetch", "--dir", cache]) == 0
    err = capsys.readouterr().err
    assert f"{len(FILES)} file(s) downloaded" in err

    assert main(["sources", "list", "--dir", cache]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line and not line.startswith("#")}
    assert "downloaded" in lines["ipa-enti"] and "ipa/enti.csv" in lines["ipa-enti"]
    assert len([n for n in lines if n != "NAME"]) == len(FILES)

    assert main(["sources", "verify", "--dir", cache]) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == len(FILES)

    (tmp_path / "cache" / "istat" / "Elenco-comuni-italiani.csv").write_text("tampered")
    assert main(["sources", "verify", "--dir", cache]) == 1
    out = capsys.readouterr().out
    assert "CHANGED  istat-comuni" in out


def test_list_empty_cache(tmp_path, capsys):
    assert main(["sources", "list", "--dir", str(tmp_path / "none")]) == 0
    out = capsys.readouterr().out
    assert "missing (place by hand)" in out  # the Ministry register has no download URL
    assert "ipa-enti" in out


def test_no_network_and_no_cache_is_one_error_line(offline, tmp_path, capsys):
    code = main(
        ["sources", "fetch", "--dir", str(tmp_path / "cache"), "--only", "istat-comuni", "ipa-enti", "--timeout", "5"]
    )
    assert code == 2
    errors = _errors(capsys.readouterr().err)
    assert len(errors) == 1
    assert "no network" in errors[0] and "istat-comuni" in errors[0] and "ipa-enti" in errors[0]


def test_stale_copy_is_loud_and_non_zero(mirror, tmp_path, capsys, monkeypatch):
    cache = str(tmp_path / "cache")
    assert main(["sources", "fetch", "--dir", cache, "--only", "ontopia-regions"]) == 0
    (mirror / "ontopia" / "regions.csv").unlink()  # the publisher answers 404 now
    capsys.readouterr()
    assert main(["sources", "fetch", "--dir", cache, "--only", "ontopia-regions"]) == 1
    err = capsys.readouterr().err
    assert "STALE: ontopia-regions" in err and "HTTP 404" in err and "old" in err
    assert "--allow-stale" in err
    assert main(["sources", "fetch", "--dir", cache, "--only", "ontopia-regions", "--allow-stale"]) == 0
    assert "STALE: ontopia-regions" in capsys.readouterr().err  # still said, even when allowed
    assert (tmp_path / "cache" / "ontopia" / "regions.csv").read_text() == "content of ontopia-regions\n"


def test_entry_without_url_named_explicitly(tmp_path, capsys):
    code = main(["sources", "fetch", "--dir", str(tmp_path / "cache"), "--only", "ministry-unions"])
    assert code == 2
    err = capsys.readouterr().err
    assert "LOD_UNIONI_SOURCE_URL_MINISTRY_UNIONS" in err
    assert len(_errors(err)) == 1


def test_bad_usage(tmp_path, capsys):
    assert main(["sources"]) == 2
    assert "sources fetch" in capsys.readouterr().err
    assert main(["sources", "fetch", "--dir", str(tmp_path), "--only", "nonsense"]) == 2
    assert "unknown source 'nonsense'" in capsys.readouterr().err
    assert main(["sources", "verify", "--dir", str(tmp_path / "empty")]) == 2
    assert "sources fetch" in capsys.readouterr().err
