"""HTTP authentication (lod_unioni.httpauth) through lod_unioni.net: Digest and Basic answered only
to a server's challenge, on its origin only; requests with a body (PUT) and redirects."""

from __future__ import annotations

import hashlib
import io
import urllib.request
from email.message import Message

import pytest
from hostile_server import HostileServer, ok, redirect, send

from lod_unioni import httpauth
from lod_unioni.httpauth import Credentials, challenges
from lod_unioni.net import Limits, NetError, open_url

USER, PASSWORD = "Mufasa", "Circle of Life"


def _headers(*values: str) -> Message:
    m = Message()
    for v in values:
        m["WWW-Authenticate"] = v
    return m


def _params(header: str) -> dict[str, str]:
    return challenges([header.replace("Digest ", "Digest ", 1)])["digest"]


@pytest.mark.parametrize(
    "algorithm, expected",
    [
        # RFC 7616, section 3.9.1: the same request answered with MD5 and with SHA-256
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ],
)
def test_digest_answers_the_rfc_7616_example(monkeypatch, algorithm, expected):
    monkeypatch.setattr(httpauth.secrets, "token_hex", lambda n: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
    credentials = Credentials(USER, PASSWORD)
    challenge = (
        'Digest realm="http-auth@example.org", qop="auth, auth-int", '
        f'algorithm={algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
        'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
    )
    assert credentials.authorization("GET", "http://www.example.org/dir/index.html") is None
    assert credentials.challenged(_headers(challenge)) is True
    answer = credentials.authorization("GET", "http://www.example.org/dir/index.html")
    params = _params(answer)
    assert params["response"] == expected
    assert params["uri"] == "/dir/index.html" and params["nc"] == "00000001" and params["qop"] == "auth"
    assert params["opaque"] == "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
    # the same challenge again is a wrong password, not worth a retry; a stale nonce is
    assert credentials.challenged(_headers(challenge)) is False
    assert credentials.challenged(_headers(challenge + ', stale="true"')) is True


def test_digest_is_preferred_to_basic_and_an_unknown_scheme_is_not_answered():
    both = Credentials("u", "p")
    assert both.challenged(_headers('Basic realm="x"', 'Digest realm="x", nonce="n", qop="auth"'))
    assert both.scheme == "digest"
    basic = Credentials("u", "p")
    assert basic.challenged(_headers('Basic realm="x", charset="UTF-8"'))
    assert basic.authorization("GET", "http://h/") == "Basic dTpw"
    assert not Credentials("u", "p").challenged(_headers('Bearer realm="x"'))
    assert not Credentials("u", "p").challenged(_headers('Digest realm="x", nonce="n", qop="auth-int"'))


def test_the_password_is_never_shown():
    credentials = Credentials("alice", "s3cr3t")
    assert "s3cr3t" not in repr(credentials)
    echoed = "error: bad password s3cr3t (Authorization: Basic YWxpY2U6czNjcjN0)"
    assert credentials.scrub(echoed) == "error: bad password *** (Authorization: Basic ***)"


def _digest_route(realm: str, nonce: str, seen: list[str | None]):
    """A resource that asks for Digest (MD5, qop auth) and checks the answer by RFC 7616's formula."""

    def answer(h):
        header = h.headers.get("Authorization")
        seen.append(header)
        if header and header.startswith("Digest "):
            p = challenges([header])["digest"]
            md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
            ha1, ha2 = md5(f"{USER}:{realm}:{PASSWORD}"), md5(f"{h.command}:{p['uri']}")
            if p["uri"] == h.path and p["response"] == md5(f"{ha1}:{nonce}:{p['nc']}:{p['cnonce']}:auth:{ha2}"):
                return send(h, 201 if h.command == "PUT" else 200, b"welcome", "text/plain")
        h.send_response(401)
        h.send_header("WWW-Authenticate", f'Digest realm="{realm}", nonce="{nonce}", qop="auth", algorithm="MD5"')
        h.send_header("Content-Length", "0")
        h.end_headers()

    return answer


def test_open_url_answers_a_digest_challenge_and_sends_the_body_again():
    seen: list[str | None] = []
    with HostileServer() as server:
        url = server.route("/graph", _digest_route("SPARQL", "abc123", seen))
        credentials = Credentials(USER, PASSWORD)
        body = io.BytesIO(b"<http://a> <http://b> <http://c> .\n")
        request = urllib.request.Request(url + "?graph=x", data=body, method="PUT", headers={"Content-Length": "35"})
        with open_url(request, Limits(timeout=5), credentials=credentials) as answer:
            assert answer.status == 201 and answer.read_all() == b"welcome"
        # a second request answers at once, with the next nonce count
        with open_url(url + "?graph=x", Limits(timeout=5), credentials=credentials) as answer:
            assert answer.status == 200
        assert seen[0] is None  # nothing before the challenge
        assert [_params(s)["nc"] for s in seen[1:]] == ["00000001", "00000002"]
        assert [r.body for r in server.requests[:2]] == [b"<http://a> <http://b> <http://c> .\n"] * 2
        wrong = Credentials(USER, "not it")
        with pytest.raises(NetError) as err, open_url(url, Limits(timeout=5), credentials=wrong):
            pass
        assert err.value.status == 401 and len(seen) == 5  # one retry, then the 401


def test_credentials_stay_on_the_origin_that_asked():
    with HostileServer() as other, HostileServer() as server:
        elsewhere = other.route("/x", ok(b"there"))
        seen: list[str | None] = []
        protected = server.route("/p", _digest_route("r", "n1", seen))
        moved = server.route("/moved", redirect(elsewhere, status=307))
        credentials = Credentials(USER, PASSWORD)
        with open_url(protected, Limits(timeout=5), credentials=credentials):
            pass
        with open_url(moved, Limits(timeout=5), credentials=credentials) as answer:
            assert answer.read_all() == b"there"
        assert "Authorization" in server.requests[-1].headers  # the origin that asked
        assert "Authorization" not in other.requests[-1].headers


def test_a_put_follows_a_307_with_its_body_and_refuses_a_303():
    with HostileServer() as server:
        target = server.route("/store", ok(b""))
        keep = server.route("/keep", redirect(target, status=307))
        drop = server.route("/drop", redirect(target, status=303))
        body = io.BytesIO(b"data\n")
        request = urllib.request.Request(keep, data=body, method="PUT", headers={"Content-Length": "5"})
        with open_url(request, Limits(timeout=5)):
            pass
        assert [(r.method, r.path, r.body) for r in server.requests] == [
            ("PUT", "/keep", b"data\n"),
            ("PUT", "/store", b"data\n"),
        ]
        request = urllib.request.Request(drop, data=b"data\n", method="PUT")
        with pytest.raises(NetError, match="would drop the request's body"), open_url(request, Limits(timeout=5)):
            pass
