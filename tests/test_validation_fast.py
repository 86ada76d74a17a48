"""The fast SHACL engine on hand-written cases: each item the W3C suite covers thinly or not at all
(nested shapes on value nodes, pre-binding everywhere in a query, components typed through a
subclass, custom severities, the data's own terms, XSD lexical spaces, property pairs, closed and
qualified shapes, deactivation, $currentShape and $shapesGraph, prefixes, SELECT and ASK
validators) and what the engine refuses (bad shapes, recursion, SHACL-AF, queries a store cannot
evaluate faithfully)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest import EX, SH, XSD

from lod_unioni.validation.fast import FastEngine, ShapesError, UnsupportedFeature, UnsupportedShapes
from lod_unioni.validation.fast.xsd import compare, well_formed

HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
"""
INTEGER = '"%s"^^<http://www.w3.org/2001/XMLSchema#integer>'
DECIMAL = '"%s"^^<http://www.w3.org/2001/XMLSchema#decimal>'


def turtle(text: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(HEAD + text, format=ox.RdfFormat.TURTLE)]


def validate(shapes: str, data: str, **kwargs) -> list:
    return FastEngine(turtle(shapes)).run(turtle(data), **kwargs)


def short(term) -> str | None:
    """ex:x for IRIs, the N-Triples form of literals, [] for blank nodes."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        for prefix, ns in (("ex:", EX), ("sh:", SH), ("xsd:", XSD)):
            if term.value.startswith(ns):
                return prefix + term.value[len(ns) :]
        return str(term)
    if isinstance(term, ox.BlankNode):
        return "[]"
    return str(term)


def summary(results) -> list[tuple]:
    """(focus, component, value, path, severity) of each result, sorted."""
    return sorted(
        (
            short(r.focus),
            short(r.component).removeprefix("sh:").removesuffix("ConstraintComponent"),
            short(r.value),
            short(r.path) if isinstance(r.path, ox.NamedNode) else r.path,
            short(r.severity).removeprefix("sh:"),
        )
        for r in results
    )


# --- shapes on value nodes, at any depth ----------------------------------------------------------


def test_a_property_shape_inside_a_property_shape_validates_the_value_nodes():
    shapes = """ex:S sh:targetNode ex:a ;
        sh:property [ sh:path ex:child ; sh:property [ sh:path ex:name ; sh:minCount 1 ] ] ."""
    data = 'ex:a ex:child ex:b , ex:c . ex:c ex:name "C" .'  # ex:a has no name: not its business
    assert summary(validate(shapes, data)) == [("ex:b", "MinCount", None, "ex:name", "Violation")]


def test_node_and_property_at_depth_three():
    shapes = """ex:S sh:targetNode ex:a ;
        sh:property [ sh:path ex:child ; sh:node ex:T ] .
        ex:T sh:property [ sh:path ex:child ; sh:property [ sh:path ex:age ; sh:datatype xsd:integer ] ] ."""
    data = 'ex:a ex:child ex:b . ex:b ex:child ex:c . ex:c ex:age "old" .'
    assert summary(validate(shapes, data)) == [("ex:a", "Node", "ex:b", "ex:child", "Violation")]


def test_logical_components_on_value_nodes():
    shapes = """ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:v ;
        sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:string ] ) ;
        sh:xone ( [ sh:datatype xsd:integer ] [ sh:minInclusive 0 ] ) ;
        sh:not [ sh:hasValue 7 ] ;
        sh:and ( [ sh:nodeKind sh:Literal ] [ sh:maxLength 2 ] ) ] ."""
    data = 'ex:a ex:v 5 , -1 , 7 , "abc" , 1.5 .'
    # 1.5 is neither an integer nor a string, 3 characters long; "abc" is not comparable with 0;
    # 5 and 7 are integers and >= 0 (two shapes of sh:xone), -1 only an integer
    assert [(component, value) for _f, component, value, _p, _s in summary(validate(shapes, data))] == [
        ("And", DECIMAL % "1.5"),
        ("And", '"abc"'),
        ("Not", INTEGER % 7),
        ("Or", DECIMAL % "1.5"),
        ("Xone", INTEGER % 5),
        ("Xone", INTEGER % 7),
        ("Xone", '"abc"'),
    ]


# --- SHACL-SPARQL: pre-binding everywhere in the query --------------------------------------------

PREBINDING_QUERIES = {
    "filter only": "SELECT $this WHERE { FILTER ($this = ex:bad) }",
    "union branch": "SELECT $this WHERE { { FILTER (false) } UNION { FILTER ($this = ex:bad) } }",
    "nested group": "SELECT $this WHERE { { { FILTER ($this = ex:bad) } FILTER bound($this) } FILTER (true) }",
    "bind": "SELECT $this WHERE { BIND ($this AS ?that) FILTER (?that = ex:bad) }",
    "optional": "SELECT $this WHERE { OPTIONAL { ?x ex:p ?v FILTER (?x = $this) } FILTER (bound(?v)) }",
    "exists": "SELECT $this WHERE { FILTER EXISTS { { ?s ex:p ?o FILTER (?s = $this) } } }",
    "subquery": "SELECT $this WHERE { { SELECT $this WHERE { $this ex:p ?v } } }",
    "aggregate": "SELECT (COUNT(?v) AS ?n) WHERE { $this ex:q ?v } HAVING (COUNT(?v) > 1)",
    "grouped": "SELECT $this (COUNT(?v) AS ?n) WHERE { $this ex:q ?v } GROUP BY $this HAVING (COUNT(?v) > 1)",
    "values of paths": "SELECT $this WHERE { $this ex:q/^ex:q $this . $this ex:q 2 }",
}


@pytest.mark.parametrize("query", PREBINDING_QUERIES.values(), ids=PREBINDING_QUERIES.keys())
def test_this_is_pre_bound_everywhere_in_the_query(query):
    shapes = f'ex:S sh:targetNode ex:bad , ex:good ; sh:sparql [ sh:select """PREFIX ex: <{EX}> {query}""" ] .'
    data = "ex:bad ex:p 1 ; ex:q 1 , 2 . ex:good ex:q 3 ."
    assert summary(validate(shapes, data)) == [("ex:bad", "SPARQL", "ex:bad", None, "Violation")]
    one_by_one = [validate(shapes.replace("ex:bad , ex:good", node), data) for node in ("ex:bad", "ex:good")]
    assert summary(one_by_one[0] + one_by_one[1]) == summary(validate(shapes, data))


def test_limit_applies_to_each_focus_node():
    shapes = f'ex:S sh:targetNode ex:a , ex:b ; sh:sparql [ sh:select """PREFIX ex: <{EX}> SELECT $this ?value WHERE {{ $this ex:q ?value }} ORDER BY ?value LIMIT 1""" ] .'
    data = "ex:a ex:q 1 , 2 . ex:b ex:q 3 , 4 ."
    assert [(f, v) for f, _c, v, _p, _s in summary(validate(shapes, data))] == [
        ("ex:a", INTEGER % 1),
        ("ex:b", INTEGER % 3),
    ]


def test_pre_binding_of_blank_node_focus_nodes():
    shapes = f"""ex:S sh:targetSubjectsOf ex:flag ; sh:sparql [ sh:select \"\"\"PREFIX ex: <{EX}>
        SELECT $this ?value WHERE {{ {{ FILTER (false) }} UNION {{ $this ex:flag true ; ex:v ?value }} }}\"\"\" ] ."""
    data = "[] ex:flag true ; ex:v 1 . [] ex:flag false ; ex:v 2 ."
    assert summary(validate(shapes, data)) == [("[]", "SPARQL", INTEGER % 1, None, "Violation")]


@pytest.mark.parametrize(
    "query, why",
    [
        ("SELECT $this WHERE { $this ?p ?o MINUS { $this ex:p ?o } }", "MINUS"),
        ("SELECT $this WHERE { VALUES ?o { 1 } $this ex:p ?o }", "VALUES"),
        ("SELECT $this WHERE { $this ex:p ?o } VALUES ?o { 1 }", "VALUES"),
        ("SELECT $this WHERE { SERVICE <http://example.org/sparql> { $this ex:p ?o } }", "SERVICE"),
        ("SELECT $this WHERE { BIND (ex:a AS $this) }", "assigned with AS"),
        ("SELECT $this WHERE { $this ex:p ?o { SELECT ?o WHERE { ?s ex:p ?o } } }", "does not return"),
        ("SELECT $this WHERE { { SELECT * WHERE { FILTER ($this = ex:a) } } }", "does not return"),
        ("SELECT $this WHERE { $this ex:p ?o ", "SPARQL query"),
        ("ASK { $this ex:p ?o }", "not a SELECT"),
    ],
)
def test_queries_the_recommendation_forbids_are_bad_shapes(tmp_path, query, why):
    shapes = f'ex:S sh:targetNode ex:a ; sh:sparql [ sh:select """PREFIX ex: <{EX}> {query}""" ] .'
    with pytest.raises(ShapesError) as info:
        FastEngine(turtle(shapes), (tmp_path / "shapes.ttl",))
    message = str(info.value)
    assert why in message and f"<{EX}S>" in message and "shapes.ttl" in message and "\n" not in message


def test_an_ask_validator_must_not_assign_value():
    shapes = """ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:lang ] ;
        sh:validator [ sh:ask \"\"\"ASK { BIND (true AS ?value) FILTER (langMatches(lang(?value), $lang)) }\"\"\" ] .
        ex:S sh:targetNode ex:a ; ex:lang "en" ."""
    with pytest.raises(ShapesError, match="value"):
        FastEngine(turtle(shapes))


def test_current_shape_and_shapes_graph():
    shapes = f"""ex:S sh:targetNode ex:a , ex:b ; ex:limit 1 ; sh:sparql [ sh:select \"\"\"PREFIX ex: <{EX}>
        SELECT $this ?value WHERE {{ $this ex:n ?value . GRAPH $shapesGraph {{ $currentShape ex:limit ?limit }}
        FILTER (?value > ?limit) }}\"\"\" ] ."""
    data = "ex:a ex:n 1 . ex:b ex:n 2 ."
    assert summary(validate(shapes, data)) == [("ex:b", "SPARQL", INTEGER % 2, None, "Violation")]


def test_current_shape_as_a_blank_node():
    shapes = f"""ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:n ; ex:limit 1 ; sh:sparql [ sh:select \"\"\"
        PREFIX ex: <{EX}> SELECT $this ?value WHERE {{ $this $PATH ?value .
        GRAPH $shapesGraph {{ $currentShape ex:limit ?limit }} FILTER (?value > ?limit) }}\"\"\" ] ] ."""
    data = "ex:a ex:n 1 , 2 ."
    assert summary(validate(shapes, data)) == [("ex:a", "SPARQL", INTEGER % 2, "ex:n", "Violation")]


def test_prefixes_are_declared_through_owl_imports():
    shapes = """ex:prefixes owl:imports ex:more ; sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
        ex:more sh:declare [ sh:prefix "t" ; sh:namespace "http://example.org/t#" ] .
        ex:S sh:targetNode ex:a ; sh:sparql [ sh:prefixes ex:prefixes ;
            sh:select "SELECT $this ?value WHERE { $this ex:p ?value FILTER (?value = t:x) }" ] ."""
    data = "ex:a ex:p <http://example.org/t#x> , ex:y ."
    assert summary(validate(shapes, data)) == [("ex:a", "SPARQL", "ex:t#x", None, "Violation")]


def test_a_prefix_declared_twice_differently_is_a_bad_shape():
    shapes = """ex:p sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/" ] ,
            [ sh:prefix "ex" ; sh:namespace "http://example.com/" ] .
        ex:S sh:targetNode ex:a ; sh:sparql [ sh:prefixes ex:p ; sh:select "SELECT $this WHERE { $this ex:p ?o }" ] ."""
    with pytest.raises(ShapesError, match="declared for two namespaces"):
        FastEngine(turtle(shapes))


def test_messages_keep_their_language_and_get_the_bindings():
    shapes = f"""ex:S sh:targetNode ex:a ; sh:sparql [ sh:message "{{$this}} ha {{?n}} valori"@it ;
        sh:select \"\"\"PREFIX ex: <{EX}> SELECT $this ?n WHERE {{ BIND (3 AS ?n) }}\"\"\" ] ."""
    [result] = validate(shapes, "")
    assert result.messages == [ox.Literal(f"{EX}a ha 3 valori", language="it")]
    assert result.source_constraint is not None and result.value == ox.NamedNode(EX + "a")


# --- SPARQL-based constraint components -----------------------------------------------------------

COMPONENT = f"""ex:Component rdfs:subClassOf sh:ConstraintComponent .
    ex:Ask rdfs:subClassOf sh:SPARQLAskValidator .
    ex:Concat a ex:Component ;
        sh:parameter [ sh:path ex:first ] , [ sh:path ex:second ] , [ sh:path ex:suffix ; sh:optional true ] ;
        sh:validator [ a ex:Ask ; sh:message "{{$value}} is not {{$first}}{{$second}}" ;
            sh:ask \"\"\"ASK {{ FILTER (?value = CONCAT($first, $second, COALESCE($suffix, ""))) }}\"\"\" ] ;
        sh:nodeValidator [ sh:select \"\"\"SELECT $this WHERE {{ FILTER (STR($this) != CONCAT($first, $second)) }}\"\"\" ] ;
        sh:propertyValidator [ sh:prefixes ex:ns ; sh:select \"\"\"SELECT $this ?value WHERE {{ $this $PATH ?value
            FILTER (?value != CONCAT($first, $second)) }}\"\"\" ] .
    ex:ns sh:declare [ sh:prefix "ex" ; sh:namespace "{EX}" ] .
"""


def test_a_component_typed_through_a_subclass_with_an_ask_validator():
    engine = FastEngine(turtle(COMPONENT + 'ex:S sh:targetNode "ab" , "abc" ; ex:first "a" ; ex:second "b" .'))
    # a node shape uses the node validator (SELECT) when there is one
    assert summary(engine.run([])) == [('"abc"', "ex:Concat", '"abc"', None, "Violation")]


def test_optional_parameters_and_the_property_validator():
    shapes = COMPONENT + """ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:v ; ex:first "a" ; ex:second "b" ] ."""
    results = validate(shapes, 'ex:a ex:v "ab" , "ba" .')
    assert summary(results) == [("ex:a", "ex:Concat", '"ba"', "ex:v", "Violation")]


def test_an_ask_validator_on_each_value_node():
    shapes = """ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:lang ] ;
        sh:validator [ sh:message "not in {$lang}"@en ;
            sh:ask "ASK { FILTER (isLiteral($value) && langMatches(lang($value), $lang)) }" ] .
        ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:label ; ex:lang "de" ] ."""
    [result] = validate(shapes, 'ex:a ex:label "Haus"@de , "house"@en .')
    assert (result.value, result.component) == (ox.Literal("house", language="en"), ox.NamedNode(EX + "C"))
    assert result.messages == [ox.Literal("not in de", language="en")] and result.source_constraint is None


def test_a_shape_without_the_mandatory_parameters_does_not_use_the_component():
    shapes = COMPONENT + 'ex:S sh:targetNode "x" ; ex:first "a" .'
    assert FastEngine(turtle(shapes)).run([]) == []


# --- severities, messages, the data's own terms -----------------------------------------------------


def test_a_custom_severity_is_reported_as_itself():
    shapes = """ex:S sh:targetNode ex:a ; sh:severity ex:MySeverity ; sh:class ex:C ;
        sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Info ] ."""
    assert summary(validate(shapes, "")) == [
        ("ex:a", "Class", "ex:a", None, "ex:MySeverity"),
        ("ex:a", "MinCount", None, "ex:p", "Info"),  # the property shape's own severity
    ]


def test_results_carry_the_data_s_own_terms():
    shapes = """ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:n ; sh:maxExclusive 4 ] ;
        sh:property [ sh:path ex:b ; sh:datatype xsd:byte ] ."""
    data = 'ex:a ex:n "4.0"^^xsd:decimal , "4.00"^^xsd:decimal , "3.50"^^xsd:decimal ; ex:b "300"^^xsd:byte , "12"^^xsd:byte .'
    assert [(c, v) for _f, c, v, _p, _s in summary(validate(shapes, data))] == [
        ("Datatype", '"300"^^<http://www.w3.org/2001/XMLSchema#byte>'),  # not "300"^^xsd:integer
        ("MaxExclusive", DECIMAL % "4.0"),  # not "4"
        ("MaxExclusive", DECIMAL % "4.00"),
    ]


@pytest.mark.parametrize(
    "lexical, datatype, ok",
    [
        ("300", "byte", False),
        ("-128", "byte", True),
        ("127", "byte", True),
        ("-129", "byte", False),
        ("65535", "unsignedShort", True),
        ("-1", "nonNegativeInteger", False),
        ("0", "positiveInteger", False),
        ("0", "nonPositiveInteger", True),
        ("-0", "negativeInteger", False),
        ("9223372036854775808", "long", False),
        ("1.5", "integer", False),
        ("+01", "integer", True),
        (" 1", "integer", False),
        (".5", "decimal", True),
        ("1e3", "decimal", False),
        ("-INF", "double", True),
        ("NaN", "float", True),
        ("1.0E-2", "float", True),
        ("1", "boolean", True),
        ("yes", "boolean", False),
        ("2024-02-29", "date", True),
        ("2023-02-29", "date", False),
        ("2024-13-01", "date", False),
        ("2024-01-01T24:00:00", "dateTime", True),
        ("2024-01-01T10:00:00", "dateTimeStamp", False),
        ("2024-01-01T10:00:00Z", "dateTimeStamp", True),
        ("10:61:00", "time", False),
        ("2024", "gYear", True),
        ("24", "gYear", False),
        ("--02-29", "gMonthDay", True),
        ("--02-30", "gMonthDay", False),
        ("---31", "gDay", True),
        ("P1Y2M3DT4H5M6.5S", "duration", True),
        ("P", "duration", False),
        ("P1DT", "duration", False),
        ("P1Y", "dayTimeDuration", False),
        ("PT1H", "yearMonthDuration", False),
        ("abc", "hexBinary", False),
        ("0FB7", "hexBinary", True),
        ("aGVsbG8=", "base64Binary", True),
        ("aGVsbG8", "base64Binary", False),
        ("en-GB", "language", True),
        ("en_GB", "language", False),
        ("a b", "token", True),
        ("a  b", "token", False),
        ("a\tb", "normalizedString", False),
        ("1abc", "NCName", False),
        ("a:b", "NCName", False),
        ("a:b", "Name", True),
        ("anything at all", "string", True),
        ("not a URI, still", "anyURI", True),
    ],
)
def test_lexical_spaces(lexical, datatype, ok):
    assert well_formed(ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))) is ok


