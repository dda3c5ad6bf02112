/* Interactive map (Leaflet) on top of the server-drawn map. The server map, its
   legend and the list of centres stay the reference: if scripts are blocked or
   tiles cannot be loaded, nothing is lost.

   Reads the inert JSON #map-data, in one of three shapes:
   - {axes, flat: [lat, lon, axisBits, ...]}: one centre per triple, in the order
     of the links of [data-map-list], which give its name and address (map page);
   - {axes, points: [[lat, lon, axisBits, name, url], ...]} (centre page);
   - {centres: [{name, url, lat, lon, colours, axes}, ...]} (trial page).
   Each marker is a pie of its centre's axes' colours, as on the server map; the
   figure's data-map-areas gives buttons that show mainland France and each
   overseas department that has a centre. */
(function () {
  "use strict";
  var slot = document.querySelector("[data-map]");
  var dataNode = document.getElementById("map-data");
  if (!slot || !dataNode || typeof L === "undefined") return;
  var data = JSON.parse(dataNode.textContent);
  var centres = readCentres(data);
  if (!data.tiles || !centres.length) return;
  var fallback = document.querySelector(".france-map");
  var areas = [];
  if (fallback && fallback.getAttribute("data-map-areas")) {
    areas = JSON.parse(fallback.getAttribute("data-map-areas"));
  }

  var COLOUR = /^#[0-9a-fA-F]{6}$/;
  var RADIUS = 9;

  function readCentres(data) {
    var axes = data.axes || [];
    function fromBits(bits) {
      var picked = axes.filter(function (axis, i) { return bits & (1 << i); });
      return {
        colours: picked.map(function (axis) { return axis.colour; }),
        label: picked.map(function (axis) { return axis.name; }).join(", "),
      };
    }
    var list = [];
    if (data.flat) {
      var links = document.querySelectorAll("[data-map-list] a");
      if (links.length * 3 !== data.flat.length) return [];
      for (var i = 0; i < links.length; i++) {
        var bits = fromBits(data.flat[3 * i + 2]);
        list.push({
          lat: data.flat[3 * i], lon: data.flat[3 * i + 1],
          name: links[i].textContent, url: links[i].getAttribute("href"),
          colours: bits.colours, label: bits.label,
        });
      }
    } else if (data.points) {
      data.points.forEach(function (p) {
        var bits = fromBits(p[2]);
        list.push({ lat: p[0], lon: p[1], name: p[3], url: p[4], colours: bits.colours, label: bits.label });
      });
    } else if (data.centres) {
      data.centres.forEach(function (c) {
        list.push({ lat: c.lat, lon: c.lon, name: c.name, url: c.url, colours: c.colours || [], label: c.axes || "" });
      });
    }
    return list;
  }

  // The same pie as the server map's markers: one slice per axis, from the top, clockwise.
  function pie(colours) {
    colours = colours.filter(function (c) { return COLOUR.test(c); });
    if (!colours.length) colours = ["#5f6670"];
    var r = RADIUS - 1, parts = [];
    if (colours.length === 1) {
      parts.push('<circle r="' + r + '" fill="' + colours[0] + '"/>');
    } else {
      var step = 2 * Math.PI / colours.length;
      colours.forEach(function (colour, i) {
        var a0 = i * step, a1 = (i + 1) * step;
        parts.push('<path fill="' + colour + '" stroke="#fff" stroke-width="1" d="M0 0L' +
          (r * Math.sin(a0)).toFixed(2) + " " + (-r * Math.cos(a0)).toFixed(2) + "A" + r + " " + r +
          " 0 0 1 " + (r * Math.sin(a1)).toFixed(2) + " " + (-r * Math.cos(a1)).toFixed(2) + 'z"/>');
      });
    }
    parts.push('<circle r="' + r + '" fill="none" stroke="#1b1b1b" stroke-width="1.5"/>');
    return '<svg viewBox="' + -RADIUS + " " + -RADIUS + " " + 2 * RADIUS + " " + 2 * RADIUS +
      '" width="' + 2 * RADIUS + '" height="' + 2 * RADIUS + '" aria-hidden="true" focusable="false">' +
      parts.join("") + "</svg>";
  }

  var icons = {};
  function icon(colours) {
    var key = colours.join(",");
    if (!icons[key]) {
      icons[key] = L.divIcon({
        className: "map-pin", html: pie(colours),
        iconSize: [2 * RADIUS, 2 * RADIUS], iconAnchor: [RADIUS, RADIUS], popupAnchor: [0, -RADIUS],
      });
    }
    return icons[key];
  }

  slot.hidden = false;
  var map = L.map(slot, { scrollWheelZoom: false });
  var loaded = false;
  var tiles = L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution });
  var toolbar = null;
  tiles.on("tileload", function () {
    if (!loaded && fallback) fallback.classList.add("is-replaced");
    loaded = true;
  });
  tiles.on("tileerror", function () {
    if (loaded) return;
    // Tiles unreachable: keep the server-drawn map, drop the empty one.
    map.remove();
    slot.hidden = true;
    if (toolbar) toolbar.remove();
  });
  tiles.addTo(map);

  centres.forEach(function (centre) {
    var name = centre.name + (centre.label ? " (" + centre.label + ")" : "");
    var marker = L.marker([centre.lat, centre.lon], {
      icon: icon(centre.colours), title: name, alt: name, keyboard: true, riseOnHover: true,
    });
    var content = document.createElement("div");
    var link = document.createElement("a");
    link.href = centre.url;
    link.textContent = centre.name;
    content.appendChild(link);
    if (centre.label) {
      var axes = document.createElement("p");
      axes.textContent = centre.label;
      content.appendChild(axes);
    }
    marker.bindPopup(content);
    marker.on("add", function () {
      var element = marker.getElement();
      if (element) element.setAttribute("aria-label", name);
    });
    marker.addTo(map);
  });

  // Mainland France and each overseas department with a centre: the insets of the
  // server map, as buttons (each overseas department is an ocean away).
  function show(area, button) {
    map.fitBounds([[area.bounds[0], area.bounds[1]], [area.bounds[2], area.bounds[3]]]);
    if (!toolbar) return;
    toolbar.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
  }
  var withCentres = areas.filter(function (area) { return area.count > 0; });
  var zoom = parseInt(slot.getAttribute("data-map-zoom") || "0", 10);
  if (centres.length === 1) {
    map.setView([centres[0].lat, centres[0].lon], zoom || 13);
  } else {
    show(withCentres[0] || { bounds: [41.3, -5.2, 51.1, 9.6] }, null);
  }
  if (centres.length > 1 && withCentres.length > 1) {
    toolbar = document.createElement("div");
    toolbar.className = "map-areas";
    toolbar.setAttribute("role", "group");
    toolbar.setAttribute("aria-label", "Montrer sur la carte interactive");
    withCentres.forEach(function (area, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button-secondary";
      button.textContent = area.name + " (" + area.count + ")";
      button.setAttribute("aria-pressed", i === 0 ? "true" : "false");
      button.addEventListener("click", function () { show(area, button); });
      toolbar.appendChild(button);
    });
    slot.parentNode.insertBefore(toolbar, slot);
  }
})();
