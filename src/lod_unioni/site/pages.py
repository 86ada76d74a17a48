"""The site's own pages: home, the unions by region, by province and by service, the search, the
bundled queries, the 404 page. Italian first with English, in the frame of the resource pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ..query.bundled import QueryInfo
from ..web import Renderer
from ..web.html import both, esc, frame
from .catalogue import Catalogue, Entry

__all__ = ["home_page", "not_found_page", "province_page", "queries_page", "region_page", "search_page", "service_page"]

_STATUS = {"active": ("attivo", "active"), "planned": ("in via di elaborazione", "planned")}


def _page(r: Renderer, at: str, title: tuple[str, str], body: str, *, root: str | None = None) -> bytes:
    heading = f"<h1>{both(*title)}</h1>\n"
    return frame(title=title[0], body=heading + body, root=r.root(at) if root is None else root, nav=r.nav).encode()


def _union_item(r: Renderer, c: Catalogue, u: Entry, root: str, extra: str = "") -> str:
    href = root + u.path + ".html"
    members = f"{len(u.members)} comuni" if u.members else "comuni non noti"
    place = c.name(u.province)
    return (
        f'<li><a href="{esc(href)}">{esc(u.name)}</a> <small>({esc(place + ", " if place else "")}'
        f"{esc(members)}){extra}</small></li>"
    )


def _grouped(r: Renderer, c: Catalogue, key: str, at: str) -> str:
    groups: defaultdict[str, list[Entry]] = defaultdict(list)
    for u in c.unions:
        groups[getattr(u, key) or ""].append(u)
    root = r.root(at)
    order = sorted(groups, key=lambda g: (g == "", c.name(g).casefold()))
    toc = " · ".join(f'<a href="#g{i}">{esc(c.name(g) or "?")}</a>' for i, g in enumerate(order, 1))
    out = [f'<nav aria-label="Indice / Index"><p>{toc}</p></nav>\n']
    for i, g in enumerate(order, 1):
        name = c.name(g) if g else "Non indicata"
        link = f' <a class="ext" href="{esc(g)}">{esc(r.compact(g))}</a>' if g else ""
        items = "".join(_union_item(r, c, u, root) for u in groups[g])
        out.append(
            f'<section aria-labelledby="g{i}"><h2 id="g{i}">{esc(name)} <small>({len(groups[g])})</small>{link}</h2>\n'
            f'<ul class="columns">{items}</ul></section>\n'
        )
    return "".join(out)


def region_page(r: Renderer, c: Catalogue) -> bytes:
    intro = f"<p>{both('Le Unioni di Comuni per regione.', 'The unions by region.', sep=' ')}</p>\n"
    return _page(r, "regioni", ("Unioni per regione", "Unions by region"), intro + _grouped(r, c, "region", "regioni"))


def province_page(r: Renderer, c: Catalogue) -> bytes:
    intro = f"<p>{both('Le Unioni di Comuni per provincia.', 'The unions by province.', sep=' ')}</p>\n"
    body = intro + _grouped(r, c, "province", "province")
    return _page(r, "province", ("Unioni per provincia", "Unions by province"), body)


def service_page(r: Renderer, c: Catalogue) -> bytes:
    by_service: defaultdict[str, list[tuple[Entry, str]]] = defaultdict(list)
    for u in c.unions:
        for kind, status in u.services:
            by_service[kind].append((u, status))
    root = r.root("servizi")
    out = [
        "<p>"
        + both(
            "Le funzioni e i servizi associati e le unioni che li esercitano.",
            "The shared services and the unions that provide them.",
            sep=" ",
        )
        + "</p>\n"
    ]
    for i, s in enumerate(c.services, 1):
        title = both(s.label, s.label_en)
        if s.path is not None:
            title = f'<a href="{esc(root + s.path + ".html")}">{title}</a>'
        unions = by_service.get(s.iri, [])
        items = "".join(
            _union_item(r, c, u, root, " · " + both(*_STATUS.get(status.rsplit("/", 1)[-1], ("", None)), sep="/"))
            for u, status in unions
        )
        body = f'<ul class="columns">{items}</ul>' if unions else f"<p>{both('Nessuna unione.', 'No union.')}</p>"
        heading = f'<h2 id="s{i}">{title} <small>({len(unions)})</small></h2>'
        out.append(f'<section aria-labelledby="s{i}">{heading}\n{body}</section>\n')
    return _page(r, "servizi", ("Unioni per servizio", "Unions by service"), "".join(out))


def search_page(r: Renderer) -> bytes:
    body = (
        "<p>"
        + both(
            "Cerca unioni e comuni per nome o per codice (IPA, ISTAT, catastale).",
            "Search unions and comuni by name or code (IPA, ISTAT, cadastral).",
            sep=" ",
        )
        + "</p>\n"
        '<form role="search" id="search-form">'
        '<label for="q">Nome o codice <span lang="en">/ Name or code</span></label><br>\n'
        '<input type="search" id="q" name="q" autocomplete="off" spellcheck="false"></form>\n'
        '<p id="search-status" role="status" aria-live="polite"></p>\n<ul id="results"></ul>\n'
        "<noscript><p>La ricerca ha bisogno di JavaScript; vedi le pagine per regione e per provincia. "
        '<span lang="en">The search needs JavaScript; see the pages by region and by province.</span></p></noscript>\n'
        f'<script src="{esc(r.root("cerca"))}assets/search.js" defer></script>\n'
    )
    return _page(r, "cerca", ("Cerca", "Search"), body)


def queries_page(r: Renderer, queries: Sequence[tuple[QueryInfo, str]]) -> bytes:
    root = r.root("query")
    items = []
    for i, (q, text) in enumerate(queries, 1):
        params = "".join(
            f"<li><code>{esc(p.name)}</code> ({esc(p.type)}){': ' + esc(p.description) if p.description else ''}</li>"
            for p in q.params
        )
        remote = (
            f"<p>{both('Serve un endpoint SPARQL remoto.', 'Needs a remote SPARQL endpoint.', sep=' ')}</p>"
            if q.requires_remote
            else ""
        )
        items.append(
            f'<section aria-labelledby="q{i}"><h2 id="q{i}">{both(q.title_it, q.title_en)} '
            f"<small><code>{esc(q.name)}</code></small></h2>\n"
            f'<p>{esc(q.description_it)}</p>\n<p lang="en">{esc(q.description_en)}</p>\n{remote}'
            + (f"<p>Parametri <span lang='en'>/ Parameters</span>:</p><ul>{params}</ul>\n" if params else "")
            + f'<p><a href="{esc(root)}queries/{esc(q.name)}.rq" type="application/sparql-query">'
            f"{esc(q.name)}.rq</a> · "
            f"<code>lod-unioni query {esc(q.name)}</code></p>\n"
            f"<details><summary>SPARQL</summary><pre><code>{esc(text)}</code></pre></details></section>\n"
        )
    intro = both(
        "Le query SPARQL incluse, da eseguire con lod-unioni query o su un endpoint che carica i dump.",
        "The bundled SPARQL queries, to run with lod-unioni query or on an endpoint that holds the dumps.",
        sep=" ",
    )
    return _page(r, "query", ("Query SPARQL", "SPARQL queries"), f"<p>{intro}</p>\n" + "".join(items))


def home_page(
    r: Renderer, c: Catalogue, downloads: Mapping[str, int], dataset: str | None, *, at: str = "index"
) -> bytes:
    """The home page: what the publication is, its counts, its indexes, its downloads (file path
    from the site root -> size in bytes). ``at``: where it is written (below the site root, no
    extension): also at the base IRI's folder (``data/index``), the catalog's home page."""
    root = r.root(at)
    links = [
        ("regioni.html", "Unioni per regione", "Unions by region"),
        ("province.html", "Unioni per provincia", "Unions by province"),
        ("servizi.html", "Unioni per servizio", "Unions by service"),
        ("cerca.html", "Cerca", "Search"),
        ("query.html", "Query SPARQL", "SPARQL queries"),
    ]
    for iri, it, en in (
        (dataset, "Il dataset", "The dataset"),
        (r.base_iri + "catalog", "Il catalogo (DCAT-AP_IT)", "The catalog (DCAT-AP_IT)"),
        ("https://w3id.org/lod-unioni/onto", "L'ontologia", "The ontology"),
        ("https://w3id.org/lod-unioni/vocab/services", "I servizi associati (SKOS)", "The shared services (SKOS)"),
    ):
        path = r.path(iri) if iri else None
        if path is not None and iri is not None and r.is_resource(iri):
            links.append((path + ".html", it, en))
    nav = "".join(f'<li><a href="{esc(root + h)}">{both(it, en)}</a></li>' for h, it, en in links)
    rows = "".join(
        f'<tr><td><a href="{esc(root + p)}">{esc(p)}</a></td><td>{size:,}</td></tr>' for p, size in downloads.items()
    )
    counts = both(
        f"{len(c.unions)} unioni, {len(c.comuni)} comuni.", f"{len(c.unions)} unions, {len(c.comuni)} comuni.", sep=" "
    )
    about = both(
        "Le Unioni di Comuni italiane come linked open data: ogni unione, i suoi comuni, i servizi associati, "
        "le fonti dei dati. Ogni risorsa ha la sua pagina e i suoi documenti Turtle, JSON-LD e N-Triples.",
        "The Italian unions of municipalities as linked open data: every union, its comuni, its shared services, "
        "the sources of the figures. Every resource has its page and its Turtle, JSON-LD and N-Triples documents.",
        sep=" ",
    )
    body = (
        f"<p>{about}</p>\n<p>{counts}</p>\n<ul>{nav}</ul>\n"
        f'<section aria-labelledby="downloads"><h2 id="downloads">{both("Scarica", "Download")}</h2>\n'
        '<table><thead><tr><th scope="col">File</th><th scope="col">Byte</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        "</section>\n"
    )
    return _page(r, at, ("Unioni di Comuni italiane", "Italian Unioni di Comuni"), body)


def not_found_page(r: Renderer, root_path: str) -> bytes:
    """The 404 page (absolute links: it is served at any depth)."""
    body = (
        f"<p>{both('La pagina richiesta non esiste.', 'The page you asked for does not exist.', sep=' ')}</p>\n"
        f'<p><a href="{esc(root_path)}index.html">{both("Torna alla pagina iniziale", "Back to the home page")}</a> · '
        f'<a href="{esc(root_path)}cerca.html">{both("Cerca", "Search")}</a></p>\n'
    )
    return _page(r, "404", ("Pagina non trovata", "Page not found"), body, root=root_path)
