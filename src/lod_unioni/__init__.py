"""lod-unioni: Italian Unioni di Comuni as linked open data.

The pipeline flows one way, one module a step:

    sources/ (registry readers)  ->  records (YAML union records)  ->  mapping (declarative
    mappings -> triples)  ->  graph  ->  validation (SHACL)  ->  serialize (dumps) / query / store
"""

__version__ = "0.1.0"
