// Pick a home on the map (admin › 住址定位): the grid's boundary (or the user's areas) from the
// bureau's own GeoJSON; a click writes the point's lon/lat into the form's fields.
(function () {
  "use strict";
  var node = document.getElementById("home-picker");
  if (!node || typeof echarts === "undefined") { return; }
  var longitude = document.getElementById("id_longitude");
  var latitude = document.getElementById("id_latitude");
  var chart = echarts.init(node, null, { renderer: "canvas" });
  window.homePicker = chart;

  function point() {
    var lon = parseFloat(longitude && longitude.value), lat = parseFloat(latitude && latitude.value);
    return isNaN(lon) || isNaN(lat) ? [] : [[lon, lat]];
  }
  function mark() {
    chart.setOption({ series: [{ type: "scatter", coordinateSystem: "geo", symbolSize: 12, itemStyle: { color: "#b22222" }, data: point() }] });
  }

  fetch(node.getAttribute("data-areas-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { type: "FeatureCollection", features: [] }; })
    .then(function (areas) {
      echarts.registerMap("picker", areas);
      chart.setOption({
        animation: false,
        geo: { map: "picker", roam: true, label: { show: true }, itemStyle: { areaColor: "#eef2f7", borderColor: "#555" } },
        series: []
      });
      mark();
      chart.getZr().on("click", function (event) {
        var at = chart.convertFromPixel({ geoIndex: 0 }, [event.offsetX, event.offsetY]);
        if (!at || !longitude || !latitude) { return; }
        longitude.value = at[0].toFixed(6);
        latitude.value = at[1].toFixed(6);
        mark();
      });
      [longitude, latitude].forEach(function (field) { if (field) { field.addEventListener("change", mark); } });
      node.setAttribute("data-ready", "1");
    });
}());
