"""HTTP with limits (lod_unioni.net): URL redaction, origins, redirects, against a local server."""

from __future__ import annotations

import pytest
from hostile_server import HostileServer, ok, redirect

from lod_unioni.net import Limits, NetError, open_url, origin, redact_url


@pytest.mark.parametrize(
    "url, shown",
    [
        ("https://u:p@host.example/x?token=abc&a=1#frag", "https://host.example/x?token=***&a=***"),
        ("http://host:8080/dump.csv", "http://host:8080/dump.csv"),
        ("http://host/x?secretonly", "http://host/x?secretonly=***"),
        ("http://user@[::1]:9/x", "http://[::1]:9/x"),
        ("http://host:99999/x", "(an unreadable URL)"),
    ],
)
def test_redact_url(url, shown):
    assert redact_url(url) == shown


def test_origin():
    assert origin("HTTPS://Example.org/a") == origin("https://example.org:443/b") == ("https", "example.org", 443)
    assert origin("http://example.org/") != origin("https://example.org/")


def test_limits_must_be_positive():
    for bad in ({"timeout": 0}, {"max_time": -1}, {"max_bytes": 0}, {"timeout": float("nan")}):
        with pytest.raises(ValueError):
            Limits(**bad)


def test_a_redirect_that_loses_the_query_string_is_an_error_for_a_query():
    with HostileServer() as server:
        server.route("/data", ok(b"fine\n"))
        moved = server.route("/sparql", redirect(server.url + "/data"))
        with pytest.raises(NetError) as err, open_url(moved + "?query=ASK%7B%7D", Limits(), keep_query=True):
            pass
        assert err.value.kind == "redirect" and "would drop the query string" in str(err.value)
        with open_url(moved + "?x=1", Limits()) as answer:  # a download may lose it
            assert answer.read_all() == b"fine\n"


def test_a_post_is_never_turned_into_a_get():
    import urllib.request

    with HostileServer() as server:
        server.route("/new", ok(b"{}"))
        old = server.route("/old", redirect(server.url + "/new", status=303))
        request = urllib.request.Request(old, data=b"a=1", method="POST")
        drop = r"redirected \(HTTP 303\) to .* as a GET, which would drop"
        with pytest.raises(NetError, match=drop), open_url(request, Limits()):
            pass
        assert [r.path for r in server.requests] == ["/old"]
