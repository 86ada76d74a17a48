"""The registry files are read once, with their indexes (lod_unioni.registries)."""

from __future__ import annotations

from lod_unioni.registries import Registries, load_registries


def test_each_registry_file_is_read_once(shared_data, monkeypatch):
    import lod_unioni.registries as rec

    calls = []
    for name in (
        "read_istat_comuni",
        "read_istat_population",
        "read_cities",
        "read_provinces",
        "read_regions",
        "read_ipa_index",
        "read_ministry_register",
    ):
        original = getattr(rec, name)
        monkeypatch.setattr(rec, name, lambda *a, _o=original, _n=name, **k: (calls.append(_n), _o(*a, **k))[1])
    load_registries(shared_data)
    assert sorted(calls) == sorted(
        [
            "read_istat_comuni",
            "read_istat_population",
            "read_cities",
            "read_provinces",
            "read_regions",
            "read_ipa_index",
            "read_ministry_register",
        ]
    )


def test_ontopia_cities_are_read_once_for_the_current_rows_and_the_history(shared_data, monkeypatch):
    """ontopia/cities.csv lines 4804-4807: 006840 CALLIANO (Alessandria) 1861-1935, 005014 CALLIANO
    (Asti) 1935-1948 and 1948-2022, then CALLIANO MONFERRATO from 12-08-2022 (current); lines
    32757-37274: 802067 and 022035 CALLIANO (Trento), 022035 current since 05-12-1972."""
    import lod_unioni.registries as rec

    original = rec.read_cities
    calls = []
    monkeypatch.setattr(rec, "read_cities", lambda *a, **k: (calls.append(k), original(*a, **k))[1])
    reg = Registries(shared_data)
    assert [c.id_comune for c in reg.current_cities["005014"]] == ["005014-(2022-08-12)"]
    assert reg.gazetteer.comune("Calliano Monferrato").ontopia_city == "005014-(2022-08-12)"
    assert [c.id_comune for c in reg.city_history("005014")] == [
        "005014-(1935-04-15)",
        "005014-(1948-01-01)",
        "005014-(2022-08-12)",
    ]
    assert {c.istat_code for c in reg.former_names("CALLIANO")} == {"006840", "005014", "802067", "022035"}
    assert calls == [{}]  # one read, of the whole history
    # the current rows are exactly those of a current-only read
    current = sorted((c for rows in reg.current_cities.values() for c in rows), key=lambda c: c.line)
    assert current == original(shared_data / "ontopia" / "cities.csv", current_only=True)