def test_ill_formed_literals_fail_sh_datatype():
    shapes = "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:n ; sh:datatype xsd:nonNegativeInteger ] ."
    data = 'ex:a ex:n "-1"^^xsd:nonNegativeInteger , "7"^^xsd:nonNegativeInteger , "7"^^xsd:integer .'
    assert [v for _f, _c, v, _p, _s in summary(validate(shapes, data))] == [
        '"-1"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>',
        INTEGER % 7,  # the right value, the wrong datatype
    ]


def lit(lexical: str, datatype: str = "string") -> ox.Literal:
    return ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (lit("1", "integer"), lit("1.0", "decimal"), 0),
        (lit("100", "byte"), lit("2.5E2", "double"), -1),
        (lit("300", "byte"), lit("2.5E2", "double"), None),  # not a byte: ill-formed
        (lit("a"), lit("b"), -1),
        (lit("a"), lit("1", "integer"), None),
        (ox.Literal("a", language="en"), ox.Literal("b", language="en"), None),
        (ox.NamedNode(EX + "a"), lit("1", "integer"), None),
        (lit("NaN", "double"), lit("1", "double"), None),
        (lit("false", "boolean"), lit("1", "boolean"), -1),
        (lit("2024-01-01", "date"), lit("2024-01-02", "date"), -1),
        (lit("2024-01-01T12:00:00Z", "dateTime"), lit("2024-01-01T13:00:00+02:00", "dateTime"), 1),
        (lit("2024-01-01T12:00:00", "dateTime"), lit("2024-01-01T12:00:00Z", "dateTime"), None),  # 14 hours
        (lit("2024-01-01T12:00:00", "dateTime"), lit("2024-01-03T12:00:00Z", "dateTime"), -1),
        (lit("2024-01-01", "date"), lit("2024-01-01T00:00:00", "dateTime"), None),
        (lit("P1D", "dayTimeDuration"), lit("PT25H", "dayTimeDuration"), -1),
        (lit("P1M", "duration"), lit("P30D", "duration"), None),
        (lit("x", "integer"), lit("1", "integer"), None),  # ill-formed
    ],
)
def test_comparisons_follow_sparql(a, b, expected):
    assert compare(a, b) == expected


