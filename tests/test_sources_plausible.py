"""Registry files are checked for plausibility before use (lod_unioni.sources.plausible): for every
kind the registries read, a header-only file and a truncated one stop the command with one line
naming the file and the check; --allow-implausible lets them through, loudly. The real files pass."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from conftest import FIXTURES_DIR

from lod_unioni.cli import main
from lod_unioni.errors import SourceError
from lod_unioni.sources._csv import read_csv
from lod_unioni.sources.ipa import read_ipa_index
from lod_unioni.sources.istat import read_istat_comuni, read_istat_population
from lod_unioni.sources.kinds import KINDS, REGISTRY_KINDS, find_source_file
from lod_unioni.sources.ministero import read_ministry_register
from lod_unioni.sources.ontopia import read_cities, read_provinces, read_regions
from lod_unioni.sources.plausible import check_plausible

READERS = {
    "istat-comuni": read_istat_comuni,
    "istat-population": read_istat_population,
    "ontopia-cities": read_cities,
    "ontopia-provinces": read_provinces,
    "ontopia-regions": read_regions,
    "ipa-enti": read_ipa_index,
    "ministry-unions": read_ministry_register,
}


def test_every_registry_kind_declares_its_checks():
    assert set(READERS) == set(REGISTRY_KINDS)
    for kind in REGISTRY_KINDS:
        assert KINDS[kind].plausible is not None, kind


def test_the_real_files_pass_with_margin(registries):
    """The registries of ../shared/data were read with the checks; each count is inside its range
    with at least 5% of margin either way."""
    counts = {
        "istat-comuni": len(registries.istat),
        "istat-population": len(registries.population),
        "ontopia-cities": len(read_cities(registries.files["ontopia-cities"])),
        "ontopia-provinces": len(registries.provinces),
        "ontopia-regions": len(registries.regions),
        "ipa-enti": len(registries.ipa),
        "ministry-unions": len(registries.ministry),
    }
    for kind, n in counts.items():
        low, high = KINDS[kind].plausible.rows
        assert low <= 0.95 * n and 1.05 * n <= high, kind


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _header_only(path: Path, out: Path) -> Path:
    first_row = read_csv(path).rows[0][0]  # its physical line: header cells may hold newlines
    out.write_bytes(b"".join(_lines(path)[: first_row - 1]))
    return out


def _ministry_lines(path: Path, unions: int) -> list[bytes]:
    """The register's lines up to (not including) the row of union number ``unions + 1``."""
    lines = _lines(path)
    seen = 0
    for i, line in enumerate(lines[1:], start=1):
        if line.split(b";", 1)[0].strip() == b"1":  # NR. 1: the first member of a union
            seen += 1
            if seen == unions + 1:
                return lines[:i]
    return lines


