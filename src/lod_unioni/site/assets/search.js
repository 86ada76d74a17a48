// lod-unioni: search the unions and comuni of the site in the browser (search.json, no server).
// Our own script, no library. Names and codes, accents and case ignored; every word must match.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  if (!form || !input || !status || !list) { return; }
  var script = document.currentScript || document.querySelector('script[src$="search.js"]');
  var root = script.getAttribute("src").replace(/assets\/search\.js$/, "");
  var items = null;
  var LIMIT = 50;
  var KIND = { u: "Unione / Union", c: "Comune / Municipality" };

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function show(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!words.length) { status.textContent = ""; return; }
    var found = items.filter(function (item) {
      return words.every(function (w) { return item.key.indexOf(w) !== -1; });
    });
    found.slice(0, LIMIT).forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + item.path + ".html";
      a.textContent = item.name;
      li.appendChild(a);
      var small = document.createElement("small");
      small.textContent = " (" + KIND[item.kind] + (item.place ? ", " + item.place : "") +
        (item.codes ? "; " + item.codes : "") + ")";
      li.appendChild(small);
      list.appendChild(li);
    });
    var more = found.length > LIMIT ? " (i primi " + LIMIT + " / the first " + LIMIT + ")" : "";
    status.textContent = found.length + " risultati / results" + more;
  }

  function load() {
    status.textContent = "Caricamento… / Loading…";
    return fetch(root + "search.json").then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      var f = data.fields;
      items = data.items.map(function (row) {
        var item = {};
        f.forEach(function (name, i) { item[name] = row[i]; });
        item.key = fold(item.name + " " + item.codes);
        return item;
      });
    });
  }

  var ready = null;
  function search() {
    ready = ready || load();
    ready.then(function () { show(input.value); }, function () {
      status.textContent = "Indice di ricerca non disponibile / Search index not available";
    });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  input.addEventListener("input", search);
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { input.value = given; search(); }
}());
