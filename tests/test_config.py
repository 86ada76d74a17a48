"""The publisher settings (lod_unioni.config): the [publisher] table of lod-unioni.toml, read and
checked; the build names the publisher in the catalog and the dumps, or the example publisher when
there is none (and says so); require_publisher refuses, naming the setting and the command."""

from __future__ import annotations

import pytest
import rdflib
from conftest import DCAT, DCT, FOAF, RDFS, VCARD, B
from rdflib import Literal, URIRef

from lod_unioni.cli import main
from lod_unioni.config import (
    EXAMPLE_PUBLISHER,
    Publisher,
    Settings,
    check_publisher,
    load_settings,
    require_publisher,
)
from lod_unioni.errors import LodError

MIRACOLI = """
[publisher]
ipa = "udm_069"
name = "Unione  dei Miracoli"
contact = "dati@unionedeimiracoli.eu"
"""


def _settings(tmp_path, text: str) -> Settings:
    path = tmp_path / "lod-unioni.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def test_the_publisher_table_is_read_and_checked(tmp_path):
    settings = _settings(tmp_path, 'base_iri = "https://dati.example.it/unioni/"\n' + MIRACOLI)
    assert settings.publisher == Publisher("udm_069", "Unione dei Miracoli", "dati@unionedeimiracoli.eu")
    assert settings.base_iri == "https://dati.example.it/unioni/" and settings.file == str(tmp_path / "lod-unioni.toml")
    assert settings.publisher.email == "dati@unionedeimiracoli.eu" and settings.publisher.url is None
    assert require_publisher(settings, command="site") is settings.publisher
    with_iri = MIRACOLI + 'iri = "https://w3id.org/italia/data/public-organization/udm_069"\n'
    assert _settings(tmp_path, with_iri).publisher.iri == "https://w3id.org/italia/data/public-organization/udm_069"
    page = MIRACOLI.replace('"dati@unionedeimiracoli.eu"', '"https://unionedeimiracoli.eu/contatti?form=dati"')
    pub = _settings(tmp_path, page).publisher
    assert pub.url == "https://unionedeimiracoli.eu/contatti?form=dati" and pub.email is None


