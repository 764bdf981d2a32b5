// The phone's route map: the grid's boundary from the bureau's own data, today's stops numbered
// in visiting order and joined by a line. "From my position" asks the phone once and reloads
// the page with ?from=lon,lat, so the route starts where the worker stands.
(function () {
  "use strict";
  var node = document.getElementById("route-map");
  var data = JSON.parse(document.getElementById("route-data").textContent);
  var link = document.getElementById("route-from-here");
  if (link && navigator.geolocation) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      navigator.geolocation.getCurrentPosition(function (position) {
        var url = new URL(window.location.href);
        url.searchParams.set("from", position.coords.longitude.toFixed(6) + "," + position.coords.latitude.toFixed(6));
        window.location.href = url.toString();
      });
    });
  }
  if (!node || typeof echarts === "undefined") { return; }
  var COLORS = { overdue: "#b22222", due: "#d9822b", ok: "#2f9e69" };
  var chart = echarts.init(node, null, { renderer: "canvas" });
  window.routeMap = chart;
  fetch(data.areas_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { features: [] }; })
    .then(function (areas) {
      if (!areas.features.length) { areas = { type: "FeatureCollection", features: [] }; }
      echarts.registerMap("route", areas);
      chart.setOption({
        animation: false,
        geo: { map: "route", roam: true, itemStyle: { areaColor: "#eef2f7", borderColor: "#555" } },
        series: [
          {
            type: "lines", coordinateSystem: "geo", polyline: true, z: 2,
            lineStyle: { color: "#3b7dd8", width: 2 },
            data: data.stops.length > 1 ? [{ coords: data.stops.map(function (s) { return s.value; }) }] : []
          },
          {
            type: "scatter", coordinateSystem: "geo", symbolSize: 18, z: 3,
            label: { show: true, formatter: function (p) { return String(p.dataIndex + 1); }, color: "#fff" },
            data: data.stops.map(function (s) {
              return { name: s.name, value: s.value, itemStyle: { color: COLORS[s.status] } };
            })
          }
        ]
      });
      node.setAttribute("data-ready", "1");
    });
  window.addEventListener("resize", function () { chart.resize(); });
}());
