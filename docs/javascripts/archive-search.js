// The search page: loads Pagefind's interface (only on this page), then runs the
// query the header form sent as ?q=. document$ is Material's "page shown" signal,
// which also fires after instant navigation.
document$.subscribe(function () {
  var mount = document.getElementById("archive-search");
  if (!mount || mount.dataset.ready) return;
  mount.dataset.ready = "true";
  var bundle = new URL(mount.dataset.bundle, location.href).href;

  function start() {
    var ui = new PagefindUI({
      element: "#archive-search",
      bundlePath: bundle,
      baseUrl: new URL("../", bundle).pathname,  // the site may live below the domain's root
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      autofocus: true,
      pageSize: 5,  // each shown result costs a fragment download
      // Open on wide screens; on phones they would push the results out of sight.
      openFilters: matchMedia("(min-width: 60em)").matches ? ["place", "actor", "year"] : [],
      translations: { placeholder: "Search articles" },
      // Keep the query in the address, so Back and shared links show the same results.
      processTerm: function (term) {
        history.replaceState(history.state, "", term ? "?q=" + encodeURIComponent(term) : location.pathname);
        return term;
      }
    });
    var query = new URLSearchParams(location.search).get("q");
    if (query) ui.triggerSearch(query);
  }

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = bundle + "pagefind-ui.css";
  document.head.appendChild(style);
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = start;
  script.onerror = function () {
    mount.textContent = "The search index is missing: the site was built without it.";
  };
  document.head.appendChild(script);
});
