"""The digital checkup of a union (PA digitale 2026, PNRR): for each member comune and measure its
state, amounts and CUPs, the gaps with the calls for them, the union's own projects, the comparison
with the unions of its region and of Italy, and plain-language findings, in Italian or English.

It reads the dumps of a build (``output/``, or a national build's folder), never the registries::

    from lod_unioni.checkup import Checkups, read_dumps, render
    checkups = Checkups(read_dumps("output/national"))    # every union's figures, once
    c = checkups.of("udm_069")                             # an IPA code, an IRI or a name
    print(render(c, "text", "it"))
    page = render(c, "html", "en")                         # one self-contained printable page
    parts = render_html(c, "en", level=2)                  # .fragment to embed (its .css once), .page

The figures are :mod:`lod_unioni.pnrr.indicators`' (its rules: renounced projects are not money
assigned, each CUP counted once, measures whose file was not read are "not in the sources").
"""

from __future__ import annotations

from .checkups import Checkups
from .dumps import Dumps, dump_file, read_dumps
from .model import Checkup, Finding, Gap, Measure, Peer
from .render import FORMATS, HtmlCheckup, render, render_html

__all__ = [
    "FORMATS",
    "Checkup",
    "Checkups",
    "Dumps",
    "Finding",
    "Gap",
    "HtmlCheckup",
    "Measure",
    "Peer",
    "dump_file",
    "read_dumps",
    "render",
    "render_html",
]
