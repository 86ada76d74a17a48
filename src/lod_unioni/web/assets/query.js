// The query page of lod-unioni's SPARQL endpoint: examples, run with fetch, result table,
// permalink, a bar chart of a numeric column. No library, nothing fetched but the endpoint.
// Licence: EUPL-1.2, as lod-unioni.
(function () {
  "use strict";

  var NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsignedInt|unsignedLong)$/;
  var MAX_BARS = 40;
  var SVG = "http://www.w3.org/2000/svg";

  function el(id) { return document.getElementById(id); }

  function text(tag, value, attrs) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); }); }
    return node;
  }

  function bilingual(it, en) { return it === en ? it : it + " / " + en; }

  function setStatus(message, isError) {
    var status = el("status");
    status.textContent = message;
    status.className = isError ? "error" : "";
  }

  function permalink(query) {
    return window.location.pathname + "?query=" + encodeURIComponent(query);
  }

  function updatePermalink() {
    el("permalink").setAttribute("href", permalink(el("query").value));
  }

  function cellText(term) {
    if (!term) { return ""; }
    if (term.type === "bnode") { return "_:" + term.value; }
    return term.value;
  }

  // An IRI of ours links to its page on this server; others to themselves.
  function href(iri) {
    var app = el("query-app");
    var site = app.getAttribute("data-site-iri");
    if (site && iri.indexOf(site) === 0 && iri.length > site.length) {
      return app.getAttribute("data-root") + iri.slice(site.length);
    }
    return iri;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var a = text("a", term.value, { href: href(term.value) });
      td.appendChild(a);
    } else {
      td.textContent = cellText(term);
      if (term["xml:lang"]) { td.setAttribute("lang", term["xml:lang"]); }
      if (term.datatype && NUMERIC.test(term.datatype)) { td.className = "num"; }
    }
    return td;
  }

  function table(vars, rows) {
    var results = el("results");
    results.textContent = "";
    var head = document.createElement("thead");
    var tr = document.createElement("tr");
    vars.forEach(function (v) { tr.appendChild(text("th", v, { scope: "col" })); });
    head.appendChild(tr);
    results.appendChild(head);
    var body = document.createElement("tbody");
    rows.forEach(function (row) {
      var line = document.createElement("tr");
      vars.forEach(function (v) { line.appendChild(cell(row[v])); });
      body.appendChild(line);
    });
    results.appendChild(body);
  }

  function numericColumn(vars, rows) {
    for (var i = 0; i < vars.length; i++) {
      var v = vars[i];
      var numeric = rows.length > 0 && rows.every(function (r) {
        return r[v] && r[v].datatype && NUMERIC.test(r[v].datatype) && isFinite(parseFloat(r[v].value));
      });
      if (numeric) { return v; }
    }
    return null;
  }

  // The bars' labels: the first literal column whose values tell the rows apart (the comune's name,
  // not the union's repeated on every row), else the first literal column, else the first other one.
  function labelColumn(vars, rows, numeric) {
    var literal = vars.filter(function (v) {
      return v !== numeric && rows.some(function (r) { return r[v] && r[v].type === "literal"; });
    });
    var distinct = literal.filter(function (v) {
      var seen = {};
      return rows.every(function (r) {
        var key = r[v] ? r[v].value : "";
        if (seen[key]) { return false; }
        seen[key] = true;
        return true;
      });
    });
    if (distinct.length) { return distinct[0]; }
    return literal.length ? literal[0] : vars.filter(function (v) { return v !== numeric; })[0] || null;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function chart(vars, rows) {
    var figure = el("chart-figure");
    var box = el("chart");
    box.textContent = "";
    var value = numericColumn(vars, rows);
    if (!value) { figure.hidden = true; return; }
    var label = labelColumn(vars, rows, value);
    var shown = rows.slice(0, MAX_BARS);
    var numbers = shown.map(function (r) { return parseFloat(r[value].value); });
    var max = Math.max.apply(null, numbers.map(Math.abs).concat([0])) || 1;
    var barH = 18, gap = 4, labelW = 260, plotW = 420, width = labelW + plotW + 90;
    var height = shown.length * (barH + gap) + gap;
    var title = bilingual("Grafico", "Chart") + ": " + value + (label ? " (" + label + ")" : "");
    var root = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": title });
    var t = svg("title", {});
    t.textContent = title;
    root.appendChild(t);
    shown.forEach(function (row, k) {
      var y = gap + k * (barH + gap);
      var name = label ? cellText(row[label]) : String(k + 1);
      var caption = svg("text", { x: labelW - 6, y: y + barH - 5, "text-anchor": "end", "class": "label" });
      caption.textContent = name.length > 38 ? name.slice(0, 37) + "…" : name;
      root.appendChild(caption);
      var w = Math.max(1, Math.round(plotW * Math.abs(numbers[k]) / max));
      root.appendChild(svg("rect", { x: labelW, y: y, width: w, height: barH, "class": "bar" }));
      var figureText = svg("text", { x: labelW + w + 4, y: y + barH - 5, "class": "value" });
      figureText.textContent = row[value].value;
      root.appendChild(figureText);
    });
    box.appendChild(root);
    el("chart-caption").textContent = title + (rows.length > MAX_BARS ? " (" + MAX_BARS + " / " + rows.length + ")" : "");
    figure.hidden = false;
  }

  function clear() {
    el("results").textContent = "";
    el("graph").hidden = true;
    el("graph").textContent = "";
    el("chart-figure").hidden = true;
  }

  function show(response, body, started) {
    var ms = Math.round(performance.now() - started);
    var type = (response.headers.get("Content-Type") || "").split(";")[0];
    if (!response.ok) {
      setStatus(bilingual("Errore ", "Error ") + response.status + ": " + body.trim(), true);
      return;
    }
    if (type === "application/sparql-results+json") {
      var doc = JSON.parse(body);
      if (typeof doc.boolean === "boolean") {
        setStatus((doc.boolean ? "vero / true" : "falso / false") + " (" + ms + " ms)");
        return;
      }
      var rows = doc.results.bindings;
      table(doc.head.vars, rows);
      chart(doc.head.vars, rows);
      setStatus(rows.length + bilingual(" righe", " rows") + " (" + ms + " ms)");
    } else {
      el("graph").textContent = body;
      el("graph").hidden = false;
      setStatus(bilingual("Grafo RDF (Turtle)", "RDF graph (Turtle)") + " (" + ms + " ms)");
    }
  }

  function run(event) {
    if (event) { event.preventDefault(); }
    var query = el("query").value;
    updatePermalink();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", permalink(query));
    }
    clear();
    setStatus(bilingual("In corso…", "Running…"));
    var started = performance.now();
    var endpoint = el("query-app").getAttribute("data-endpoint");
    fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: new URLSearchParams({ query: query }).toString()
    }).then(function (response) {
      return response.text().then(function (body) { show(response, body, started); });
    }).catch(function (error) {
      setStatus(bilingual("Errore di rete: ", "Network error: ") + error, true);
    });
  }

  function choose() {
    var name = el("examples").value;
    var examples = JSON.parse(el("examples-data").textContent);
    var found = examples.filter(function (e) { return e.name === name; })[0];
    if (!found) { return; }
    el("query").value = found.text;
    el("example-description").textContent = "";
    el("example-description").appendChild(text("span", found.description_it, { lang: "it" }));
    el("example-description").appendChild(document.createTextNode(" "));
    el("example-description").appendChild(text("span", found.description_en, { lang: "en" }));
    updatePermalink();
  }

  document.addEventListener("DOMContentLoaded", function () {
    el("editor").addEventListener("submit", run);
    el("examples").addEventListener("change", choose);
    el("query").addEventListener("input", updatePermalink);
    if (el("query-app").getAttribute("data-autorun") === "true") { run(); }
  });
}());