# --- property pairs, closed shapes, qualified shapes ------------------------------------------------


def test_property_pair_components():
    shapes = """ex:S sh:targetNode ex:a ; sh:equals ex:same ; sh:disjoint ex:other ;
        sh:property [ sh:path ex:start ; sh:lessThan ex:end ; sh:lessThanOrEquals ex:limit ;
            sh:equals ex:copy ; sh:disjoint ex:never ] ."""
    data = """ex:a ex:same ex:a , ex:b ; ex:other ex:a ;
        ex:start 1 , 5 ; ex:end 3 ; ex:limit 5 , "x" ; ex:copy 1 ; ex:never 5 ."""
    assert summary(validate(shapes, data)) == [
        ("ex:a", "Disjoint", INTEGER % 5, "ex:start", "Violation"),
        ("ex:a", "Disjoint", "ex:a", None, "Violation"),
        ("ex:a", "Equals", INTEGER % 5, "ex:start", "Violation"),
        ("ex:a", "Equals", "ex:b", None, "Violation"),
        ("ex:a", "LessThan", INTEGER % 5, "ex:start", "Violation"),
        ("ex:a", "LessThanOrEquals", INTEGER % 1, "ex:start", "Violation"),  # 1 and "x" are not comparable
        ("ex:a", "LessThanOrEquals", INTEGER % 5, "ex:start", "Violation"),
    ]


