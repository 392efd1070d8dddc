/* corridors map runtime: draws the layers that corridors.maps embeds as JSON and adds the
 * legend, fullscreen, measure and mini-map controls. Written for corridors; uses only Leaflet.
 *
 * Every string this code puts into the page as HTML (popups, tooltips, legend) was escaped
 * in Python before it was embedded; no property value is interpreted here.
 * Leaflet (L) is looked up only when a function runs, so this file may load before Leaflet.
 */
window.corridorsMap = (function () {
  "use strict";

  /* ---- WGS84 geodesic distance (Vincenty's inverse formula), metres ---- */
  var A = 6378137.0, F = 1 / 298.257223563, B = A * (1 - F);

  function geodesicMetres(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var L = (lon2 - lon1) * rad;
    var U1 = Math.atan((1 - F) * Math.tan(lat1 * rad));
    var U2 = Math.atan((1 - F) * Math.tan(lat2 * rad));
    var sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var lambda = L, prev, iter = 0;
    var sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM;
    do {
      var sinL = Math.sin(lambda), cosL = Math.cos(lambda);
      var t1 = cosU2 * sinL, t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosL;
      sinSigma = Math.sqrt(t1 * t1 + t2 * t2);
      if (sinSigma === 0) { return 0; }
      cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
      sigma = Math.atan2(sinSigma, cosSigma);
      var sinAlpha = cosU1 * cosU2 * sinL / sinSigma;
      cos2Alpha = 1 - sinAlpha * sinAlpha;
      cos2SigmaM = cos2Alpha !== 0 ? cosSigma - 2 * sinU1 * sinU2 / cos2Alpha : 0;
      var C = F / 16 * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
      prev = lambda;
      lambda = L + (1 - C) * F * sinAlpha *
        (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    } while (Math.abs(lambda - prev) > 1e-12 && ++iter < 200);
    var u2 = cos2Alpha * (A * A - B * B) / (B * B);
    var bigA = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    var bigB = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    var dSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
      bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
    return B * bigA * (sigma - dSigma);
  }

  /* ---- points along the great circle from p to q (display of measured legs) ---- */
  function greatCircle(p, q, metres) {
    var rad = Math.PI / 180;
    var n = Math.min(256, Math.max(1, Math.ceil(metres / 25000)));  /* one vertex per 25 km at most */
    function xyz(ll) {
      var la = ll.lat * rad, lo = ll.lng * rad;
      return [Math.cos(la) * Math.cos(lo), Math.cos(la) * Math.sin(lo), Math.sin(la)];
    }
    var a = xyz(p), b = xyz(q);
    var dot = Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2]));
    var omega = Math.acos(dot), out = [p];
    if (omega < 1e-12 || n === 1) { return [p, q]; }
    var lng = p.lng;
    for (var i = 1; i < n; i++) {
      var t = i / n;
      var s0 = Math.sin((1 - t) * omega) / Math.sin(omega), s1 = Math.sin(t * omega) / Math.sin(omega);
      var x = s0 * a[0] + s1 * b[0], y = s0 * a[1] + s1 * b[1], z = s0 * a[2] + s1 * b[2];
      var lon = Math.atan2(y, x) / rad;
      lon += 360 * Math.round((lng - lon) / 360);  /* continuous longitudes, no jump at 180 */
      lng = lon;
      out.push(L.latLng(Math.atan2(z, Math.sqrt(x * x + y * y)) / rad, lon));
    }
    var end = q.lng + 360 * Math.round((lng - q.lng) / 360);
    out.push(L.latLng(q.lat, end));
    return out;
  }

  /* ---- layers ---- */
  var bordersData = null;

  function lines(data) {
    // data: {corridor_html, features: [{geometry, properties: {style, html, tip, seg}}]}
    // Each segment is drawn once as styled (not interactive) over a wide transparent line that
    // takes the clicks, so the gaps of dashed and dotted lines and thin sea legs are easy to hit.
    var hit = L.geoJSON(data, {
      style: function (f) { return { weight: 14, opacity: 0, className: "corridors-hit " + f.properties.seg }; },
      onEachFeature: function (f, layer) {
        layer.bindPopup(f.properties.html + data.corridor_html, { maxWidth: 420, maxHeight: 360 });
        layer.bindTooltip(f.properties.tip, { sticky: true });
      }
    });
    var shown = L.geoJSON(data, {
      interactive: false,
      style: function (f) { return f.properties.style; }
    });
    return L.featureGroup([hit, shown]);
  }

  function points(data) {
    // data: {features: [{geometry: Point, properties: {style, html, tip}}]}
    return L.geoJSON(data, {
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, f.properties.style); },
      onEachFeature: function (f, layer) {
        layer.bindPopup(f.properties.html, { maxWidth: 360, maxHeight: 320 });
        layer.bindTooltip(f.properties.tip);
      }
    });
  }

  function areas(data) {
    // data: {attribution, features: [{geometry, properties: {style, html, tip}}]}; html/tip may be null
    if (data.base) { bordersData = data; }
    return L.geoJSON(data, {
      attribution: data.attribution,
      style: function (f) { return f.properties.style; },
      onEachFeature: function (f, layer) {
        if (f.properties.html) { layer.bindPopup(f.properties.html, { maxWidth: 360 }); }
        if (f.properties.tip) { layer.bindTooltip(f.properties.tip, { sticky: true }); }
      }
    });
  }

  /* ---- controls ---- */
  function button(parent, text, title) {
    var b = L.DomUtil.create("a", "corridors-btn", parent);
    b.href = "#";
    b.setAttribute("role", "button");
    b.title = title;
    b.setAttribute("aria-label", title);
    b.textContent = text;
    L.DomEvent.disableClickPropagation(b);
    return b;
  }

  function legend(map, html) {
    var Legend = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        var div = L.DomUtil.create("div", "corridors-legend");
        div.innerHTML = html;
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    return new Legend().addTo(map);
  }

  function fullscreen(map) {
    var box = map.getContainer();
    if (!box.requestFullscreen) { return null; }
    var Full = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var bar = L.DomUtil.create("div", "leaflet-bar corridors-fullscreen");
        var b = button(bar, "", "Full screen");
        b.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" style="vertical-align:middle" fill="none" ' +
          'stroke="#222" stroke-width="2"><path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"/></svg>';
        L.DomEvent.on(b, "click", function (e) {
          L.DomEvent.preventDefault(e);
          if (document.fullscreenElement) { document.exitFullscreen(); } else { box.requestFullscreen(); }
        });
        document.addEventListener("fullscreenchange", function () {
          L.DomUtil[document.fullscreenElement ? "addClass" : "removeClass"](b, "on");
          map.invalidateSize();
        });
        return bar;
      }
    });
    return new Full().addTo(map);
  }

  function measure(map) {
    var Measure = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var bar = L.DomUtil.create("div", "leaflet-bar corridors-measure");
        var b = button(bar, "\u2194", "Measure a geodesic distance: click points on the map; click here again to stop");
        var out = L.DomUtil.create("div", "corridors-measure-out", bar);
        out.style.display = "none";
        var on = false, pts = [], line = null, dots = L.layerGroup();
        function reset() {
          pts = [];
          if (line) { map.removeLayer(line); line = null; }
          dots.clearLayers();
          out.textContent = "0.0 km";
        }
        function add(e) {
          map.closePopup();
          pts.push(e.latlng);
          L.circleMarker(e.latlng, { radius: 3, color: "#000", className: "corridors-measure" }).addTo(dots);
          var m = 0, path = [pts[0]];
          for (var i = 1; i < pts.length; i++) {
            var leg = geodesicMetres(pts[i - 1].lat, pts[i - 1].lng, pts[i].lat, pts[i].lng);
            m += leg;
            path = path.concat(greatCircle(pts[i - 1], pts[i], leg).slice(1));  /* drawn along the curve */
          }
          if (line) { line.setLatLngs(path); } else {
            line = L.polyline(path, { color: "#000", weight: 2, dashArray: "4 4", className: "corridors-measure" }).addTo(map);
          }
          out.textContent = (m / 1000).toFixed(1) + " km";
        }
        L.DomEvent.on(b, "click", function (e) {
          L.DomEvent.preventDefault(e);
          on = !on;
          L.DomUtil[on ? "addClass" : "removeClass"](b, "on");
          L.DomUtil[on ? "addClass" : "removeClass"](map.getContainer(), "corridors-measuring");
          out.style.display = on ? "block" : "none";
          reset();
          if (on) { dots.addTo(map); map.on("click", add); } else { map.off("click", add); map.removeLayer(dots); }
        });
        return bar;
      }
    });
    return new Measure().addTo(map);
  }

  function minimap(map) {
    if (!bordersData) { return null; }
    var Mini = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var div = L.DomUtil.create("div", "corridors-minimap");
        L.DomEvent.disableClickPropagation(div);
        return div;
      }
    });
    var ctl = new Mini().addTo(map);
    var mini = L.map(ctl.getContainer(), {
      attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false,
      doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false
    });
    var view = null;
    function sync() {
      mini.setView(map.getCenter(), Math.max(map.getZoom() - 4, 0), { animate: false });
      if (view) { view.setBounds(map.getBounds()); return; }
      // first call: the mini-map has a view now, so its layers can be added
      L.geoJSON(bordersData, {
        interactive: false,
        style: function (f) {
          var sea = f.properties.style.className === "corridors-sea-area";
          return { color: "#777", weight: sea ? 0 : 0.5, fillColor: f.properties.style.fillColor, fillOpacity: 1,
                   className: "corridors-minimap-border" };
        }
      }).addTo(mini);
      view = L.rectangle(map.getBounds(), {
        color: "#c00", weight: 1.5, fillOpacity: 0.08, interactive: false, className: "corridors-minimap-view"
      }).addTo(mini);
    }
    mini.on("click", function (e) { map.panTo(e.latlng); });
    map.on("moveend", sync);
    map.whenReady(sync);
    return mini;
  }

  function controls(map, opts) {
    if (opts.offline) { L.DomUtil.addClass(map.getContainer(), "corridors-offline"); }
    fullscreen(map);
    measure(map);
    if (opts.legend) { legend(map, opts.legend); }
    if (opts.minimap) { minimap(map); }
  }

  return {
    geodesicMetres: geodesicMetres, lines: lines, points: points, areas: areas,
    controls: controls
  };
})();
