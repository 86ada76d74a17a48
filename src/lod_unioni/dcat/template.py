"""The catalog template, ``ontology/catalog/catalog.yaml``: the fixed texts and codes of the
description, read and checked (every error names the file and the field)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import LodError
from ..resources import resource_dir

__all__ = ["HTTP_IRI", "IDENTIFIER", "TEMPLATE_FILE", "check_template", "load_template", "template_path"]

TEMPLATE_FILE = "catalog.yaml"

IDENTIFIER = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._~-]*\Z")
HTTP_IRI = re.compile(r"\Ahttps?://[^\s<>\"{}|\\^`]+\Z")
_CODE = re.compile(r"\A[A-Z][A-Z0-9_]*\Z")


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


def check_template(data: Any, file: str) -> None:
    """Check the shape of the catalog template; one error naming the field."""

    def need(obj: Any, path: str, kind: type, *, check: Callable[[Any], bool] | None = None) -> Any:
        cur = obj
        for part in path.split("."):
            if not isinstance(cur, Mapping) or part not in cur:
                raise LodError("missing", file=file, field=path)
            cur = cur[part]
        if not isinstance(cur, kind) or isinstance(cur, bool):
            raise LodError(f"must be a {'mapping' if kind is Mapping else kind.__name__}", file=file, field=path)
        if check is not None and not check(cur):
            raise LodError("invalid value", file=file, field=path)
        return cur

    def iri(v: object) -> bool:
        return isinstance(v, str) and HTTP_IRI.match(v) is not None

    def texts(v: Mapping[Any, Any]) -> bool:
        return (
            bool(v)
            and all(isinstance(k, str) and isinstance(t, str) and t.strip() for k, t in v.items())
            and {"it", "en"} <= set(v)
        )

    def codes(v: list[Any]) -> bool:
        return bool(v) and all(isinstance(c, str) and _CODE.match(c) for c in v)

    if not isinstance(data, Mapping):
        raise LodError("the catalog template must be a mapping", file=file)
    if data.get("catalog_format") != 1:
        raise LodError("unsupported catalog_format (expected 1)", file=file, field="catalog_format")
    need(data, "catalog.path", str, check=lambda v: re.fullmatch(r"[A-Za-z0-9/_-]+", v) is not None)
    need(data, "catalog.title", Mapping, check=texts)
    need(data, "catalog.description", Mapping, check=texts)
    need(data, "catalog.homepage", str, check=iri)
    need(data, "catalog.languages", list, check=codes)
    need(data, "catalog.theme_taxonomy", str, check=iri)
    need(data, "dataset.path", str, check=lambda v: re.fullmatch(r"[A-Za-z0-9/_-]+", v) is not None)
    need(data, "dataset.identifier_suffix", str, check=lambda v: IDENTIFIER.match(v) is not None)
    need(data, "dataset.title", Mapping, check=texts)
    need(data, "dataset.description", Mapping, check=texts)
    need(data, "dataset.themes", list, check=codes)
    need(data, "dataset.subjects", list, check=lambda v: all(iri(x) for x in v))
    need(
        data,
        "dataset.keywords",
        Mapping,
        check=lambda v: all(
            isinstance(ws, list) and all(isinstance(w, str) and w.strip() for w in ws) for ws in v.values()
        ),
    )
    need(data, "dataset.frequency", str, check=lambda v: _CODE.match(v) is not None)
    need(data, "dataset.languages", list, check=codes)
    need(data, "dataset.spatial", str, check=iri)
    need(data, "dataset.conforms_to.iri", str, check=iri)
    need(data, "dataset.conforms_to.identifier", str, check=lambda v: bool(v.strip()))
    need(data, "dataset.conforms_to.title", Mapping, check=texts)
    need(data, "publisher.identifier", str, check=lambda v: IDENTIFIER.match(v) is not None)
    need(data, "publisher.name", str, check=lambda v: bool(v.strip()))
    need(data, "license.iri", str, check=iri)
    need(data, "license.type", str, check=iri)
    need(data, "license.name", Mapping, check=texts)
    need(data, "license.version", str)
    formats = need(data, "formats", Mapping, check=bool)
    for key in formats:
        need(data, f"formats.{key}.file_type", str, check=lambda v: _CODE.match(v) is not None)
        need(
            data,
            f"formats.{key}.media_type",
            str,
            check=lambda v: re.fullmatch(r"[a-z]+/[A-Za-z0-9.+-]+", v) is not None,
        )
        need(data, f"formats.{key}.title", Mapping, check=texts)
        need(data, f"formats.{key}.description", Mapping, check=texts)
