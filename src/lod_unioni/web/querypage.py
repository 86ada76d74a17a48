"""The query page of the SPARQL endpoint: an editor with the bundled queries as examples, a result
table, a permalink and a bar chart of a numeric column.

The page is HTML with our own small script and style sheet (``assets/query.js``, ``query.css``,
shipped in the wheel; nothing is fetched from elsewhere). The script sends the query to the
endpoint with ``fetch`` and draws the answer. Its elements have stable ids, for people's
bookmarks and for the browser tests: ``#examples`` (the examples), ``#query`` (the editor),
``#run``, ``#permalink`` (a link that reproduces the query: the query is in its URL),
``#status``, ``#results`` (the table) and ``#chart``.

The examples are given by the caller (the server: the bundled queries, their parameters' defaults
bound in a ``VALUES`` block that people can edit).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from .html import NavItem, esc, frame

__all__ = ["ASSETS", "Example", "query_page"]

#: The page's own assets, in ``lod_unioni/web/assets``.
ASSETS = ("query.js", "query.css")


@dataclass(frozen=True)
class Example:
    """A query of the examples list: its name, titles and descriptions (it, en) and text."""

    name: str
    title_it: str
    title_en: str
    description_it: str
    description_en: str
    text: str


def _script_json(value: object) -> str:
    """JSON safe inside a ``<script>`` element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")


def _options(examples: Sequence[Example]) -> str:
    return "".join(f'<option value="{esc(e.name)}">{esc(e.title_it)} / {esc(e.title_en)}</option>' for e in examples)


def query_page(
    examples: Sequence[Example],
    *,
    endpoint: str,
    root: str,
    nav: Sequence[NavItem] = (),
    query: str | None = None,
    site_iri: str = "",
) -> str:
    """The page: ``endpoint`` the URL path of the SPARQL endpoint, ``root`` the URL path of the
    site root (the style sheets and scripts are in its ``assets/``), ``nav`` the navigation bar,
    ``query`` the query to show and run (from a permalink; else the first example is shown),
    ``site_iri`` what the site root stands for: the result table links the IRIs below it to their
    pages on this server."""
    data = [e.__dict__ for e in examples]
    first = query if query is not None else (examples[0].text if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    autorun = "true" if query else "false"
    head = (
        f'<link rel="stylesheet" href="{esc(root)}assets/query.css">\n'
        f'<script src="{esc(root)}assets/query.js" defer></script>\n'
    )
    attributes = (
        f'data-endpoint="{esc(endpoint)}" data-autorun="{autorun}" '
        f'data-site-iri="{esc(site_iri)}" data-root="{esc(root)}"'
    )
    body = f"""<div id="query-app" class="query-page" {attributes}>
<h1>Interroga i dati <span lang="en">/ Query the data</span></h1>
<p>SPARQL 1.1 su <code>{esc(endpoint)}</code>: GET o POST, risultati in JSON, XML, CSV, TSV secondo
<code>Accept</code>. <span lang="en">SPARQL 1.1 at <code>{esc(endpoint)}</code>: GET or POST, results in
JSON, XML, CSV, TSV by <code>Accept</code>.</span></p>
<form id="editor" action="{esc(endpoint)}" method="get">
<p><label for="examples">Esempi <span lang="en">/ Examples</span></label>
<select id="examples"><option value="">—</option>{_options(examples)}</select></p>
<p id="example-description" aria-live="polite"></p>
<p><label for="query">Query SPARQL <span lang="en">/ SPARQL query</span></label><br>
<textarea id="query" name="query" rows="16" cols="100" spellcheck="false">{esc(first)}</textarea></p>
<p><button id="run" type="submit">Esegui <span lang="en">/ Run</span></button>
<a id="permalink" href="?query={esc(quote(first, safe=""))}">Link permanente <span lang="en">/ Permalink</span></a></p>
</form>
<p id="status" role="status" aria-live="polite"></p>
<figure id="chart-figure" hidden><div id="chart"></div><figcaption id="chart-caption"></figcaption></figure>
<div class="table-wrap"><table id="results"></table></div>
<pre id="graph" hidden></pre>
<script type="application/json" id="examples-data">{_script_json(data)}</script>
</div>
"""
    return frame(title="Interroga i dati (SPARQL)", body=body, root=root, nav=nav, head=head)
