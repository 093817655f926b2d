/* The archive's map: turns the list of places on a map page into Leaflet markers.
 *
 * The page itself carries everything: a list of links to place pages, each with
 * data-lat, data-lon and data-count. Without JavaScript or without map tiles the
 * list is still there; with them, each place gets a marker sized by its number
 * of articles that leads to its page. Leaflet (shipped with the site, never from
 * a CDN) is only loaded on pages that have a map.
 */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var base = here ? here.replace(/[^/]*$/, "") : "";
  var leaflet = null;

  function loadLeaflet() {
    if (window.L) return Promise.resolve(window.L);
    if (leaflet) return leaflet;
    leaflet = new Promise(function (resolve, reject) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = base + "leaflet/leaflet.css";
      document.head.appendChild(style);
      var script = document.createElement("script");
      script.src = base + "leaflet/leaflet.js";
      script.onload = function () { resolve(window.L); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return leaflet;
  }

  function markerSize(count, most) {
    // Area grows with the number of articles: from 14 px to 38 px for the most.
    return Math.round(14 + 24 * Math.sqrt(count / Math.max(most, 1)));
  }

  function drawMap(L, box) {
    var canvas = box.querySelector(".archive-map__canvas");
    var links = Array.prototype.slice.call(box.querySelectorAll("a[data-lat][data-lon]"));
    if (!canvas || !links.length) return;
    box.classList.add("archive-map--drawn");
    var map = L.map(canvas, { scrollWheelZoom: false, worldCopyJump: true });
    var tiles = box.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 18,
        attribution: box.getAttribute("data-attribution") || ""
      }).addTo(map);
    }
    var most = Math.max.apply(null, links.map(function (a) { return +a.getAttribute("data-count") || 0; }));
    // A map needs its view before markers can be placed in it.
    var focus = null;
    var bounds = links.map(function (link) {
      var point = [+link.getAttribute("data-lat"), +link.getAttribute("data-lon")];
      if (link.id && "#" + link.id === decodeURIComponent(window.location.hash)) focus = point;
      return point;
    });
    if (focus) {
      map.setView(focus, 9);
    } else {
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 9 });
    }
    links.forEach(function (link) {
      var lat = +link.getAttribute("data-lat");
      var lon = +link.getAttribute("data-lon");
      var count = +link.getAttribute("data-count") || 0;
      var size = markerSize(count, most);
      var name = link.textContent.trim();
      var label = name + ": " + count + " article" + (count === 1 ? "" : "s");
      var marker = L.marker([lat, lon], {
        title: label,
        alt: label,
        riseOnHover: true,
        zIndexOffset: 1000 - size * 10,  // small markers stay on top of large ones, reachable
        icon: L.divIcon({
          className: "archive-map__marker",
          html: "<span></span>",
          iconSize: [size, size]
        })
      });
      marker.bindTooltip(label, { direction: "top", offset: [0, -size / 2] });
      marker.on("click", function () { window.location.href = link.href; });
      marker.addTo(map);
      var icon = marker.getElement();
      icon.setAttribute("data-place", link.id || "");
      icon.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          window.location.href = link.href;
        }
      });
      if (focus && lat === focus[0] && lon === focus[1]) marker.openTooltip();
    });
  }

  function drawMaps() {
    var boxes = document.querySelectorAll(".archive-map:not(.archive-map--drawn)");
    if (!boxes.length) return;
    loadLeaflet().then(function (L) {
      Array.prototype.forEach.call(boxes, function (box) { drawMap(L, box); });
    });
  }

  // Material's instant navigation swaps pages without reloading: redraw on each page.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(drawMaps);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawMaps);
  } else {
    drawMaps();
  }
})();
