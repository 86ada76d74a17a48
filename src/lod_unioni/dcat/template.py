"""The catalog template, ``ontology/catalog/catalog.yaml``: the fixed texts and codes of the
description, read and checked (every error names the file and the field)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import LodError
from ..resources import resource_dir
from ..vocab import EU_COUNTRY, EU_DATA_THEME, EU_FILE_TYPE, EU_FREQUENCY, EU_LANGUAGE, EU_PLANNED_AVAILABILITY

__all__ = [
    "BASE_PLACEHOLDER",
    "HTTP_IRI",
    "IDENTIFIER",
    "TEMPLATE_FILE",
    "check_template",
    "labelled_iris",
    "load_template",
    "template_path",
]

TEMPLATE_FILE = "catalog.yaml"

#: What a URL of the template writes for the base IRI of the build (``homepage: "{base}"``).
BASE_PLACEHOLDER = "{base}"

IDENTIFIER = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._~-]*\Z")
HTTP_IRI = re.compile(r"\Ahttps?://[^\s<>\"{}|\\^`]+\Z")
_CODE = re.compile(r"\A[A-Z][A-Z0-9_]*\Z")
_PATH = re.compile(r"\A[A-Za-z0-9/_-]+\Z")
_MEDIA_TYPE = re.compile(r"\A[a-z]+/[A-Za-z0-9.+-]+\Z")
_LANGUAGE_TAG = re.compile(r"\A[a-z]{2,3}\Z")


def template_path() -> Path:
    """The bundled ``ontology/catalog/catalog.yaml``."""
    return resource_dir("ontology") / "catalog" / TEMPLATE_FILE


def load_template(path: str | Path | None = None) -> dict:
    """Read and check the catalog template (``yaml.safe_load``); errors name the file and field."""
    p = Path(path) if path is not None else template_path()
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LodError(f"cannot read catalog template: {exc.strerror or exc}", file=str(p)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LodError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            file=str(p),
            line=None if mark is None else mark.line + 1,
        ) from None
    check_template(data, str(p))
    return data


def labelled_iris(tpl: Mapping[str, Any]) -> Iterator[str]:
    """The IRIs of the controlled values of a (checked) template, each needing its labels: the data
    themes and their scheme, the sub-themes and subjects, the frequency, the languages, the
    country, the file types, the availability and the licence type."""
    cat, ds = tpl["catalog"], tpl["dataset"]
    yield EU_DATA_THEME.rstrip("/")
    for theme, subthemes in ds["themes"].items():
        yield EU_DATA_THEME + theme
        yield from subthemes
    yield from ds["subjects"]
    yield EU_FREQUENCY + ds["frequency"]
    for code in (*cat["languages"], *ds["languages"]):
        yield EU_LANGUAGE + code
    for code in (cat["spatial"], ds["spatial"]):
        yield EU_COUNTRY + code
    for f in tpl["formats"].values():
        yield EU_FILE_TYPE + f["file_type"]
    yield EU_PLANNED_AVAILABILITY + tpl["availability"]
    yield tpl["license"]["type"]


def _iri(v: object) -> bool:
    return isinstance(v, str) and HTTP_IRI.match(v) is not None


def _url(v: object) -> bool:
    """An http(s) IRI, or one starting with the base IRI (``{base}...``)."""
    return isinstance(v, str) and (v.startswith(BASE_PLACEHOLDER) or _iri(v)) and " " not in v


def _texts(v: Mapping[Any, Any], *, both: bool = True) -> bool:
    """Texts by language: ``it`` and ``en`` (``both``), or at least one language tag."""
    ok = bool(v) and all(
        isinstance(k, str) and _LANGUAGE_TAG.match(k) and isinstance(t, str) and t.strip() for k, t in v.items()
    )
    return ok and (not both or {"it", "en"} <= set(v))


def _codes(v: list[Any]) -> bool:
    return bool(v) and all(isinstance(c, str) and _CODE.match(c) for c in v)


def _code(v: object) -> bool:
    return isinstance(v, str) and _CODE.match(v) is not None


class _Checker:
    """Checks the parts of the template; the first error names the file and the field."""

    def __init__(self, data: Any, file: str) -> None:
        self.data = data
        self.file = file

    def need(self, path: str, kind: type, check: Callable[[Any], bool] | None = None) -> Any:
        cur = self.data
        for part in path.split("."):
            if not isinstance(cur, Mapping) or part not in cur:
                raise LodError("missing", file=self.file, field=path)
            cur = cur[part]
        if not isinstance(cur, kind) or isinstance(cur, bool):
            name = "mapping" if kind is Mapping else kind.__name__
            raise LodError(f"must be a {name}", file=self.file, field=path)
        if check is not None and not check(cur):
            raise LodError("invalid value", file=self.file, field=path)
        return cur

    def catalog(self) -> None:
        self.need("catalog.path", str, lambda v: _PATH.match(v) is not None)
        self.need("catalog.title", Mapping, _texts)
        self.need("catalog.description", Mapping, _texts)
        self.need("catalog.homepage", str, _url)
        self.need("catalog.languages", list, _codes)
        self.need("catalog.spatial", str, _code)

    def dataset(self) -> None:
        self.need("dataset.path", str, lambda v: _PATH.match(v) is not None)
        self.need("dataset.identifier_suffix", str, lambda v: IDENTIFIER.match(v) is not None)
        self.need("dataset.title", Mapping, _texts)
        self.need("dataset.description", Mapping, _texts)
        self.need("dataset.landing_page", str, _url)
        themes = self.need("dataset.themes", Mapping, bool)
        for theme in themes:
            if not _code(theme):
                raise LodError(
                    f"{theme!r} is not a code of the EU data-theme table", file=self.file, field="dataset.themes"
                )
            self.need(f"dataset.themes.{theme}", list, lambda v: all(_iri(x) for x in v))
        self.need("dataset.subjects", list, lambda v: all(_iri(x) for x in v))
        self.need(
            "dataset.keywords",
            Mapping,
            lambda v: all(
                isinstance(ws, list) and all(isinstance(w, str) and w.strip() for w in ws) for ws in v.values()
            ),
        )
        self.need("dataset.frequency", str, _code)
        self.need("dataset.languages", list, _codes)
        self.need("dataset.spatial", str, _code)
        self.need("dataset.conforms_to.iri", str, _iri)
        self.need("dataset.conforms_to.identifier", str, lambda v: bool(v.strip()))
        self.need("dataset.conforms_to.title", Mapping, _texts)

    def rest(self) -> None:
        self.need("example_publisher", Mapping, _texts)
        for key in ("iri", "type", "type_scheme"):
            self.need(f"license.{key}", str, _iri)
        self.need("license.name", Mapping, _texts)
        self.need("license.version", str)
        self.need("availability", str, _code)
        formats = self.need("formats", Mapping, bool)
        for key in formats:
            self.need(f"formats.{key}.file_type", str, _code)
            self.need(f"formats.{key}.media_type", str, lambda v: _MEDIA_TYPE.match(v) is not None)
            self.need(f"formats.{key}.title", Mapping, _texts)
            self.need(f"formats.{key}.description", Mapping, _texts)
        for part in ("title", "description"):
            self.need(f"version.{part}", Mapping, lambda v: _texts(v) and all("{version}" in t for t in v.values()))

    def labels(self) -> None:
        labels = self.need("labels", Mapping)
        for iri in labelled_iris(self.data):
            if iri not in labels:
                raise LodError(f"no labels for {iri}", file=self.file, field="labels")
            if not isinstance(labels[iri], Mapping) or not _texts(labels[iri], both=False):
                raise LodError(f"the labels of {iri} must map language tags to texts", file=self.file, field="labels")


def check_template(data: Any, file: str) -> None:
    """Check the shape of the catalog template; one error naming the field."""
    if not isinstance(data, Mapping):
        raise LodError("the catalog template must be a mapping", file=file)
    if data.get("catalog_format") != 2:
        raise LodError("unsupported catalog_format (expected 2)", file=file, field="catalog_format")
    checker = _Checker(data, file)
    checker.catalog()
    checker.dataset()
    checker.rest()
    checker.labels()
