/* The statistics dashboard: draw every [data-chart] element from its json_script data with ECharts.
 * The table next to each chart is the accessible truth; the chart is decoration (aria-hidden).
 * Data: {type: "bar"|"hbar"|"pie", stack: bool, categories: [...], series: [{name, data, stack}]}. */
(function () {
  "use strict";
  if (!window.echarts) return;

  function pairs(spec) {
    var values = (spec.series[0] || { data: [] }).data;
    return spec.categories.map(function (name, i) { return { name: name, value: values[i] || 0 }; });
  }

  function option(spec) {
    var base = { tooltip: { trigger: spec.type === "pie" ? "item" : "axis" }, animation: false };
    if (spec.series.length > 1 || spec.type === "pie") base.legend = { type: "scroll", top: 0 };
    if (spec.type === "pie") {
      base.series = [{ type: "pie", radius: ["35%", "65%"], top: 24, name: spec.series[0].name, data: pairs(spec) }];
      return base;
    }
    var horizontal = spec.type === "hbar";
    var category = { type: "category", data: spec.categories, axisLabel: { interval: 0, hideOverlap: true } };
    var value = { type: "value", minInterval: 1 };
    base.grid = { left: 8, right: 16, top: base.legend ? 32 : 12, bottom: 8, containLabel: true };
    base.xAxis = horizontal ? value : category;
    base.yAxis = horizontal ? Object.assign(category, { inverse: true }) : value;
    base.series = spec.series.map(function (s) {
      return { type: "bar", name: s.name, data: s.data, stack: spec.stack ? (s.stack || "total") : undefined };
    });
    return base;
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.source);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    if (!spec || !spec.series || !spec.categories || !spec.categories.length) {
      el.hidden = true;
      return;
    }
    if (spec.type === "hbar") el.style.height = Math.max(280, spec.categories.length * 26 + 60) + "px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(spec));
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
