"""The fast SHACL engine: all of SHACL Core and SHACL-SPARQL, with the semantics of the SHACL 1.0
recommendation, results in the data's own terms.

    engine = FastEngine(shapes_triples, files)      # bad shapes: ShapesError
    engine.unsupported                              # shapes it will not evaluate (SHACL-AF, ...)
    results = engine.run(data_triples)              # list[RawResult]

Modules: :mod:`.index` (a graph as parsed, indexed), :mod:`.paths`, :mod:`.xsd` (datatypes and
comparisons), :mod:`.model`, :mod:`.reader` and :mod:`.parse` (the shapes graph), one module per
section of the recommendation for the Core components (:mod:`.value_type`, :mod:`.cardinality`,
:mod:`.value_range`, :mod:`.string_based`, :mod:`.property_pair`, :mod:`.logical`,
:mod:`.shape_based`, :mod:`.other`), SHACL-SPARQL (:mod:`.sparql`, :mod:`.components`,
:mod:`.prebinding`, :mod:`.sparql_text`, :mod:`.sparql_parse`, :mod:`.sparql_run`) and :mod:`.engine`.
"""

from .engine import FastEngine
from .model import RawResult, Shape, ShapesError, UnsupportedFeature, UnsupportedShapes

__all__ = ["FastEngine", "RawResult", "Shape", "ShapesError", "UnsupportedFeature", "UnsupportedShapes"]
