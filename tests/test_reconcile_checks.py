"""The catalogue of reconciliation checks (lod_unioni.reconcile.checks): the docs table is its
rendering, every check is reported by a family module and every check reported is declared, the
messages are filled in both languages.

The exact messages below were those of the card records before the checks were declared in the
catalogue: the national report and the users' reports depend on them.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from conftest import REPO

from lod_unioni.reconcile import FAMILIES, reconcile
from lod_unioni.reconcile.checks import CHECKS, EMPTY, SEVERITIES, Severity, Text, render_severities, render_table
from lod_unioni.reconcile.context import Context
from lod_unioni.records import load_records
from lod_unioni.sources.kinds import OPTIONAL_REGISTRY_KINDS, REGISTRY_KINDS

DOCS = REPO / "docs" / "reconcile-checks.md"
PACKAGE = REPO / "src" / "lod_unioni" / "reconcile"
FAMILY_MODULES = sorted(PACKAGE / f"{f.__module__.rsplit('.', 1)[1]}.py" for f in FAMILIES)
GENERATED = re.compile(
    r"<!-- generated: lod_unioni\.reconcile\.checks\.(\w+)\(\) -->\n(.*?)<!-- end generated -->", re.S
)


# --------------------------------------------------------------------------------------------
# The docs


def test_the_docs_tables_are_the_catalogue():
    """To update the docs: paste the output of render_table() / render_severities()."""
    found = dict(GENERATED.findall(DOCS.read_text(encoding="utf-8")))
    assert set(found) == {"render_table", "render_severities"}
    assert found["render_severities"] == render_severities()
    assert found["render_table"] == render_table()


def test_the_table_has_one_row_per_check():
    rows = [line for line in render_table().splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(CHECKS)
    assert (
        "| `ipa-name` | warning | IPA | the code fits but IPA's name is worded differently; info when" in render_table()
    )


# --------------------------------------------------------------------------------------------
# The catalogue against the family modules


def _family_trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in FAMILY_MODULES}


def _calls(tree: ast.Module, method: str) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == method
    ]


def _const(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def test_the_family_modules_are_the_package_modules_that_check():
    names = {p.stem for p in FAMILY_MODULES}
    assert names == {"territory", "ipa", "website", "members", "population", "ministry", "projects"}


def test_every_check_is_reported_by_a_family_module():
    strings = {_const(n) for tree in _family_trees().values() for n in ast.walk(tree)} - {None}
    assert sorted(set(CHECKS) - strings) == []


def test_every_check_a_family_reports_is_declared():
    prefixes = tuple({c.split("-", 1)[0] + "-" for c in CHECKS})
    for path, tree in _family_trees().items():
        for n in ast.walk(tree):
            text = _const(n)
            if text and text.startswith(prefixes) and re.fullmatch(r"[a-z]+(-[a-z]+)+", text):
                assert text in CHECKS, f"{path.name}: {text!r} is not a declared check"
        for call in _calls(tree, "add") + _calls(tree, "part"):
            check = _const(call.args[0]) if call.args else None
            assert check is None or check in CHECKS, f"{path.name}:{call.lineno}: {check!r}"


def test_every_situation_and_part_named_by_a_family_is_declared():
    for path, tree in _family_trees().items():
        for call in _calls(tree, "add"):
            check = _const(call.args[0])
            situation = next((_const(k.value) for k in call.keywords if k.arg == "situation"), "")
            if check and situation is not None:
                assert situation in CHECKS[check].messages, f"{path.name}:{call.lineno}: {check} {situation!r}"
        for call in _calls(tree, "part"):
            check, part = _const(call.args[0]), _const(call.args[1])
            if check and part:
                assert part in CHECKS[check].parts, f"{path.name}:{call.lineno}: {check} part {part!r}"


# --------------------------------------------------------------------------------------------
# The declarations


def test_each_check_compares_with_a_registry_and_has_messages():
    assert SEVERITIES == ("error", "warning", "info")
    for c in CHECKS.values():
        assert c.kind in REGISTRY_KINDS + OPTIONAL_REGISTRY_KINDS and c.registry
        assert isinstance(c.severity, Severity) and c.when and c.messages
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", c.id)
        if c.unless:
            assert c.unless.severity != c.severity and c.unless.when


def test_message_fields_leave_the_arguments_of_add_free():
    """A template field named like an argument of Context.add could not be passed."""
    reserved = {"situation", "unless", "member", "details", "source"}
    for c in CHECKS.values():
        for t in list(c.messages.values()) + list(c.parts.values()):
            for template in (t.en, t.it):
                fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
                assert not fields & reserved, (c.id, template)


def test_a_check_with_one_severity_has_no_other():
    assert CHECKS["ipa-name"].severity_for(unless=True) == "info"
    assert CHECKS["ministry-population"].severity_for(unless=True) == "warning"
    assert CHECKS["ipa-code-unknown"].severity_for() == "error"
    with pytest.raises(ValueError, match="one severity"):
        CHECKS["ipa-code-unknown"].severity_for(unless=True)


def test_text_fills_each_language_with_its_words():
    t = Text("{n!r} is {what} ({x:.2f}){tail}", "«{n}» è {what} ({x:.2f}){tail}")
    filled = t.format(n="Scerni", what=Text("high", "alta"), x=0.5, tail=EMPTY)
    assert filled == Text("'Scerni' is high (0.50)", "«Scerni» è alta (0.50)")
    assert Text.join("; ", [Text("a", "b"), Text("c", "d")]) == Text("a; c", "b; d")
    assert Text.join("; ", []) == EMPTY


def test_reporting_an_undeclared_check_fails(registries):
    record = load_records(REPO / "records")[0]
    ctx = Context(record, registries)
    with pytest.raises(KeyError):
        ctx.add("no-such-check", "union", None, None, None)


# --------------------------------------------------------------------------------------------
# The findings of the card records


@pytest.fixture(scope="module")
def card_findings(registries, card_records):
    return reconcile(load_records(card_records), registries).findings


def test_findings_have_the_declared_check_severity_and_registry(card_findings):
    assert card_findings
    for f in card_findings:
        c = CHECKS[f.check]
        assert f.severity in {c.severity, c.unless.severity if c.unless else c.severity}
        assert type(f.severity) is str and f.registry == c.registry and f.source.kind == c.kind


MESSAGES = {
    ("udcmd", "ipa-code-other-body"): (
        "IPA code udcmd belongs to another body, Unione Dei Comuni Dei Monti Dauni: its name 'Unione Dei Comuni "
        "Dei Monti Dauni' is not the record's 'Unione dei Miracoli' (similarity 0.32); its seat Accadia (071001) is "
        "not a member",
        "il codice IPA udcmd appartiene a un altro ente, Unione Dei Comuni Dei Monti Dauni: il suo nome «Unione "
        "Dei Comuni Dei Monti Dauni» non è quello del record «Unione dei Miracoli» (somiglianza 0.32); la sua sede "
        "Accadia (071001) non è tra i comuni membri",
    ),
    ("udcmd", "ipa-code-likely"): (
        "the union's IPA code is most likely udm_069 (high confidence): name 'Unione Dei Miracoli' (similarity "
        "1.00 with 'Unione dei Miracoli'); seat Casalbordino (069015), a member of the union; province CH",
        "il codice IPA dell'unione è molto probabilmente udm_069 (affidabilità alta): nome «Unione Dei Miracoli» "
        "(somiglianza 1.00 con «Unione dei Miracoli»); sede Casalbordino (069015), comune membro dell'unione; "
        "provincia CH",
    ),
    ("udcmd", "website-other-union"): (
        "the website's domain 'unionecomunialtoverduragebbia' is the name of another union, udag Unione Dei "
        "Comuni Alto Verdura e Gebbia (likeness 1.00; with the union's own name 0.39)",
        "il dominio del sito web «unionecomunialtoverduragebbia» è il nome di un'altra unione, udag Unione Dei "
        "Comuni Alto Verdura e Gebbia (somiglianza 1.00; con il nome dell'unione 0.39)",
    ),
    ("udcmd", "ministry-population"): (
        "population 11749 (2022-01-01) in the record, 12985 in the register (another date; difference -1236, 10%)",
        "popolazione 11749 (2022-01-01) nel record, 12985 nel registro (altra data; differenza -1236, 10%)",
    ),
    ("ull", "ministry-name"): (
        "the Ministry register (4170646020, found by IPA's name, province, members (9 of 9 in common)) names the "
        "union 'UNIONE LUCANA DEL LAGONEGRESE'",
        "il registro del Ministero (4170646020, trovata per nome in IPA, provincia, comuni (9 su 9 in comune)) "
        "chiama l'unione «UNIONE LUCANA DEL LAGONEGRESE»",
    ),
    ("ull", "union-population"): (
        "the union's population 34908 at 2022-01-01 differs from the sum of ISTAT's figures for its 9 members, "
        "34907 (difference +1)",
        "la popolazione dell'unione 34908 al 2022-01-01 differisce dalla somma dei dati ISTAT dei suoi 9 comuni, "
        "34907 (differenza +1)",
    ),
}


@pytest.mark.parametrize("key", list(MESSAGES), ids=lambda k: "-".join(k))
def test_the_messages_are_word_for_word(card_findings, key):
    (f,) = [f for f in card_findings if (f.union, f.check) == key]
    assert (f.message_en, f.message_it) == MESSAGES[key]