def test_closed_shapes_and_ignored_properties():
    shapes = """ex:S sh:targetNode ex:a ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ;
        sh:property [ sh:path ex:p ] , [ sh:path [ sh:inversePath ex:q ] ] .
        ex:Open sh:targetNode ex:a ; sh:closed false ; sh:property [ sh:path ex:p ] ."""
    data = "ex:a a ex:C ; ex:p 1 ; ex:q 2 , 3 . ex:z ex:q ex:a ."
    assert summary(validate(shapes, data)) == [
        ("ex:a", "Closed", INTEGER % 2, "ex:q", "Violation"),
        ("ex:a", "Closed", INTEGER % 3, "ex:q", "Violation"),
    ]


def test_qualified_value_shapes_disjoint():
    shapes = """ex:Hand sh:targetNode ex:hand ;
        sh:property [ sh:path ex:digit ; sh:maxCount 5 ] ;
        sh:property [ sh:path ex:digit ; sh:qualifiedValueShape [ sh:class ex:Thumb ] ;
            sh:qualifiedValueShapesDisjoint true ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ] ;
        sh:property [ sh:path ex:digit ; sh:qualifiedValueShape [ sh:class ex:Finger ] ;
            sh:qualifiedValueShapesDisjoint true ; sh:qualifiedMinCount 4 ; sh:qualifiedMaxCount 4 ] ."""
    fingers = "ex:f1 a ex:Finger . ex:f2 a ex:Finger . ex:f3 a ex:Finger . ex:t a ex:Thumb . "
    good = fingers + "ex:f4 a ex:Finger . ex:hand ex:digit ex:t , ex:f1 , ex:f2 , ex:f3 , ex:f4 ."
    assert validate(shapes, good) == []
    # a digit that is both a finger and a thumb counts for neither when the shapes are disjoint
    both = fingers + "ex:f4 a ex:Finger , ex:Thumb . ex:hand ex:digit ex:t , ex:f1 , ex:f2 , ex:f3 , ex:f4 ."
    assert [c for _f, c, _v, _p, _s in summary(validate(shapes, both))] == ["QualifiedMinCount"]
    not_disjoint = shapes.replace("sh:qualifiedValueShapesDisjoint true", "sh:qualifiedValueShapesDisjoint false")
    assert [c for _f, c, _v, _p, _s in summary(validate(not_disjoint, both))] == ["QualifiedMaxCount"]


