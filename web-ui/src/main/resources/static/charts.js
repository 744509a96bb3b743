// Draws every [data-chart] element with uPlot. The attribute holds JSON rendered by the server:
// {x: [unix seconds], series: [{label, values}], unit}; class "spark" makes a bare sparkline.
(function () {
  'use strict';
  // Series i gets hue i × the golden angle: neighbours always differ clearly.
  function color(i) { return 'hsl(' + Math.round((210 + i * 137.508) % 360) + ',65%,55%)'; }
  function trim(v) { return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2); }
  function fmt(v, unit) {
    if (v === null || v === undefined) return '–';
    var a = Math.abs(v);
    if (unit === 'seconds') {
      if (a === 0) return '0';
      if (a < 1e-3) return trim(v * 1e6) + 'µs';
      if (a < 1) return trim(v * 1e3) + 'ms';
      return trim(v) + 's';
    }
    if (unit === 'ratio') return trim(v * 100) + '%';
    var suffix = unit === 'requests/s' ? '/s' : '';
    if (a >= 1e9) return trim(v / 1e9) + 'G' + suffix;
    if (a >= 1e6) return trim(v / 1e6) + 'M' + suffix;
    if (a >= 1e3) return trim(v / 1e3) + 'k' + suffix;
    if (a === 0) return '0' + suffix;
    return (a < 0.01 ? v.toPrecision(2) : trim(v)) + suffix;
  }
  window.sextantFormat = fmt;

  function draw(el) {
    var spec = JSON.parse(el.dataset.chart);
    var spark = el.classList.contains('spark');
    var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
    var hasPoint = spec.series.some(function (s) {
      return s.values.some(function (v) { return v !== null; });
    });
    if (!hasPoint) {
      el.textContent = spark ? 'no data' : 'no data points in this range';
      el.classList.add('muted', 'small', 'empty');
      return;
    }
    var series = [{}].concat(spec.series.map(function (s, i) {
      var c = el.dataset.color || color(i);
      var label = s.label === '{}' ? (el.dataset.title || 'value') : s.label;
      return { label: label, stroke: c, width: spark ? 1.5 : 1.25, spanGaps: false,
        fill: spec.series.length === 1 ? 'rgba(127,180,255,0.10)' : undefined,
        value: function (u, v) { return fmt(v, spec.unit); }, points: { show: false } };
    }));
    var width = el.clientWidth || 600;
    var opts = spark ? {
      width: width, height: 36, pxAlign: false, cursor: { show: false }, legend: { show: false },
      select: { show: false }, scales: { x: { time: true } },
      axes: [{ show: false }, { show: false }], series: series
    } : {
      width: width, height: Number(el.dataset.height || 280), series: series,
      scales: { x: { time: true }, y: el.dataset.zero ? { range: function (u, min, max) {
        // Signals are never negative; a flat zero line still gets a readable axis.
        return [0, max > 0 ? max * 1.1 : (spec.unit === 'ratio' ? 0.01 : 1)];
      } } : {} },
      legend: { show: spec.series.length <= 20 || el.id === 'graph' },
      axes: [{ stroke: '#8a93a3', grid: { stroke: 'rgba(138,147,163,0.15)' } },
        { stroke: '#8a93a3', size: 64, grid: { stroke: 'rgba(138,147,163,0.15)' },
          values: function (u, vals) { return vals.map(function (v) { return fmt(v, spec.unit); }); } }]
    };
    el.uplot = new uPlot(opts, data, el);
  }

  document.querySelectorAll('[data-chart]').forEach(draw);
  window.addEventListener('resize', function () {
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      if (el.uplot) el.uplot.setSize({ width: el.clientWidth, height: el.uplot.height });
    });
  });
})();
