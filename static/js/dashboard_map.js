// The dashboard map: the child areas drawn from the bureau's own boundaries (GET /api/map/areas/,
// scoped like the page), coloured by the figure chosen in #map-figure, with a legend, the
// figures on hover and a click that drills down like the table. At grid level the homes are
// points coloured by visit status; a click opens the person. No map service is needed.
(function () {
  "use strict";
  var node = document.getElementById("chart-map");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(document.getElementById("chart-data").textContent).map;
  var select = document.getElementById("map-figure");
  var number = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 1 });
  var STATUS_COLORS = { overdue: "#b22222", due: "#d9822b", ok: "#2f9e69" };
  var WORSE = ["#fff5eb", "#fdbe85", "#fd8d3c", "#d94701", "#8c2d04"]; // more is worse
  var BETTER = ["#f7fcf5", "#c7e9c0", "#74c476", "#31a354", "#006d2c"]; // more is better
  var chart = echarts.init(node, null, { renderer: "canvas" });
  window.dashboardMap = chart; // read by the browser test
  var urls = {};
  var points = [];

  function json(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; });
  }

  function figure() {
    var key = select ? select.value : data.figures[0].key;
    return data.figures.filter(function (f) { return f.key === key; })[0] || data.figures[0];
  }

  function tooltip(params) {
    if (params.seriesType === "scatter") {
      return params.data.name + "<br>" + params.data.status_label;
    }
    var values = data.values[params.name] || {};
    return [params.name].concat(data.figures.map(function (f) {
      var value = values[f.key];
      var shown = value === undefined ? "—" : number.format(value) + (/rate$/.test(f.key) ? "%" : "");
      return f.label + "：" + shown;
    })).join("<br>");
  }

  function draw() {
    var chosen = figure();
    var names = Object.keys(urls);
    var values = names.map(function (name) { return (data.values[name] || {})[chosen.key] || 0; });
    var max = Math.max.apply(null, values.concat([1]));
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: tooltip },
      // At grid level the grid is a pale ground for its homes; above it the areas carry the figure.
      visualMap: {
        type: "continuous", min: 0, max: max, seriesIndex: 0, calculable: false, left: 10, bottom: 10,
        show: !data.homes_url, text: [data.labels.high, data.labels.low],
        inRange: { color: data.homes_url ? ["#eef2f7", "#eef2f7"] : (chosen.better_high ? BETTER : WORSE) }
      },
      geo: {
        map: "board", roam: true, label: { show: names.length <= 40 }, projection: data.tile_url ? MERCATOR : undefined,
        itemStyle: { borderColor: "#555", opacity: data.tile_url ? 0.75 : 1 }
      },
      series: [
        {
          type: "map", geoIndex: 0, name: chosen.label,
          data: names.map(function (name, i) { return { name: name, value: values[i] }; })
        },
        {
          type: "scatter", coordinateSystem: "geo", symbolSize: 9, z: 3,
          data: points.map(function (p) {
            return {
              name: p.properties.name, value: p.geometry.coordinates, url: p.properties.url,
              status_label: p.properties.status_label,
              itemStyle: { color: STATUS_COLORS[p.properties.status], borderColor: "#fff" }
            };
          })
        }
      ]
    }, true);
    tiles();
  }

  // Optional intranet tiles (MAP_TILE_URL with {z}/{x}/{y}) drawn under the boundaries: the map
  // then uses the Web Mercator projection of the tiles, and the tiles follow every pan and zoom.
  var MERCATOR = {
    project: function (p) { return [p[0] / 180 * Math.PI, -Math.log(Math.tan(Math.PI / 4 + p[1] * Math.PI / 360))]; },
    unproject: function (p) { return [p[0] * 180 / Math.PI, (2 * Math.atan(Math.exp(-p[1])) - Math.PI / 2) * 180 / Math.PI]; }
  };
  function tileX(lon, z) { return Math.floor((lon + 180) / 360 * Math.pow(2, z)); }
  function tileY(lat, z) {
    var rad = lat * Math.PI / 180;
    return Math.floor((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2 * Math.pow(2, z));
  }
  function tileLon(x, z) { return x / Math.pow(2, z) * 360 - 180; }
  function tileLat(y, z) {
    var n = Math.PI - 2 * Math.PI * y / Math.pow(2, z);
    return 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
  }
  var reference = null; // a lon/lat of the drawn areas: the anchor of the pixel scale below

  function tiles() {
    if (!data.tile_url || !reference) { return; }
    // Pixels per degree of longitude and per projected unit of latitude, measured from the map
    // itself (convertToPixel takes lon/lat), then the view's corners read back from them.
    var near = chart.convertToPixel({ geoIndex: 0 }, reference);
    var far = chart.convertToPixel({ geoIndex: 0 }, [reference[0] + 0.1, reference[1] + 0.1]);
    var perLon = (far[0] - near[0]) / 0.1;
    var baseY = MERCATOR.project(reference)[1];
    var perY = (far[1] - near[1]) / (MERCATOR.project([0, reference[1] + 0.1])[1] - baseY);
    if (!(perLon > 0) || !perY) { return; }
    function lonAt(px) { return reference[0] + (px - near[0]) / perLon; }
    function latAt(py) { return MERCATOR.unproject([0, baseY + (py - near[1]) / perY])[1]; }
    var width = chart.getWidth(), height = chart.getHeight();
    var z = Math.max(3, Math.min(18, Math.round(Math.log(perLon * 360 / 256) / Math.LN2)));
    var images = [];
    for (var x = tileX(lonAt(0), z); x <= tileX(lonAt(width), z) && images.length < 100; x++) {
      for (var y = tileY(latAt(0), z); y <= tileY(latAt(height), z) && images.length < 100; y++) {
        var corner = chart.convertToPixel({ geoIndex: 0 }, [tileLon(x, z), tileLat(y, z)]);
        var opposite = chart.convertToPixel({ geoIndex: 0 }, [tileLon(x + 1, z), tileLat(y + 1, z)]);
        images.push({
          type: "image", silent: true, z: -10,
          style: {
            image: data.tile_url.replace("{z}", z).replace("{x}", x).replace("{y}", y),
            x: corner[0], y: corner[1], width: opposite[0] - corner[0], height: opposite[1] - corner[1]
          }
        });
      }
    }
    chart.setOption({ graphic: [{ id: "tiles", type: "group", silent: true, z: -10, children: images }] }, { replaceMerge: ["graphic"] });
  }
  chart.on("georoam", function () { window.requestAnimationFrame(tiles); });

  chart.on("click", function (params) {
    var url = params.seriesType === "scatter" ? params.data.url : urls[params.name];
    if (url) { window.location.href = url; }
  });
  window.addEventListener("resize", function () { chart.resize(); });

  var homes = data.homes_url ? json(data.homes_url) : Promise.resolve({ features: [] });
  Promise.all([json(data.areas_url), homes]).then(function (answers) {
    var areas = answers[0];
    if (!areas.features.length) {
      node.classList.add("empty");
      node.textContent = data.labels.no_boundaries;
      return;
    }
    areas.features.forEach(function (f) { urls[f.properties.name] = f.properties.url; });
    var ring = areas.features[0].geometry.coordinates[0];
    reference = areas.features[0].geometry.type === "MultiPolygon" ? ring[0][0] : ring[0];
    points = answers[1].features;
    echarts.registerMap("board", areas);
    draw();
    node.setAttribute("data-ready", "1");
    if (select) { select.addEventListener("change", draw); }
  });
}());