# --- deactivation, recursion -------------------------------------------------------------------------


def test_deactivated_shapes_and_constraints():
    shapes = """ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:deactivated true ] ;
        sh:node ex:Off ; sh:not ex:Off ;
        sh:sparql [ sh:deactivated true ; sh:select "SELECT $this WHERE { }" ] .
        ex:Off sh:deactivated true ; sh:class ex:Nothing .
        ex:T sh:targetNode ex:a ; sh:deactivated true ; sh:class ex:Nothing ."""
    # a deactivated shape conforms: sh:node passes, sh:not fails
    assert summary(validate(shapes, "")) == [("ex:a", "Not", "ex:a", None, "Violation")]


def test_recursion_is_detected_when_the_data_follows_a_cycle_of_shapes():
    shapes = "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:knows ; sh:node ex:S ] ."
    assert validate(shapes, "ex:a ex:knows ex:b .") == []  # a cycle of shapes, acyclic data: fine
    with pytest.raises(
        ShapesError,
        match=r"shape \[\] \(sh:property of <http://example.org/S>\): validating .* recursive shape: recursion is undefined",
    ):
        validate(shapes, "ex:a ex:knows ex:b . ex:b ex:knows ex:a .")


def test_recursion_through_nested_property_shapes():
    shapes = "ex:S sh:targetNode ex:a ; sh:property ex:P . ex:P sh:path ex:next ; sh:property ex:P ."
    with pytest.raises(ShapesError, match="recursive"):
        validate(shapes, "ex:a ex:next ex:b . ex:b ex:next ex:b .")