def test_no_publisher_table_no_publisher(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings().publisher is None  # no lod-unioni.toml
    assert _settings(tmp_path, 'out = "dumps"\n').publisher is None


@pytest.mark.parametrize(
    "text,field,problem",
    [
        ('[publisher]\nname = "X"\ncontact = "a@b.it"\n', "publisher.ipa", "missing"),
        ('[publisher]\nipa = "udm_069"\ncontact = "a@b.it"\n', "publisher.name", "missing"),
        ('[publisher]\nipa = "udm_069"\nname = "X"\n', "publisher.contact", "missing"),
        ('[publisher]\nipa = "udm-069"\nname = "X"\ncontact = "a@b.it"\n', "publisher.ipa", "not a codice IPA"),
        ('[publisher]\nipa = "udm_069"\nname = "X"\ncontact = "dati"\n', "publisher.contact", "neither an e-mail"),
        ('[publisher]\nipa = "udm_069"\nname = "X"\ncontact = "ftp://x.it/"\n', "publisher.contact", "neither"),
        ('[publisher]\nipa = "udm_069"\nname = "X\\nY"\ncontact = "a@b.it"\n', "publisher.name", "one line"),
        ('[publisher]\nipa = "udm_069"\nname = ""\ncontact = "a@b.it"\n', "publisher.name", "non-empty"),
        ('[publisher]\nipa = 69\nname = "X"\ncontact = "a@b.it"\n', "publisher.ipa", "string"),
        ('[publisher]\nipa = "udm_069"\nname = "X"\ncontact = "a@b.it"\nemail = "c@d.it"\n', "publisher", "email"),
        ('[publisher]\nipa = "udm_069"\nname = "X"\ncontact = "a@b.it"\niri = "urn:x"\n', "publisher.iri", "http(s)"),
        ('publisher = "udm_069"\n', "publisher", "must be a table"),
    ],
)
def test_a_bad_publisher_table_is_one_line_naming_file_and_setting(tmp_path, monkeypatch, capsys, text, field, problem):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lod-unioni.toml").write_text(text, encoding="utf-8")
    with pytest.raises(LodError) as info:
        load_settings("lod-unioni.toml")
    assert info.value.field == field and info.value.file == "lod-unioni.toml" and problem in info.value.message
    # any command reads the settings first: exit 2, one line, nothing written
    assert main(["build", "--out", "o"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"lod-unioni: error: lod-unioni.toml: field {field}: "), lines
    assert not (tmp_path / "o").exists()


def test_a_password_in_a_contact_url_is_refused_without_being_echoed(tmp_path):
    with pytest.raises(LodError) as info:
        check_publisher({"ipa": "udm_069", "name": "X", "contact": "https://steward:s3cret@x.it/c"}, file="f")
    assert info.value.field == "publisher.contact" and "s3cret" not in str(info.value)


def test_require_publisher_names_the_missing_setting_and_the_command(tmp_path):
    with pytest.raises(LodError) as info:
        require_publisher(Settings(), command="site")
    message = str(info.value)
    assert message.startswith("lod-unioni.toml: field publisher.ipa: 'lod-unioni site' needs the publisher")
    assert "\n" not in message and "[publisher]" in message
    settings = _settings(tmp_path, 'out = "o"\n')
    with pytest.raises(LodError) as info:
        require_publisher(settings, command="publish --endpoint")
    assert info.value.file == str(tmp_path / "lod-unioni.toml") and "'lod-unioni publish --endpoint'" in str(info.value)


def test_require_publisher_refuses_the_example_publisher(tmp_path):
    for settings in (
        Settings(publisher=EXAMPLE_PUBLISHER),
        _settings(tmp_path, MIRACOLI.replace('"udm_069"', '"ESEMPIO"')),  # whatever its spelling
    ):
        with pytest.raises(LodError) as info:
            require_publisher(settings, command="site")
        assert info.value.field == "publisher.ipa" and "example publisher" in str(info.value)


def test_build_names_the_configured_publisher_in_the_catalog_and_the_dumps(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lod-unioni.toml").write_text(MIRACOLI, encoding="utf-8")
    assert main(["build", "--out", "o"]) == 0
    assert "EXAMPLE" not in capsys.readouterr().err
    catalog = rdflib.Graph().parse(tmp_path / "o" / "catalog.ttl")
    agent = B["agent/udm_069"]
    assert list(catalog.objects(B["catalog"], DCT.publisher)) == [agent]
    assert list(catalog.objects(agent, DCT.identifier)) == [Literal("udm_069")]
    assert list(catalog.objects(agent, FOAF.name)) == [Literal("Unione dei Miracoli", lang="it")]
    assert list(catalog.objects(B["dataset/unioni"], DCT.identifier)) == [Literal("udm_069:unioni-di-comuni")]
    [contact] = list(catalog.objects(B["dataset/unioni"], DCAT.contactPoint))
    assert list(catalog.objects(contact, VCARD.hasEmail)) == [URIRef("mailto:dati@unionedeimiracoli.eu")]
    assert not list(catalog.subject_objects(RDFS.comment))  # no example note
    dump = rdflib.Graph().parse(tmp_path / "o" / "unioni.nt", format="nt")
    assert list(dump.objects(B["dataset/unioni"], DCT.publisher)) == [agent]  # the dump's own description


def test_build_without_a_publisher_names_the_example_and_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--out", "o"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("lod-unioni: warning:")]
    assert len(warnings) == 1 and "EXAMPLE publisher 'esempio'" in warnings[0] and "[publisher]" in warnings[0]
    catalog = rdflib.Graph().parse(tmp_path / "o" / "catalog.ttl")
    assert list(catalog.objects(B["catalog"], DCT.publisher)) == [B["agent/esempio"]]
    assert {o.language for o in catalog.objects(B["catalog"], RDFS.comment)} == {"it", "en"}
    dump = rdflib.Graph().parse(tmp_path / "o" / "unioni.nt", format="nt")
    assert list(dump.objects(B["dataset/unioni"], DCT.publisher)) == [B["agent/esempio"]]
