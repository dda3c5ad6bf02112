/* Interactive map (Leaflet) on top of the server-drawn map. The server map and
   the list of centres stay the reference: if scripts are blocked or tiles
   cannot be loaded, nothing is lost. */
(function () {
  "use strict";
  var slot = document.querySelector("[data-map]");
  var dataNode = document.getElementById("map-data");
  if (!slot || !dataNode || typeof L === "undefined") return;
  var data = JSON.parse(dataNode.textContent);
  if (!data.tiles || !data.centres.length) return;
  var fallback = document.querySelector(".france-map");

  slot.hidden = false;
  var map = L.map(slot, { scrollWheelZoom: false });
  var loaded = false;
  var tiles = L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution });
  tiles.on("tileload", function () {
    if (!loaded && fallback) fallback.classList.add("is-replaced");
    loaded = true;
  });
  tiles.on("tileerror", function () {
    if (loaded) return;
    // Tiles unreachable: keep the server-drawn map, drop the empty one.
    map.remove();
    slot.hidden = true;
  });
  tiles.addTo(map);

  var bounds = [];
  data.centres.forEach(function (centre) {
    var point = [centre.lat, centre.lon];
    bounds.push(point);
    var marker = L.circleMarker(point, {
      radius: 7,
      color: "#1b1b1b",
      weight: 1,
      fillColor: centre.colours[0] || "#4a4a4a",
      fillOpacity: 0.9,
    });
    var content = document.createElement("div");
    var link = document.createElement("a");
    link.href = centre.url;
    link.textContent = centre.name;
    content.appendChild(link);
    if (centre.axes) {
      var axes = document.createElement("p");
      axes.textContent = centre.axes;
      content.appendChild(axes);
    }
    marker.bindPopup(content);
    marker.addTo(map);
  });
  var zoom = parseInt(slot.getAttribute("data-map-zoom") || "0", 10);
  if (bounds.length === 1) {
    map.setView(bounds[0], zoom || 13);
  } else {
    // Mainland France by default; overseas centres are in the list and the insets.
    map.fitBounds([[41.3, -5.2], [51.1, 9.6]]);
  }
})();