# --- bad shapes, unsupported features, unfaithful queries ---------------------------------------


@pytest.mark.parametrize(
    "shape, message",
    [
        ('sh:path ex:p ; sh:minCount "x"', "sh:minCount must be an integer"),
        ("sh:path ex:p ; sh:minCount -1", "non-negative"),
        ("sh:path ex:p ; sh:minCount 1 , 2", "at most one"),
        ('sh:datatype "x"', "sh:datatype must be an IRI"),
        ("sh:nodeKind ex:Thing", "sh:nodeKind"),
        ('sh:pattern "(" ', "sh:pattern"),
        ('sh:pattern "a" ; sh:flags "z"', "flags"),
        ("sh:in ex:notAList", "RDF list"),
        ("sh:minCount 1", "node shape"),
        ('sh:deactivated "yes"', "boolean"),
        ('sh:severity "high"', "sh:severity must be an IRI"),
        ("sh:path [ ex:p ex:q ]", "not a SHACL path"),
        ("sh:property [ sh:minCount 1 ]", "needs sh:path"),
        ("sh:property [ sh:class ex:C ]", "not a property shape"),
    ],
)
def test_bad_parameters_are_one_line_errors_naming_the_shape(tmp_path, shape, message):
    with pytest.raises(ShapesError) as info:
        FastEngine(turtle(f"ex:S sh:targetNode ex:a ; {shape} ."), (tmp_path / "my-shapes.ttl",))
    text = str(info.value)
    assert message in text and "<http://example.org/S>" in text and "my-shapes.ttl" in text and "\n" not in text