def _truncated(kind: str, path: Path, out: Path) -> Path:
    if kind == "ministry-unions":
        out.write_bytes(b"".join(_ministry_lines(path, 434)))
        return out
    lines = _lines(path)
    out.write_bytes(b"".join(lines[: len(lines) // 2]))
    return out


@pytest.mark.parametrize("kind", REGISTRY_KINDS)
@pytest.mark.parametrize("damage", ["header-only", "truncated"])
def test_a_header_only_or_truncated_file_is_refused(registries, tmp_path, kind, damage, capsys):
    real = registries.files[kind]
    broken = tmp_path / real.name
    if damage == "header-only":
        _header_only(real, broken)
    else:
        _truncated(kind, real, broken)
    items = READERS[kind](broken)
    with pytest.raises(SourceError) as err:
        check_plausible(kind, broken, items)
    message = str(err.value)
    assert message.startswith(f"{broken}: implausible {KINDS[kind].label} file: ") and "\n" not in message
    assert "row(s) where a complete" in message and "--allow-implausible" in message
    check_plausible(kind, broken, items, allow=True)
    assert "used anyway (--allow-implausible)" in capsys.readouterr().err


def test_a_column_gone_empty_is_refused(registries, tmp_path):
    """The population file with its population column emptied (the file has every row)."""
    real = registries.files["istat-population"]
    rows = list(csv.reader(io.StringIO(real.read_text(encoding="utf-8"))))
    k = rows[0].index("population")
    for row in rows[1:]:
        row[k] = ""
    broken = tmp_path / real.name
    with broken.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(SourceError, match=r"population is empty in 7,904 of 7,904 row\(s\)"):
        check_plausible("istat-population", broken, read_istat_population(broken))


# ------------------------------------------------------------------------------------------ commands


def _folder_with(shared_data: Path, tmp_path: Path, kind: str, content: bytes) -> Path:
    """A sources folder of links to the real files, the file of ``kind`` replaced by ``content``."""
    folder = tmp_path / "sources"
    for kind_ in REGISTRY_KINDS:
        real = find_source_file(shared_data, kind_)
        target = folder / real.relative_to(shared_data)
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind_ == kind:
            target.write_bytes(content)
        else:
            os.symlink(real, target)
    return folder


def test_the_national_build_stops_on_a_header_only_regions_file(shared_data, tmp_path, capsys):
    """regions.csv with its header only: a TypeError traceback (exit 1) before the checks."""
    header = _lines(shared_data / "ontopia" / "regions.csv")[0]
    folder = _folder_with(shared_data, tmp_path, "ontopia-regions", header)
    assert main(["-q", "build", "--national", "--sources", str(folder), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"lod-unioni: error: {folder / 'ontopia' / 'regions.csv'}: implausible OntoPiA regions file: 0 row(s) "
        "where a complete OntoPiA regions file has 19 to 25 (a header-only or truncated file?); replace it "
        "(lod-unioni sources fetch) or pass --allow-implausible to use it anyway"
    ]
    assert not (tmp_path / "out").exists()


def test_reconcile_stops_on_a_header_only_istat_list(shared_data, tmp_path, capsys, monkeypatch):
    """A header-only ISTAT list gave 2 of 557 unions in the national build; reconcile read it too."""
    real = find_source_file(shared_data, "istat-comuni")
    folder = _folder_with(shared_data, tmp_path, "istat-comuni", b"")
    _header_only(real, folder / "istat" / real.name)
    argv = ["reconcile", "--records", "records", "--sources", str(folder)]
    assert main(argv) == 2
    [line] = [x for x in capsys.readouterr().err.splitlines() if x.startswith("lod-unioni: error:")]
    assert "implausible ISTAT comuni file: 0 row(s)" in line
    # --allow-implausible reaches the registries (stopped there: the rest is the same reconcile)
    import lod_unioni.registries

    def stop(sources):
        raise SourceError(f"allowed: {sources.allow_implausible}")

    monkeypatch.setattr(lod_unioni.registries, "load_registries", stop)
    assert main([*argv, "--allow-implausible"]) == 2
    assert "allowed: True" in capsys.readouterr().err


def test_build_refuses_allow_implausible_without_registry_files(capsys):
    from lod_unioni.cli import main

    assert main(["build", "--allow-implausible"]) == 2
    err = capsys.readouterr().err
    assert "--allow-implausible goes with --sources or --national" in err and err[-1] == "\n" and err.count("\n") == 1


def test_validate_with_sources_stops_on_an_implausible_file_unless_allowed(shared_data, tmp_path, capsys):
    """validate --sources reads the registries too: the same checks, the same way past them."""
    header = _lines(shared_data / "ontopia" / "regions.csv")[0]
    folder = _folder_with(shared_data, tmp_path, "ontopia-regions", header)
    data = FIXTURES_DIR / "shapes" / "cards.ttl"
    argv = ["validate", str(data), "--sources", str(folder), "--records", "records"]
    assert main(argv) == 2
    [line] = [x for x in capsys.readouterr().err.splitlines() if x.startswith("lod-unioni: error:")]
    assert "implausible OntoPiA regions file: 0 row(s)" in line and "--allow-implausible" in line
    code = main([*argv, "--allow-implausible"])
    err = capsys.readouterr().err
    assert code in (0, 1) and "used anyway (--allow-implausible)" in err


def test_validate_takes_allow_implausible_only_with_sources(capsys):
    assert main(["validate", str(FIXTURES_DIR / "shapes" / "cards.ttl"), "--allow-implausible"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "lod-unioni: error: --allow-implausible goes with --sources (the registry files it lets through)"
    ]


def test_import_card_checks_its_registry_files_too(shared_data, seeds_dir, tmp_path, capsys):
    """import-card read the ISTAT list and OntoPiA without the checks of the build: a truncated
    cities file made every comune of a card 'not found' instead of stopping."""
    real = find_source_file(shared_data, "ontopia-cities")
    folder = _folder_with(shared_data, tmp_path, "ontopia-cities", b"")
    _header_only(real, folder / "ontopia" / real.name)
    card = sorted(seeds_dir.glob("*.txt"))[0]
    out = tmp_path / "records"
    argv = ["-q", "import-card", str(card), "--sources", str(folder), "--out", str(out)]
    assert main(argv) == 2
    [line] = [x for x in capsys.readouterr().err.splitlines() if x.startswith("lod-unioni: error:")]
    assert line.startswith(
        f"lod-unioni: error: {folder / 'ontopia' / real.name}: implausible OntoPiA cities file: 0 row(s)"
    )
    assert not out.exists()
    assert main([*argv, "--allow-implausible"]) == 1  # used anyway: every comune unresolved
    assert "used anyway (--allow-implausible)" in capsys.readouterr().err
