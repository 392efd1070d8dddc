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
    // data: {corridor_html, casing, features: [{geometry, properties: {style, html, tip, seg}}]}
    // Each segment is drawn once as styled (not interactive) over a wide transparent line that
    // takes the clicks, so the gaps of dashed and dotted lines and thin sea legs are easy to hit.
    // A segment popup holds the segment's facts; its button swaps in the corridor summary.
    // A feature group adds its layers in the order they were made (by Leaflet id): casing first.
    var casing = data.casing ? L.geoJSON(data, {
      interactive: false,
      style: function (f) {
        return { color: "#fff", weight: f.properties.style.weight + 3, opacity: 0.9, className: "corridors-casing" };
      }
    }) : null;
    var hit = L.geoJSON(data, {
      style: function (f) { return { weight: 14, opacity: 0, className: "corridors-hit " + f.properties.seg }; },
      onEachFeature: function (f, layer) {
        layer.bindPopup(f.properties.html, { maxWidth: 340, maxHeight: 400, autoPanPaddingTopLeft: [50, 80] });
        layer.bindTooltip(f.properties.tip, { sticky: true });
        layer.on("popupopen", function (e) { summaryButton(e.popup, data.corridor_html, f.properties.html); });
      }
    });
    var shown = L.geoJSON(data, {
      interactive: false,
      style: function (f) { return f.properties.style; }
    });
    return L.featureGroup(casing ? [casing, hit, shown] : [hit, shown]);
  }

  function summaryButton(popup, summary, back) {
    var root = popup.getElement();
    var b = root && root.querySelector(".corridors-summary-btn");
    if (!b) { return; }
    L.DomEvent.on(b, "click", function (e) {
      L.DomEvent.stop(e);
      popup.setContent(summary);
      var r = popup.getElement().querySelector(".corridors-back-btn");
      if (r) {
        L.DomEvent.on(r, "click", function (ev) {
          L.DomEvent.stop(ev);
          popup.setContent(back);
          summaryButton(popup, summary, back);
        });
      }
    });
  }

  /* ---- many lines: levels of detail on one canvas (see corridors._lod) ---- */
  function readVarints(b64) {
    var bin = atob(b64), n = bin.length, out = [], v = 0, shift = 0;
    for (var i = 0; i < n; i++) {
      var c = bin.charCodeAt(i);
      v += (c & 127) * Math.pow(2, shift);
      if (c & 128) { shift += 7; } else { out.push(v); v = 0; shift = 0; }
    }
    return out;
  }

  function decodeLevel(level) {
    var counts = readVarints(level.n), raw = readVarints(level.xy);
    var xy = new Float64Array(raw.length), x = 0, y = 0, g = level.grid;
    for (var i = 0; i < raw.length; i += 2) {
      var dx = raw[i], dy = raw[i + 1];
      x += (dx % 2) ? -(dx + 1) / 2 : dx / 2;
      y += (dy % 2) ? -(dy + 1) / 2 : dy / 2;
      xy[i] = x * g; xy[i + 1] = y * g;
    }
    var start = new Int32Array(counts.length + 1), box = new Float64Array(counts.length * 4);
    for (var p = 0, k = 0; p < counts.length; p++) {
      start[p] = k;
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (var j = 0; j < counts[p]; j++, k++) {
        var px = xy[2 * k], py = xy[2 * k + 1];
        if (px < x0) { x0 = px; } if (px > x1) { x1 = px; }
        if (py < y0) { y0 = py; } if (py > y1) { y1 = py; }
      }
      box[4 * p] = x0; box[4 * p + 1] = y0; box[4 * p + 2] = x1; box[4 * p + 3] = y1;
    }
    start[counts.length] = k;
    return { xy: xy, start: start, box: box };
  }

  var ManyLines = null;
  function manyLines(data) {
    // data: {levels: [{z0, z1, grid, n, xy}], part_feature: base64 varints, colour: [per feature class],
    //        colours: [css], facts: [{label, values (escaped), codes}], note, weight}
    if (!ManyLines) {
      ManyLines = L.Layer.extend({
        initialize: function (d) {
          this._d = d;
          this._decoded = {};
          this._feature = readVarints(d.part_feature);
          for (var i = 1; i < this._feature.length; i++) { this._feature[i] += this._feature[i - 1]; }
          window.corridorsMap.drawn = { count: 0, parts: 0, ms: [] };
        },
        onAdd: function (map) {
          this._canvas = L.DomUtil.create("canvas", "corridors-many leaflet-zoom-hide");
          map.getPanes().overlayPane.appendChild(this._canvas);
          map.on("moveend resize viewreset", this._redraw, this);  // moveend follows every zoom too
          map.on("click", this._click, this);
          this._redraw();
        },
        onRemove: function (map) {
          L.DomUtil.remove(this._canvas);
          map.off("moveend resize viewreset", this._redraw, this);
          map.off("click", this._click, this);
        },
        _level: function (z) {
          var lv = this._d.levels, i = 0;
          while (i < lv.length - 1 && z >= lv[i].z1 + 1) { i++; }
          if (!this._decoded[i]) { this._decoded[i] = decodeLevel(lv[i]); }
          return this._decoded[i];
        },
        _redraw: function () {
          var t0 = performance.now(), map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
          var topLeft = map.containerPointToLayerPoint([0, 0]);
          L.DomUtil.setPosition(this._canvas, topLeft);
          this._canvas.width = size.x * ratio; this._canvas.height = size.y * ratio;
          this._canvas.style.width = size.x + "px"; this._canvas.style.height = size.y + "px";
          var z = map.getZoom(), s = Math.pow(2, z), lv = this._level(z);
          var origin = map.getPixelOrigin().add(topLeft);
          var ox = origin.x / s, oy = origin.y / s, w = size.x / s, h = size.y / s;
          var ctx = this._canvas.getContext("2d"), d = this._d, xy = lv.xy, st = lv.start, box = lv.box;
          ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
          ctx.lineWidth = d.weight; ctx.lineJoin = "bevel"; ctx.lineCap = "butt";  // cheaper to rasterise than round
          var drawn = 0, tiny = 1 / s;
          for (var c = 0; c < d.colours.length; c++) {
            var dots = [];
            ctx.beginPath();
            for (var p = 0; p < st.length - 1; p++) {
              if (d.colour[this._feature[p]] !== c) { continue; }
              if (box[4 * p + 2] < ox || box[4 * p] > ox + w || box[4 * p + 3] < oy || box[4 * p + 1] > oy + h) { continue; }
              drawn++;
              if (box[4 * p + 2] - box[4 * p] < tiny && box[4 * p + 3] - box[4 * p + 1] < tiny) {
                dots.push(p);  // the whole part within one pixel: drawn as that pixel
                continue;
              }
              var k = st[p];
              ctx.moveTo((xy[2 * k] - ox) * s, (xy[2 * k + 1] - oy) * s);
              for (k++; k < st[p + 1]; k++) { ctx.lineTo((xy[2 * k] - ox) * s, (xy[2 * k + 1] - oy) * s); }
            }
            ctx.strokeStyle = d.colours[c];
            ctx.stroke();
            ctx.fillStyle = d.colours[c];
            for (var q = 0; q < dots.length; q++) {
              var j = dots[q];
              ctx.fillRect((box[4 * j] - ox) * s - 0.5, (box[4 * j + 1] - oy) * s - 0.5, 1.5, 1.5);
            }
          }
          this._view = { ox: ox, oy: oy, s: s };
          var rec = window.corridorsMap.drawn;
          rec.count++; rec.parts = drawn; rec.ms.push(performance.now() - t0);
          if (!rec.first) {
            rec.first = performance.now();
            requestAnimationFrame(function () { rec.firstFrame = performance.now(); });
          }
        },
        _click: function (e) {
          // the part drawn nearest to the click, within 6 px
          var map = this._map, z = map.getZoom(), s = Math.pow(2, z), lv = this._level(z);
          var p0 = map.project(e.latlng, z), cx = p0.x / s, cy = p0.y / s, r = 6 / s, best = r * r, hit = -1;
          var xy = lv.xy, st = lv.start, box = lv.box;
          for (var p = 0; p < st.length - 1; p++) {
            if (box[4 * p + 2] < cx - r || box[4 * p] > cx + r || box[4 * p + 3] < cy - r || box[4 * p + 1] > cy + r) { continue; }
            for (var k = st[p]; k < st[p + 1] - 1; k++) {
              var ax = xy[2 * k], ay = xy[2 * k + 1], bx = xy[2 * k + 2] - ax, by = xy[2 * k + 3] - ay;
              var L2 = bx * bx + by * by, t = L2 ? Math.max(0, Math.min(1, ((cx - ax) * bx + (cy - ay) * by) / L2)) : 0;
              var dx = ax + t * bx - cx, dy = ay + t * by - cy, d2 = dx * dx + dy * dy;
              if (d2 < best) { best = d2; hit = p; }
            }
          }
          if (hit >= 0) {
            // every value was escaped in Python; only our own markup is added here
            var i = this._feature[hit], rows = "", head = "";
            this._d.facts.forEach(function (f) {
              var c = f.codes[i];
              if (c < 0) { return; }
              if (f.label === "Name") { head = f.values[c]; return; }
              rows += "<tr><th>" + f.label + "</th><td>" + f.values[c] + "</td></tr>";
            });
            L.popup({ maxWidth: 340 }).setLatLng(e.latlng)
              .setContent('<div class="corridors-popup"><h3>' + (head || "Line") + "</h3><table>" + rows +
                          "</table><p>" + this._d.note + "</p></div>").openOn(map);
          }
        }
      });
    }
    return new ManyLines(data);
  }

  /* ---- labels: placed by rank, none overlapping another ---- */
  function labels(map, data) {
    // data: [{lat, lon, text (escaped), cls, rank, dz}]; dz: zooms past the first view before it shows
    var pane = map.getPane("corridors-labels") || map.createPane("corridors-labels");
    L.DomUtil.addClass(pane, "leaflet-zoom-hide");
    var items = data.slice().sort(function (a, b) { return a.rank - b.rank; });
    var firstZoom = null;
    items.forEach(function (d) {
      d.el = L.DomUtil.create("div", "corridors-label " + d.cls, pane);
      d.el.innerHTML = d.text;
    });
    function countrySpots(p, w, h) {
      // the label centred on its point, then further out in rings: up to 3 lines up or down
      // and a label's width to either side
      var out = [[p.x - w / 2, p.y - h / 2], [p.x - w / 2, p.y - h * 1.6], [p.x - w / 2, p.y + h * 0.6],
                 [p.x - w * 0.9, p.y - h / 2], [p.x - w * 0.1, p.y - h / 2]];
      [1, 2, 3].forEach(function (ring) {
        for (var dy = -ring; dy <= ring; dy++) {
          for (var dx = -ring; dx <= ring; dx++) {
            if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) {
              out.push([p.x - w / 2 + dx * w / 3, p.y - h / 2 + dy * h * 1.1]);
            }
          }
        }
      });
      return out;
    }
    function place() {
      if (firstZoom === null) { firstZoom = map.getZoom(); }
      var z = map.getZoom(), taken = [], box = map.getContainer().getBoundingClientRect();
      var tl = map.containerPointToLayerPoint([0, 0]), br = map.containerPointToLayerPoint([box.width, box.height]);
      var view = [tl.x, tl.y, br.x, br.y];  // a label lies wholly inside the map
      // the controls, title and attribution take their place first: no label goes under them
      var covers = map.getContainer().querySelectorAll(".leaflet-control, .corridors-title");
      for (var c = 0; c < covers.length; c++) {
        var r = covers[c].getBoundingClientRect();
        if (!r.width) { continue; }
        var a = map.containerPointToLayerPoint([r.left - box.left, r.top - box.top]);
        taken.push([a.x, a.y, a.x + r.width, a.y + r.height]);
      }
      // what a label should not cover: the point markers (boxes) and the corridor lines
      // (points every 6 px along each drawn line, in layer px like the SVG paths' own)
      var marks = [], strokes = [];
      var dots = map.getContainer().querySelectorAll(
        ".leaflet-overlay-pane path.corridors-place, .leaflet-overlay-pane path.corridors-crossing, " +
        ".leaflet-overlay-pane path.corridors-town");
      for (var m = 0; m < dots.length; m++) {
        var q = dots[m].getBoundingClientRect();
        if (!q.width) { continue; }
        var o = map.containerPointToLayerPoint([q.left - box.left, q.top - box.top]);
        marks.push([o.x, o.y, o.x + q.width, o.y + q.height]);
      }
      var drawn = map.getContainer().querySelectorAll(".leaflet-overlay-pane path.corridors-line");
      for (var k = 0; k < drawn.length; k++) {
        var n = drawn[k].getTotalLength();
        for (var s = 0; s <= n; s += 6) {
          var pt = drawn[k].getPointAtLength(s);
          if (pt.x >= view[0] && pt.y >= view[1] && pt.x <= view[2] && pt.y <= view[3]) {
            strokes.push([pt.x - 1.5, pt.y - 1.5, pt.x + 1.5, pt.y + 1.5]);
          }
        }
      }
      function covered(b, boxes) {
        var n = 0;
        for (var j = 0; j < boxes.length; j++) {
          var t = boxes[j];
          if (!(b[2] <= t[0] || t[2] <= b[0] || b[3] <= t[1] || t[3] <= b[1])) { n++; }
        }
        return n;
      }
      function clear(b, boxes, gap) {
        for (var j = 0; j < boxes.length; j++) {
          var t = boxes[j];
          if (!(b[2] + gap <= t[0] || t[2] + gap <= b[0] || b[3] + gap / 2 <= t[1] || t[3] + gap / 2 <= b[1])) {
            return false;
          }
        }
        return true;
      }
      items.forEach(function (d) { d.el.style.display = "block"; d.w = d.el.offsetWidth; d.h = d.el.offsetHeight; });
      items.forEach(function (d) {
        d.el.style.display = "none";
        if (z < firstZoom + d.dz) { return; }
        var p = map.latLngToLayerPoint([d.lat, d.lon]), w = d.w, h = d.h;
        var spots = d.cls.indexOf("corridors-label-country") >= 0 ? countrySpots(p, w, h) :
          [[p.x + 7, p.y - h / 2], [p.x - 7 - w, p.y - h / 2], [p.x - w / 2, p.y - 7 - h], [p.x - w / 2, p.y + 7],
           [p.x + 5, p.y - h - 3], [p.x - 5 - w, p.y + 3], [p.x - 5 - w, p.y - h - 3], [p.x + 5, p.y + 3]];
        // the first spot clear of labels, markers and lines, else of labels and markers; a
        // corridor end (rank 0) else the spot clear of labels over the fewest markers and lines
        var best = null, fallback = null, fewest = Infinity;
        for (var ps = 0; ps < 2 && !best; ps++) {
          for (var i = 0; i < spots.length && !best; i++) {
            var b = [spots[i][0], spots[i][1], spots[i][0] + w, spots[i][1] + h];
            var inView = b[0] >= view[0] && b[1] >= view[1] && b[2] <= view[2] && b[3] <= view[3];
            if (!inView || !clear(b, taken, 2)) { continue; }
            var hits = covered(b, marks) * 10 + covered(b, strokes);
            if (hits === 0 || (ps === 1 && covered(b, marks) === 0)) { best = b; }
            else if (d.rank === 0 && hits < fewest) { fewest = hits; fallback = b; }
          }
        }
        best = best || fallback;
        if (best) {
          taken.push(best);
          L.DomUtil.setPosition(d.el, L.point(best[0], best[1]));
          d.el.style.display = "block";
        }
      });
    }
    map.on("zoomend viewreset moveend", place);
    map.whenReady(place);
    return { place: place };
  }

  function title(map, opts) {
    if (!opts.title && !opts.subtitle) { return; }
    var div = L.DomUtil.create("div", "corridors-title", map.getContainer());
    div.innerHTML = (opts.title ? "<h2>" + opts.title + "</h2>" : "") +
      (opts.subtitle ? "<p>" + opts.subtitle + "</p>" : "");
    L.DomEvent.disableClickPropagation(div);
  }

  var sharedCanvas = null;
  function points(data) {
    // data: {canvas, features: [{geometry: Point, properties: {style, html, tip}}]}
    if (data.canvas && !sharedCanvas) { sharedCanvas = L.canvas({ padding: 0.2 }); }
    return L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        var st = data.canvas ? L.extend({ renderer: sharedCanvas }, f.properties.style) : f.properties.style;
        return L.circleMarker(latlng, st);
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(f.properties.html, { maxWidth: 360, maxHeight: 320, autoPanPaddingTopLeft: [50, 80] });
        layer.bindTooltip(f.properties.tip);
      }
    });
  }

  function areas(data) {
    // data: {attribution, interactive, features: [{geometry, properties: {style, html, tip}}]}; html/tip may be null
    if (data.base) { bordersData = data; }
    return L.geoJSON(data, {
      attribution: data.attribution,
      interactive: data.interactive !== false,
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
      options: { position: "topright" },
      onAdd: function () {
        var div = L.DomUtil.create("details", "corridors-legend");
        div.open = true;
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
      options: { position: "bottomright" },
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
    if (opts.credits) { map.attributionControl.addAttribution(opts.credits); }
    title(map, opts);
    if (opts.labels) { labels(map, opts.labels); }
    fullscreen(map);
    measure(map);
    if (opts.legend) { legend(map, opts.legend); }
    if (opts.minimap) { minimap(map); }
  }

  return {
    geodesicMetres: geodesicMetres, lines: lines, points: points, areas: areas, manyLines: manyLines,
    controls: controls
  };
})();