def test_shacl_af_shapes_are_listed_and_the_others_evaluated():
    shapes = """ex:Rules sh:targetNode ex:a ; sh:rule [ a sh:TripleRule ; sh:subject sh:this ;
            sh:predicate ex:p ; sh:object 1 ] .
        ex:UsesRules sh:targetNode ex:a ; sh:node ex:Rules .
        ex:Target sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this ?p ?o }" ] ; sh:class ex:C .
        ex:Plain sh:targetNode ex:a ; sh:class ex:C ."""
    engine = FastEngine(turtle(shapes))
    assert [s.node for s in engine.shapes] == [ox.NamedNode(EX + "Plain")]
    assert sorted(map(str, engine.unsupported)) == [
        "sh:rule (SHACL-AF) (in the shape <http://example.org/Rules> it refers to) in shape <http://example.org/UsesRules>",
        "sh:rule (SHACL-AF) in shape <http://example.org/Rules>",
        "sh:target (SHACL-AF) in shape <http://example.org/Target>",
    ]
    assert all(isinstance(f, UnsupportedFeature) for f in engine.unsupported)
    assert summary(engine.run([])) == [("ex:a", "Class", "ex:a", None, "Violation")]


def test_terms_outside_shacl_1_0_are_ignored_and_listed():
    engine = FastEngine(turtle("ex:S sh:targetNode ex:a ; sh:minCOunt 1 ; sh:class ex:C ."))
    assert engine.ignored == ["shape <http://example.org/S>: sh:minCOunt is not a SHACL 1.0 term: ignored"]


def sparql_shape(name: str, query: str) -> str:
    return f'ex:{name} sh:targetNode ex:a ; sh:sparql [ sh:select """PREFIX ex: <{EX}> {query}""" ] .\n'


def test_solutions_over_literals_a_store_rewrites_are_mapped_back_to_the_data_s_terms():
    shapes = sparql_shape("Values", "SELECT $this ?value WHERE { $this ex:n ?value FILTER (?value > 1) }")
    shapes += sparql_shape("Any", "SELECT $this ?p WHERE { $this ?p ?o }")
    data = 'ex:a ex:n "4.0"^^xsd:decimal , "01"^^xsd:integer , "5"^^xsd:byte .'
    assert summary(validate(shapes, data)) == [
        ("ex:a", "SPARQL", DECIMAL % "4.0", None, "Violation"),  # not "4"
        ("ex:a", "SPARQL", '"5"^^<http://www.w3.org/2001/XMLSchema#byte>', None, "Violation"),  # not xsd:integer
        ("ex:a", "SPARQL", "ex:a", None, "Violation"),
    ]


@pytest.mark.parametrize(
    "query, data, why",
    [
        ('SELECT $this WHERE { $this ex:n ?v FILTER (STR(?v) = "4.0") }', 'ex:a ex:n "4.0"^^xsd:decimal .', "STR()"),
        (
            "SELECT $this WHERE { $this ex:n ?v FILTER (DATATYPE(?v) = <http://www.w3.org/2001/XMLSchema#integer>) }",
            'ex:a ex:n "5"^^xsd:byte .',
            "DATATYPE()",
        ),
        (
            "SELECT $this (COUNT(DISTINCT ?v) AS ?n) WHERE { $this ex:n ?v } GROUP BY $this HAVING (COUNT(DISTINCT ?v) < 2)",
            'ex:a ex:n "4.0"^^xsd:decimal , "4.00"^^xsd:decimal .',
            "one term",
        ),
        ("SELECT $this WHERE { $this ex:n ?v FILTER (?v > 0) }", 'ex:a ex:n "300"^^xsd:byte .', "ill-formed"),
        ("SELECT $this WHERE { $this ?p ?v FILTER (REGEX(?v, '0$')) }", 'ex:a ex:n "4.0"^^xsd:decimal .', "REGEX()"),
    ],
)
def test_a_query_that_could_see_what_a_store_rewrites_is_not_evaluated(query, data, why):
    shapes = sparql_shape("S", query) + sparql_shape("Other", "SELECT $this ?value WHERE { $this ex:m ?value }")
    engine = FastEngine(turtle(shapes))
    with pytest.raises(UnsupportedShapes) as info:
        engine.run(turtle(data + ' ex:a ex:m "x" .'))
    message = str(info.value)
    assert why in message and "a store would" in message and "<http://example.org/S>" in message and "\n" not in message
    skipped: list[UnsupportedFeature] = []
    results = engine.run(turtle(data + ' ex:a ex:m "x" .'), skipped=skipped)
    assert [s.shape.value for s in skipped] == [EX + "S"]
    assert summary(results) == [("ex:a", "SPARQL", '"x"', None, "Violation")]


