// Latency sparklines on the services page: one small uPlot per service from data-series
// ([[unix seconds...], [milliseconds...]]) rendered by the server.
(function () {
  'use strict';
  document.querySelectorAll('.spark').forEach(function (el) {
    var data = JSON.parse(el.dataset.series);
    if (data[0].length < 2) {
      el.textContent = data[0].length ? 'one trace so far' : 'no traces';
      el.className += ' muted small';
      return;
    }
    new uPlot({
      width: 220, height: 40, pxAlign: false, cursor: { show: false }, legend: { show: false },
      select: { show: false }, scales: { x: { time: true } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: el.dataset.color, width: 1.5, fill: 'rgba(127,180,255,0.12)',
        points: { show: data[0].length < 3 } }]
    }, data, el);
  });
})();
