/* Maps of the neighbourhoods (Leaflet). The features come from a JSON block in the page, the tile settings from
   the "carte-config" block: no inline script, and the polygons draw even when the tiles cannot load.
   The base map comes from another host: it loads only after the visitor asks for it (a button), and that choice
   is remembered in this browser (localStorage, no cookie). */
(function () {
  "use strict";
  var configElement = document.getElementById("carte-config");
  if (!configElement || typeof L === "undefined") {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var STYLES = {
    commune: { color: "#495057", weight: 2, dashArray: "6 4", fill: false },
    qpv: { color: "#1b4f8a", weight: 3, fillColor: "#1b4f8a", fillOpacity: 0.25 },
    veille: { color: "#8a4b00", weight: 3, fillColor: "#b36200", fillOpacity: 0.2 },
    cucs: { color: "#5a3d7a", weight: 3, fillColor: "#5a3d7a", fillOpacity: 0.15 }
  };

  var STORAGE_KEY = "quartiers-fond-de-carte";
  var tilesHost = config.tilesUrl.split("://").pop().split("/")[0].replace("{s}.", "");
  var maps = [];

  function wantsTiles() {
    try {
      return window.localStorage.getItem(STORAGE_KEY) === "1";
    } catch (error) {
      return false;
    }
  }

  function rememberTiles(value) {
    try {
      if (value) {
        window.localStorage.setItem(STORAGE_KEY, "1");
      } else {
        window.localStorage.removeItem(STORAGE_KEY);
      }
    } catch (error) {
      /* storage refused: the choice lasts for this page only */
    }
  }

  function setTiles(show) {
    maps.forEach(function (entry) {
      if (show && !entry.map.hasLayer(entry.tiles)) {
        entry.tiles.addTo(entry.map);
      } else if (!show && entry.map.hasLayer(entry.tiles)) {
        entry.map.removeLayer(entry.tiles);
      }
      entry.button.setAttribute("aria-pressed", show ? "true" : "false");
    });
  }

  function style(feature) {
    var props = feature.properties || {};
    var base = STYLES[props.statut] || STYLES.qpv;
    var result = {};
    Object.keys(base).forEach(function (key) { result[key] = base[key]; });
    if (props.exemple) {
      result.dashArray = "2 6";
    }
    return result;
  }

  document.querySelectorAll(".quartier-map[data-features]").forEach(function (element) {
    var dataElement = document.getElementById(element.getAttribute("data-features"));
    if (!dataElement) {
      return;
    }
    var data = JSON.parse(dataElement.textContent);
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false });
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
    map.attributionControl.setPrefix(false);
    var tiles = L.tileLayer(config.tilesUrl, { attribution: config.attribution, maxZoom: 19 });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-primary map-tiles-toggle";
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Fond de carte (chargé depuis " + tilesHost + ")";
    button.addEventListener("click", function () {
      var show = button.getAttribute("aria-pressed") !== "true";
      rememberTiles(show);
      setTiles(show);
    });
    element.parentNode.insertBefore(button, element);
    maps.push({ map: map, tiles: tiles, button: button });
    var layer = L.geoJSON(data, {
      style: style,
      interactive: false,
      // A label on the shape (the map of funded projects: name and counts); the list beside the map says the same.
      onEachFeature: function (feature, item) {
        if (feature.properties && feature.properties.etiquette) {
          item.bindTooltip(feature.properties.etiquette, { permanent: true, direction: "center", className: "map-label" });
        }
      }
    }).addTo(map);
    // Zoom on the neighbourhoods; the commune outline, drawn for context, counts only when it is alone.
    var bounds = L.latLngBounds([]);
    layer.eachLayer(function (item) {
      if (item.feature.properties.statut !== "commune") {
        bounds.extend(item.getBounds());
      }
    });
    if (!bounds.isValid()) {
      bounds = layer.getBounds();
    }
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12] });
    }
    element.classList.add("is-ready");
  });
  setTiles(wantsTiles());
})();
