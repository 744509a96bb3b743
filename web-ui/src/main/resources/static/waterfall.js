// Trace waterfall: fetches /api/traces/{id}, flattens the tree once, and draws only the rows in
// view (virtual scrolling), so a 10,000-span trace costs ~60 DOM rows at any time.
// Page state (selected span, collapsed subtrees) lives in the URL: ?span=<id>&collapsed=<id,id>.
(function () {
  'use strict';
  var ROW = 22, OVERSCAN = 12, LABEL_INDENT = 12, MAX_INDENT_DEPTH = 30;
  var CORRELATION_KEYS = ['correlation_id', 'correlation.id', 'http.request.header.x-correlation-id'];
  var head = document.getElementById('trace-head');
  var traceId = head.dataset.traceId;
  var viewport = document.getElementById('viewport');
  var spacer = document.getElementById('spacer');
  var ruler = document.getElementById('ruler');
  var panel = document.getElementById('span-panel');
  var meta = document.getElementById('trace-meta');
  var params = new URLSearchParams(location.search);
  var nodes = [], visible = [], byId = new Map(), collapsed = new Set(), selected = -1;
  var traceDur = 1, pending = false;

  (params.get('collapsed') || '').split(',').forEach(function (id) { if (id) collapsed.add(id); });

  // Same hue as Formats.color in Java: String.hashCode, floorMod 360.
  function color(s) {
    var h = 0;
    for (var i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return 'hsl(' + (((h % 360) + 360) % 360) + ',62%,58%)';
  }
  function trim(v) { return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2); }
  function fmt(ns) {
    if (ns < 1e3) return Math.round(ns) + 'ns';
    if (ns < 1e6) return trim(ns / 1e3) + 'µs';
    if (ns < 1e9) return trim(ns / 1e6) + 'ms';
    var s = Math.floor(ns / 1e9);
    if (s < 60) return trim(ns / 1e9) + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
    return Math.floor(s / 3600) + 'h ' + Math.floor(s % 3600 / 60) + 'm';
  }
  function esc(v) {
    return String(v).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function val(v) { return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v); }

  // Pre-order DFS without recursion (traces can be deep); end = index after the subtree.
  function flatten(trace) {
    var stack = [], minStart = null, i;
    for (i = trace.roots.length - 1; i >= 0; i--) stack.push([trace.roots[i], 0, -1]);
    while (stack.length) {
      var e = stack.pop(), s = e[0], idx = nodes.length, big = BigInt(s.startTimeUnixNano);
      if (minStart === null || big < minStart) minStart = big;
      nodes.push({ s: s, depth: e[1], parent: e[2], big: big, end: idx + 1 });
      byId.set(s.spanId, idx);
      for (i = s.children.length - 1; i >= 0; i--) stack.push([s.children[i], e[1] + 1, idx]);
    }
    var maxEnd = 1;
    for (i = nodes.length - 1; i >= 0; i--) {
      var n = nodes[i];
      n.start = Number(n.big - minStart);
      maxEnd = Math.max(maxEnd, n.start + n.s.durationNanos);
      if (n.parent >= 0 && nodes[n.parent].end < n.end) nodes[n.parent].end = n.end;
    }
    traceDur = maxEnd;
  }

  function computeVisible() {
    visible = [];
    for (var i = 0; i < nodes.length;) {
      visible.push(i);
      i = collapsed.has(nodes[i].s.spanId) ? nodes[i].end : i + 1;
    }
    spacer.style.height = visible.length * ROW + 'px';
  }

  function rowHtml(i, k) {
    var n = nodes[i], s = n.s, hasKids = n.end > i + 1;
    var left = n.start / traceDur * 100, width = s.durationNanos / traceDur * 100;
    var cls = 'row' + (s.critical ? ' crit' : '') + (s.status && s.status.code === 'ERROR' ? ' err' : '')
        + (i === selected ? ' selected' : '');
    var flags = (s.orphan ? '<span class="flag" title="orphan: parent ' + esc(s.parentSpanId)
        + ' not received">⚠</span>' : '')
        + (s.clockSkewNanos ? '<span class="flag" title="clock skew: shifted by '
        + esc(fmt(Math.abs(s.clockSkewNanos))) + ' to fit its parent">↔</span>' : '');
    var durPos = left + width < 80 ? 'left:calc(' + (left + width) + '% + 4px)'
        : 'right:calc(' + (100 - left) + '% + 4px)';
    return '<div class="' + cls + '" data-idx="' + i + '" data-span-id="' + esc(s.spanId)
        + '" style="top:' + k * ROW + 'px;--svc:' + color(s.service) + '">'
        + '<div class="label" style="padding-left:' + Math.min(n.depth, MAX_INDENT_DEPTH) * LABEL_INDENT
        + 'px"><span class="tog">' + (hasKids ? (collapsed.has(s.spanId) ? '▸' : '▾') : '') + '</span>'
        + '<span class="sname">' + esc(s.service) + '</span><span class="name">' + esc(s.name)
        + '</span>' + flags + '</div><div class="track"><div class="bar" style="left:' + left
        + '%;width:' + width + '%"></div><span class="bdur" style="' + durPos + '">'
        + esc(fmt(s.durationNanos)) + '</span></div></div>';
  }

  function render() {
    pending = false;
    var top = viewport.scrollTop, h = viewport.clientHeight || 600;
    var first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    var last = Math.min(visible.length, Math.ceil((top + h) / ROW) + OVERSCAN);
    var html = [];
    for (var k = first; k < last; k++) html.push(rowHtml(visible[k], k));
    spacer.innerHTML = html.join('');
  }
  function schedule() { if (!pending) { pending = true; requestAnimationFrame(render); } }

  function drawRuler() {
    var html = '';
    for (var t = 0; t < 5; t++) {
      html += '<div class="tick" style="left:' + t * 20 + '%">' + esc(fmt(traceDur * t / 5)) + '</div>';
    }
    ruler.innerHTML = html;
  }

  function saveUrl() {
    var p = new URLSearchParams(location.search);
    if (selected >= 0) p.set('span', nodes[selected].s.spanId); else p.delete('span');
    if (collapsed.size && collapsed.size <= 100) p.set('collapsed', Array.from(collapsed).join(','));
    else p.delete('collapsed');
    var q = p.toString();
    history.replaceState(null, '', location.pathname + (q ? '?' + q.replace(/%2C/g, ',') : ''));
  }

  function toggle(i) {
    var id = nodes[i].s.spanId;
    if (collapsed.has(id)) collapsed.delete(id); else collapsed.add(id);
    computeVisible(); render(); saveUrl();
  }

  function table(obj) {
    var keys = Object.keys(obj || {});
    if (!keys.length) return '<p class="muted small">none</p>';
    return '<table>' + keys.map(function (k) {
      return '<tr><td>' + esc(k) + '</td><td>' + esc(val(obj[k])) + '</td></tr>';
    }).join('') + '</table>';
  }

  function correlationIds(s) {
    var out = [];
    [s.attributes, s.resource].forEach(function (m) {
      CORRELATION_KEYS.forEach(function (k) {
        var v = m && m[k];
        if (Array.isArray(v)) v = v[0];
        if (v !== undefined && v !== null && v !== '' && out.indexOf(String(v)) < 0) out.push(String(v));
      });
    });
    return out;
  }

  function showPanel(i) {
    var s = nodes[i].s, n = nodes[i];
    var rows = [
      ['service', '<span class="svc" style="--svc:' + color(s.service) + '">' + esc(s.service) + '</span>'],
      ['kind', esc(s.kind)], ['span ID', '<code>' + esc(s.spanId) + '</code>'],
      ['parent', s.parentSpanId ? (byId.has(s.parentSpanId)
          ? '<a href="#" data-goto="' + esc(s.parentSpanId) + '"><code>' + esc(s.parentSpanId) + '</code></a>'
          : '<code>' + esc(s.parentSpanId) + '</code> (not received: orphan)') : 'none (root)'],
      ['starts at', '+' + esc(fmt(n.start))], ['duration', esc(fmt(s.durationNanos))],
      ['self time', esc(fmt(s.selfNanos || 0))],
      ['status', '<span class="status-' + esc(s.status.code) + '">' + esc(s.status.code) + '</span>'
          + (s.status.message ? ' ' + esc(s.status.message) : '')]
    ];
    if (s.critical) rows.push(['critical path', esc(fmt(s.criticalNanos)) + ' of this span is on it']);
    if (s.clockSkewNanos) rows.push(['clock skew', 'shifted by ' + esc(fmt(Math.abs(s.clockSkewNanos)))
        + (s.clockSkewNanos > 0 ? ' later' : ' earlier') + ' to fit its parent']);
    var corr = correlationIds(s);
    if (corr.length) rows.push(['correlation ID', corr.map(function (c) {
      return '<a class="span-correlation" href="/ui/logs?correlationId=' + encodeURIComponent(c)
          + '&amp;lookback=all">' + esc(c) + '</a>';
    }).join(' ')]);
    var events = (s.events || []).map(function (e) {
      var off = Number(BigInt(e.timeUnixNano) - n.big);
      return '<tr><td>+' + esc(fmt(Math.max(0, off))) + '</td><td><b>' + esc(e.name) + '</b>'
          + table(e.attributes) + '</td></tr>';
    }).join('');
    var links = (s.links || []).map(function (l) {
      return '<tr><td><a href="/ui/traces/' + esc(l.traceId) + '?span=' + esc(l.spanId) + '"><code>'
          + esc(l.traceId.substring(0, 8)) + '…/' + esc(l.spanId) + '</code></a></td><td>'
          + table(l.attributes) + '</td></tr>';
    }).join('');
    panel.innerHTML = '<button type="button" class="close" id="panel-close" title="close">✕</button>'
        + '<h3 id="span-name">' + esc(s.name) + '</h3><table>' + rows.map(function (r) {
          return '<tr><td>' + r[0] + '</td><td>' + r[1] + '</td></tr>';
        }).join('') + '</table>'
        + '<h4>Logs</h4><div id="span-logs" class="muted small">loading…</div>'
        + '<h4>Attributes</h4>' + table(s.attributes)
        + '<h4>Events</h4>' + (events ? '<table>' + events + '</table>' : '<p class="muted small">none</p>')
        + '<h4>Links</h4>' + (links ? '<table>' + links + '</table>' : '<p class="muted small">none</p>')
        + '<h4>Resource</h4>' + table(s.resource)
        + '<h4>Scope</h4>' + table(s.scope);
    panel.hidden = false;
    var spanId = s.spanId;
    fetch('/ui/traces/' + traceId + '/logs?spanId=' + spanId).then(function (r) { return r.text(); })
        .then(function (html) {
          var box = document.getElementById('span-logs');
          if (box && selected >= 0 && nodes[selected].s.spanId === spanId) {
            box.className = '';
            box.innerHTML = html;
          }
        });
  }

  function select(i, scroll) {
    selected = i;
    if (i < 0) { panel.hidden = true; render(); saveUrl(); return; }
    // Reveal the span if an ancestor is collapsed.
    for (var p = nodes[i].parent; p >= 0; p = nodes[p].parent) collapsed.delete(nodes[p].s.spanId);
    computeVisible();
    if (scroll) {
      var k = visible.indexOf(i);
      viewport.scrollTop = Math.max(0, k * ROW - viewport.clientHeight / 2);
    }
    render(); showPanel(i); saveUrl();
  }

  spacer.addEventListener('click', function (ev) {
    var row = ev.target.closest('.row');
    if (!row) return;
    var i = Number(row.dataset.idx);
    if (ev.target.classList.contains('tog') && nodes[i].end > i + 1) toggle(i); else select(i, false);
  });
  panel.addEventListener('click', function (ev) {
    if (ev.target.id === 'panel-close') { select(-1); return; }
    var a = ev.target.closest('[data-goto]');
    if (a) { ev.preventDefault(); select(byId.get(a.dataset.goto), true); }
  });
  document.getElementById('expand-all').addEventListener('click', function () {
    collapsed.clear(); computeVisible(); render(); saveUrl();
  });
  document.getElementById('collapse-all').addEventListener('click', function () {
    collapsed.clear();
    nodes.forEach(function (n, i) { if (n.depth === 0 && n.end > i + 1) collapsed.add(n.s.spanId); });
    computeVisible(); render(); saveUrl();
  });
  viewport.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);

  var t0 = performance.now();
  fetch('/api/traces/' + traceId).then(function (r) {
    if (!r.ok) {
      return r.json().catch(function () { return {}; }).then(function (e) {
        throw new Error(e.error || ('HTTP ' + r.status));
      });
    }
    return r.json();
  }).then(function (trace) {
    var t1 = performance.now();
    flatten(trace);
    computeVisible();
    drawRuler();
    var want = params.get('span');
    if (want && byId.has(want)) select(byId.get(want), true); else render();
    var t2 = performance.now();
    window.sextantTiming = { spans: nodes.length, fetchMs: t1 - t0, renderMs: t2 - t1, totalMs: t2 - t0 };
    // A trace over the server's read limit comes cut: say so, or its shape would mislead.
    meta.innerHTML = (trace.truncated ? '<span class="badge warn" id="trace-truncated" title="'
        + 'limits.maxSpansPerTraceRead: more spans are stored than one read returns">'
        + 'trace truncated at ' + esc(trace.maxSpans) + ' spans</span> · ' : '')
        + esc(trace.spanCount) + ' spans · ' + esc(fmt(trace.durationNanos)) + ' · '
        + (trace.errorCount ? '<span class="badge err">' + esc(trace.errorCount) + ' error(s)</span> · ' : '')
        + trace.services.map(function (s) {
          return '<span class="svc" style="--svc:' + color(s) + '">' + esc(s) + '</span>';
        }).join(' ')
        + ' · <span id="render-time" class="small">loaded in ' + (t1 - t0).toFixed(0)
        + ' ms, drawn in ' + (t2 - t1).toFixed(0) + ' ms</span>';
    document.getElementById('waterfall').dataset.rendered = 'true';
  }).catch(function (e) {
    meta.innerHTML = '<span class="error" id="trace-error">' + esc(e.message) + '</span>';
    document.getElementById('waterfall').dataset.rendered = 'error';
  });
})();
