"""What a web server needs to serve the static site as linked data: content negotiation and 303s
for the resource IRIs (Apache ``.htaccess``, nginx), the w3id.org redirect of the default base
IRI, the sitemap and ``robots.txt``.

The choice of document follows the ordered Accept rules of :func:`lod_unioni.web.conneg.accept_rules`,
made from the same table of formats as the server's negotiation; a request for a resource (a
path with no file, whose page or document exists) is answered ``303 See Other`` to the document
(``data/union/udm_069`` -> ``data/union/udm_069.ttl``), with ``Vary: Accept``. Everything is
readable from anywhere (``Access-Control-Allow-Origin: *``).
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape as xml_escape

from ..web.conneg import FORMATS, AcceptRule, accept_rules, content_type

__all__ = ["SITEMAP_LIMIT", "htaccess", "nginx_conf", "robots_txt", "sitemaps", "w3id_htaccess"]

#: URLs per sitemap file (the protocol's limit).
SITEMAP_LIMIT = 50_000

#: The media types of the other files of the site.
OTHER_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".rq": "application/sparql-query",
    ".gz": "application/gzip",
}


def _ext(rule: AcceptRule) -> str:
    return rule.extension.lstrip(".")


def _apache_choice(rules: Sequence[AcceptRule]) -> list[str]:
    """mod_rewrite lines that set LU_EXT to the extension of the document the Accept header
    prefers: the first rule that matches, else the first format."""
    lines = []
    for rule in rules:
        lines += [
            "RewriteCond %{ENV:LU_EXT} ^$",
            f"RewriteCond %{{HTTP_ACCEPT}} {rule.pattern} [NC]",
            f"RewriteRule ^ - [E=LU_EXT:{_ext(rule)}]",
        ]
    lines += ["RewriteCond %{ENV:LU_EXT} ^$", f"RewriteRule ^ - [E=LU_EXT:{FORMATS[0].extension.lstrip('.')}]"]
    return lines


def htaccess(root_path: str) -> str:
    """The Apache (2.4) ``.htaccess`` of the site's root folder, served at ``root_path``
    (``/lod-unioni/``). Needs ``mod_rewrite`` and ``mod_headers``, and ``AllowOverride FileInfo
    Indexes Options`` for the folder (docs/publishing.md)."""
    kinds = {**{f.extension: f.media_type for f in FORMATS}, **OTHER_TYPES}
    types = [f"AddType {mt} {ext}" for ext, mt in kinds.items() if ext != ".gz"]
    utf8 = " ".join(ext for ext, mt in kinds.items() if content_type(mt) != mt)
    types.append(f"AddCharset utf-8 {utf8}")
    lines = [
        "# Made by lod-unioni site: content negotiation for the resources of this folder.",
        "# A resource IRI answers 303 See Other to the document the Accept header prefers.",
        "Options -MultiViews -Indexes",
        "DirectorySlash Off",
        *types,
        "RemoveEncoding .gz",
        "AddType application/gzip .gz",
        f"ErrorDocument 404 {root_path}404.html",
        "<IfModule mod_headers.c>",
        '  Header always set Access-Control-Allow-Origin "*"',
        "  Header always append Vary Accept env=LU_NEGOTIATED",
        "</IfModule>",
        "RewriteEngine On",
        f"RewriteBase {root_path}",
        "# The document the Accept header prefers (lod_unioni.web.conneg.accept_rules).",
        *_apache_choice(accept_rules()),
        "# A resource: no file by that name, but its document exists.",
        "RewriteCond %{REQUEST_FILENAME} !-f",
        "RewriteCond %{REQUEST_FILENAME}.%{ENV:LU_EXT} -f",
        "RewriteRule ^(.*)$ $1.%{ENV:LU_EXT} [R=303,L,E=LU_NEGOTIATED:1]",
    ]
    return "\n".join(lines) + "\n"


def nginx_conf(root_path: str, folder: str = "/srv/lod-unioni/site") -> str:
    """An nginx configuration serving the site folder ``folder`` at ``root_path``: the ``map``
    (in the ``http`` block) and a ``server`` block."""
    rules = "\n".join(f'    "~*{rule.pattern}" {_ext(rule)};' for rule in accept_rules())
    kinds = {**{f.extension: f.media_type for f in FORMATS}, **OTHER_TYPES}
    types = "\n".join(f"        {mt} {ext.lstrip('.')};" for ext, mt in kinds.items())
    charset_types = " ".join(mt for mt in kinds.values() if mt not in ("text/html", "application/gzip"))
    default = FORMATS[0].extension.lstrip(".")
    return f"""# Made by lod-unioni site: nginx serving the static site with content negotiation.
