// The search page, on Pagefind's small API (pagefind.js) rather than its ready-made
// interface: the first search then fetches only the index pieces the words need.
// The facets' data (places, actors, years) is fetched only when a reader opens
// "Narrow by…" or arrives with a filter in the address. What a first search costs on a
// large archive is measured by scripts/measure_search.py (see the README).
// document$ is Material's "page shown" signal; it also fires after instant navigation.
document$.subscribe(function () {
  var root = document.getElementById("archive-search");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "true";

  var FACETS = [["place", "Place"], ["actor", "Actor"], ["year", "Year"]];
  var PAGE_SIZE = 5;
  var bundle = new URL(root.dataset.bundle, location.href).href;
  var form = root.querySelector("form");
  var input = root.querySelector(".archive-search__input");
  var facets = root.querySelector(".archive-search__facets");
  var filterBox = root.querySelector(".archive-search__filters");
  var status = root.querySelector(".archive-search__status");
  var list = root.querySelector(".archive-search__results");
  var more = root.querySelector(".archive-search__more");
  var params = new URLSearchParams(location.search);
  var selected = {};
  FACETS.forEach(function (f) { selected[f[0]] = params.getAll(f[0]); });
  var pagefind = null, filtersLoaded = false, results = [], shown = 0, run = 0, timer = null;
  var common = new Set();  // words in most articles: left out of searches of several words

  function anySelected() {
    return FACETS.some(function (f) { return selected[f[0]].length > 0; });
  }

  function filterQuery() {
    var query = {};
    FACETS.forEach(function (f) {
      if (selected[f[0]].length) query[f[0]] = { any: selected[f[0]] };
    });
    return query;
  }

  function remember(term) {
    var next = new URLSearchParams();
    if (term) next.set("q", term);
    FACETS.forEach(function (f) { selected[f[0]].forEach(function (v) { next.append(f[0], v); }); });
    var query = next.toString();
    history.replaceState(history.state, "", query ? "?" + query : location.pathname);
  }

  async function loadFilters() {
    if (filtersLoaded) return;
    filtersLoaded = true;
    await pagefind.filters();
  }

  async function search() {
    var term = input.value.trim();
    var mine = ++run;
    remember(term);
    if (!term && !anySelected()) {
      status.textContent = "";
      list.replaceChildren();
      more.hidden = true;
      renderFilters({});
      return;
    }
    var words = withoutCommonWords(term);
    if (term && !words.kept && !anySelected()) {
      status.textContent = "“" + words.left.join("”, “") + "” " + (words.left.length === 1 ? "is" : "are")
        + " in most articles: add a more specific word to search.";
      results = [];
      list.replaceChildren();
      more.hidden = true;
      return;
    }
    if (anySelected() || facets.open) await loadFilters();
    var found = await pagefind.search(words.kept || null, { filters: filterQuery() });
    if (mine !== run || !found) return;  // a newer search has started
    results = found.results;
    shown = 0;
    list.replaceChildren();
    status.textContent = (results.length === 0 ? "No articles found."
      : results.length + (results.length === 1 ? " article" : " articles") + (term ? " for “" + term + "”" : ""))
      + (words.left.length ? " (“" + words.left.join("”, “") + "” left out: "
        + (words.left.length === 1 ? "it is" : "they are") + " in most articles)" : "");
    renderFilters(filtersLoaded ? found.filters : {});
    await showMore();
  }

  // A word in most articles barely narrows a search, yet its part of the index is the
  // largest to fetch (140 KB for "the" in 20,000 articles): it is left out, and a search
  // of such words only asks for another word. A quoted phrase is searched as written.
  function withoutCommonWords(term) {
    if (/^\s*".+"\s*$/.test(term)) return { kept: term, left: [] };
    var words = term.split(/\s+/).filter(Boolean);
    var isCommon = function (w) { return common.has(w.toLowerCase().replace(/[^\p{L}\p{N}_]/gu, "")); };
    return { kept: words.filter(function (w) { return !isCommon(w); }).join(" "), left: words.filter(isCommon) };
  }

  async function showMore() {
    var mine = run;
    var batch = await Promise.all(results.slice(shown, shown + PAGE_SIZE).map(function (r) { return r.data(); }));
    if (mine !== run) return;
    batch.forEach(function (data) { list.appendChild(renderResult(data)); });
    shown += batch.length;
    more.hidden = shown >= results.length;
  }

  function renderResult(data) {
    var item = document.createElement("li");
    item.className = "archive-search__result";
    var link = document.createElement("a");
    link.href = data.url;
    link.className = "archive-search__result-link";
    link.textContent = (data.meta && data.meta.title) || data.url;  // text, never markup
    var heading = document.createElement("h2");
    heading.appendChild(link);
    var excerpt = document.createElement("p");
    // Pagefind escapes the page text in excerpts and adds only <mark> around matches.
    excerpt.innerHTML = data.excerpt;
    item.append(heading, excerpt);
    var facts = [];
    FACETS.forEach(function (f) { if (data.filters && data.filters[f[0]]) facts = facts.concat(data.filters[f[0]]); });
    if (facts.length) {
      var where = document.createElement("p");
      where.className = "archive-search__facts";
      where.textContent = facts.join(" · ");
      item.appendChild(where);
    }
    return item;
  }

  function renderFilters(counts) {
    filterBox.replaceChildren();
    if (!filtersLoaded) return;
    FACETS.forEach(function (f) {
      var key = f[0], values = Object.assign({}, counts[key] || {});
      selected[key].forEach(function (v) { if (!(v in values)) values[v] = 0; });
      var names = Object.keys(values).filter(function (v) { return values[v] > 0 || selected[key].includes(v); });
      if (!names.length) return;
      names.sort(function (a, b) {
        return key === "year" ? b.localeCompare(a) : (values[b] - values[a]) || a.localeCompare(b);
      });
      var group = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = f[1];
      group.appendChild(legend);
      names.forEach(function (value) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.checked = selected[key].includes(value);
        box.addEventListener("change", function () {
          selected[key] = box.checked ? selected[key].concat([value])
            : selected[key].filter(function (v) { return v !== value; });
          search();
        });
        label.append(box, " " + value + " (" + values[value] + ")");
        group.appendChild(label);
      });
      filterBox.appendChild(group);
    });
  }

  // Pagefind's script as a gzipped copy the page unpacks itself (13 KB instead of 45 KB
  // from a host that does not compress), or as it is where that cannot work.
  async function importPagefind() {
    if (typeof DecompressionStream === "function") {
      try {
        var response = await fetch(bundle + "pagefind.js.gz");
        if (response.ok) {
          var bytes = new Uint8Array(await response.arrayBuffer());
          var body = new Blob([bytes]).stream();
          if (bytes[0] === 0x1f && bytes[1] === 0x8b) body = body.pipeThrough(new DecompressionStream("gzip"));
          var script = URL.createObjectURL(new Blob([await new Response(body).text()], { type: "text/javascript" }));
          try { return await import(script); } finally { URL.revokeObjectURL(script); }
        }
      } catch (error) { /* the plain file below */ }
    }
    return import(bundle + "pagefind.js");
  }

  async function loadCommonWords() {
    try {
      var response = await fetch(bundle + "archive-common-words.json");
      if (response.ok) common = new Set(await response.json());
    } catch (error) { /* none: every word is searched */ }
  }

  async function start() {
    var loaded = await Promise.all([importPagefind(), loadCommonWords()]);
    pagefind = loaded[0];
    await pagefind.options({
      basePath: new URL(bundle).pathname,
      baseUrl: new URL("../", bundle).pathname,  // the site may live below the domain's root
      noWorker: true,  // a worker would fetch a second copy of the script (40 KB)
    });
    await pagefind.init();
    facets.hidden = false;
    if (anySelected()) facets.open = true;
    // What the address asks for, unless the reader has started typing while Pagefind loaded.
    if (!input.value) input.value = params.get("q") || "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      search();
    });
    facets.addEventListener("toggle", function () { if (facets.open && !filtersLoaded) search(); });
    more.addEventListener("click", showMore);
    if (input.value || anySelected()) search();
    input.focus();
  }

  start().catch(function () {
    status.textContent = "The search index is missing: the site was built without it.";
  });
});
