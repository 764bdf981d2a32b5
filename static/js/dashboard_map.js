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
      geo: { map: "board", roam: true, label: { show: names.length <= 40 }, itemStyle: { borderColor: "#555" } },
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
  }

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
    points = answers[1].features;
    echarts.registerMap("board", areas);
    draw();
    node.setAttribute("data-ready", "1");
    if (select) { select.addEventListener("change", draw); }
  });
}());
