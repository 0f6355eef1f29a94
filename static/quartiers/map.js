/* Maps of the neighbourhoods (Leaflet). The features come from a JSON block in the page, the tile settings from
   the "carte-config" block: no inline script, and the polygons draw even when the tiles cannot load. */
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
    L.tileLayer(config.tilesUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    var layer = L.geoJSON(data, { style: style, interactive: false }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12] });
    }
    element.classList.add("is-ready");
  });
})();