def test_a_literal_in_a_query_that_a_store_would_change_makes_the_shape_unsupported():
    shapes = """ex:S sh:targetNode ex:a ; sh:sparql [ sh:select
        "SELECT $this WHERE { FILTER (DATATYPE(\\"5\\"^^<http://www.w3.org/2001/XMLSchema#byte>) = <http://www.w3.org/2001/XMLSchema#byte>) }" ] ."""
    [feature] = FastEngine(turtle(shapes)).unsupported
    assert "a store would read it as" in feature.feature


def test_an_entailment_regime_is_not_implemented():
    shapes = "ex:graph sh:entailment <http://www.w3.org/ns/entailment/RDFS> . ex:S sh:targetNode ex:a ; sh:class ex:C ."
    [feature] = FastEngine(turtle(shapes)).unsupported
    assert feature.feature == "sh:entailment <http://www.w3.org/ns/entailment/RDFS> (an entailment regime)"


def test_a_component_with_a_javascript_validator_is_not_ignored_silently():
    shapes = """ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:max ] ;
        sh:validator [ a sh:JSValidator ; sh:jsFunctionName "check" ; sh:jsLibrary [ sh:jsLibraryURL "x.js" ] ] .
        ex:S sh:targetNode ex:a ; ex:max 3 ."""
    [feature] = FastEngine(turtle(shapes)).unsupported
    assert feature.feature == "a JavaScript validator of <http://example.org/C> (SHACL-JS)"


@pytest.mark.parametrize(
    "value, pattern, flags, matches",
    [
        ("069015", "^[0-9]{6}$", None, True),
        ("069015\\n", "^[0-9]{6}$", None, False),  # XPath's $ is the end of the string, not before a final newline
        ("a\\nb", "^a$", "m", True),  # with the m flag, $ is the end of a line
        ("ABC", "^abc$", "i", True),
        ("x-1", "[0-9]", None, True),  # unanchored: a match anywhere
        ("\\\\$", "\\\\$", None, True),  # an escaped $ is the character
    ],
)
def test_patterns_have_xpath_semantics(value, pattern, flags, matches):
    flag = f' ; sh:flags "{flags}"' if flags else ""
    results = validate(
        f'ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:pattern "{pattern}"{flag} ] .',
        f'ex:a ex:p "{value}" .',
    )
    assert (results == []) is matches


def test_the_store_of_the_sparql_queries_holds_the_predicates_they_name():
    # ex:S names ex:p and ex:q (in a path): the store needs no other predicate, and the results are those
    # of the whole graph; ex:T has a variable predicate: it sees every triple (ex:r too)
    named = f'ex:S sh:targetNode ex:a , ex:b ; sh:sparql [ sh:select """PREFIX ex: <{EX}> SELECT $this ?value WHERE {{ $this ex:p/ex:q ?value }}""" ] .'
    anything = f'ex:T sh:targetNode ex:a , ex:b ; sh:sparql [ sh:select """PREFIX ex: <{EX}> SELECT $this ?value WHERE {{ $this ?p ?value . FILTER (?p != ex:p) }}""" ] .'
    data = "ex:a ex:p ex:m . ex:m ex:q 1 . ex:b ex:r 2 ; ex:p ex:n ."
    engine = FastEngine(turtle(named))
    assert engine.sparql_iris == {EX, f"{EX}p", f"{EX}q"}  # every IRI the query writes, its prefix too
    assert summary(engine.run(turtle(data))) == [("ex:a", "SPARQL", INTEGER % 1, None, "Violation")]
    assert FastEngine(turtle(anything)).sparql_iris is None
    assert summary(validate(anything, data)) == [("ex:b", "SPARQL", INTEGER % 2, None, "Violation")]
    negated = f'ex:U sh:targetNode ex:b ; sh:sparql [ sh:select """PREFIX ex: <{EX}> SELECT $this ?value WHERE {{ $this !ex:p ?value }}""" ] .'
    assert FastEngine(turtle(negated)).sparql_iris is None
    assert summary(validate(negated, data)) == [("ex:b", "SPARQL", INTEGER % 2, None, "Violation")]