# A resource IRI answers 303 See Other to the document the Accept header prefers
# (the rules of lod_unioni.web.conneg.accept_rules, first match wins). Put this file in the
# http block (e.g. /etc/nginx/conf.d/lod-unioni.conf) and set the folder and the port.

map $http_accept $lod_unioni_ext {{
    default {default};
{rules}
}}

server {{
    listen 8080;
    server_name _;
    charset utf-8;
    charset_types {charset_types};
    error_page 404 {root_path}404.html;

    location {root_path} {{
        alias {folder.rstrip("/")}/;
        types {{
{types}
        }}
        add_header Access-Control-Allow-Origin "*" always;
        if (-f $request_filename.$lod_unioni_ext) {{
            add_header Vary Accept always;
            add_header Access-Control-Allow-Origin "*" always;
            return 303 $uri.$lod_unioni_ext;
        }}
    }}
}}
"""


def w3id_htaccess(namespace_path: str, site_url: str) -> str:
    """The ``.htaccess`` to propose to the w3id.org repository (https://github.com/perma-id/w3id.org)
    as ``{namespace_path}.htaccess`` (``lod-unioni/.htaccess``): w3id.org negotiates (a static
    host such as GitHub Pages cannot) and redirects a resource IRI to its document on
    ``site_url``, and any other path (a dump, a page) to the same path there."""
    files = "|".join(sorted({f.extension.lstrip(".") for f in FORMATS} | {e.lstrip(".") for e in OTHER_TYPES}))
    return (
        "\n".join(
            [
                f"# w3id.org/{namespace_path} -> {site_url} (made by lod-unioni site)",
                "# Resource IRIs get 303 See Other to the document the Accept header prefers.",
                "Options +FollowSymLinks",
                'Header always set Access-Control-Allow-Origin "*"',
                "Header always append Vary Accept",
                "RewriteEngine on",
                *_apache_choice(accept_rules()),
                f"RewriteRule ^$ {site_url}index.html [R=302,L]",
                "# a distribution is named like its file: a resource all the same",
                f"RewriteRule ^(.+/distribution/[^/]+)$ {site_url}$1.%{{ENV:LU_EXT}} [R=303,L]",
                "# a file of the site (a dump, a page, a document) as it is",
                f"RewriteRule ^(.*\\.({files}))$ {site_url}$1 [R=302,L]",
                "# a resource",
                f"RewriteRule ^(.+[^/])$ {site_url}$1.%{{ENV:LU_EXT}} [R=303,L]",
                f"RewriteRule ^(.*)$ {site_url}$1 [R=302,L]",
            ]
        )
        + "\n"
    )


def sitemaps(site_url: str, paths: Sequence[str]) -> dict[str, bytes]:
    """``sitemap.xml`` listing ``site_url`` + each path (``data/union/udm_069.html``); past
    :data:`SITEMAP_LIMIT` URLs, a sitemap index and ``sitemap-1.xml``, ``sitemap-2.xml``..."""
    chunks = [paths[i : i + SITEMAP_LIMIT] for i in range(0, len(paths), SITEMAP_LIMIT)] or [[]]
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

    def urlset(chunk: Sequence[str]) -> bytes:
        urls = "".join(f"<url><loc>{xml_escape(site_url + p)}</loc></url>\n" for p in chunk)
        return f"{head}<urlset {ns}>\n{urls}</urlset>\n".encode()

    if len(chunks) == 1:
        return {"sitemap.xml": urlset(chunks[0])}
    files = {f"sitemap-{i}.xml": urlset(chunk) for i, chunk in enumerate(chunks, 1)}
    index = "".join(f"<sitemap><loc>{xml_escape(site_url + name)}</loc></sitemap>\n" for name in files)
    files["sitemap.xml"] = f"{head}<sitemapindex {ns}>\n{index}</sitemapindex>\n".encode()
    return files


def robots_txt(site_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {site_url}sitemap.xml\n".encode()
