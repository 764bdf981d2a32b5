// Draws the dashboard charts from the JSON the page carries; ECharts is served from our own
// static files. Labels arrive already translated; numbers are formatted for China.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var number = new Intl.NumberFormat("zh-CN");
  var money = new Intl.NumberFormat("zh-CN", { style: "currency", currency: "CNY" });
  var palette = ["#b22222", "#d9822b", "#3b7dd8", "#2f9e69", "#8e5cc4", "#6b7785", "#c2a03b", "#3aa7b8"];

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(Object.assign({ color: palette, animation: false }, option));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  draw("chart-types", {
    tooltip: { trigger: "item", valueFormatter: function (v) { return number.format(v); } },
    series: [{ type: "pie", radius: ["35%", "70%"], data: data.types }]
  });
  draw("chart-priority", {
    tooltip: { trigger: "axis" },
    grid: { left: 110, right: 20, top: 10, bottom: 20 },
    xAxis: { type: "value", minInterval: 1 }, // people are counted whole: no 0.2 steps
    yAxis: { type: "category", data: data.priority.map(function (p) { return p.name; }) },
    series: [{ type: "bar", data: data.priority.map(function (p) { return p.value; }) }]
  });
  draw("chart-children", {
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 20, top: 10, bottom: 60 },
    xAxis: { type: "category", data: data.children.names, axisLabel: { rotate: 30 } },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", data: data.children.coverage }]
  });
  var months = data.trend.map(function (t) { return t.month; });
  function series(key) { return data.trend.map(function (t) { return t[key]; }); }
  draw("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 50, top: 30, bottom: 30 },
    xAxis: { type: "category", data: months },
    yAxis: [
      { type: "value", name: data.labels.visits, minInterval: 1 },
      { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }
    ],
    series: [
      { name: data.labels.visits, type: "bar", data: series("visits") },
      { name: data.labels.coverage, type: "line", yAxisIndex: 1, data: series("coverage") }
    ]
  });
  // Money paid per month (bars, right axis), cases paid in the month and open at its end (lines).
  draw("chart-cases-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 70, top: 30, bottom: 30 },
    xAxis: { type: "category", data: months },
    yAxis: [
      { type: "value", minInterval: 1 },
      { type: "value", axisLabel: { formatter: function (v) { return money.format(v); } } }
    ],
    series: [
      { name: data.labels.paid, type: "bar", yAxisIndex: 1, data: data.trend.map(function (t) { return Number(t.paid); }) },
      { name: data.labels.paid_cases, type: "line", data: series("paid_cases") },
      { name: data.labels.cases_open, type: "line", data: series("cases_open") },
      { name: data.labels.appeals_open, type: "line", data: series("appeals_open") }
    ]
  });
}());
