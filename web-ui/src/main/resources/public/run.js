'use strict';
(() => {
  const { api, el, fmt, numCell, statusBadge, time } = Assay;
  const id = Assay.param('id');
  const state = { run: null, keys: [], series: [], charts: [] };

  function kv(tableId, map) {
    document.getElementById(tableId).replaceChildren(el('tbody', {},
      Object.entries(map).map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v)))));
  }

  function renderRun(run) {
    document.getElementById('title').textContent = 'Run ' + (run.runName || run.runId);
    document.getElementById('crumbs').replaceChildren('› ', el('a', { href: '/experiment.html?name=' + encodeURIComponent(run.experiment) }, run.experiment));
    const duration = run.endTimeMillis ? ((run.endTimeMillis - run.startTimeMillis) / 1000).toFixed(1) + ' s' : 'running';
    document.getElementById('summary').replaceChildren(statusBadge(run.status),
      ` id ${run.runId} · trial ${run.trialIndex} · seed ${run.seed} · started ${time(run.startTimeMillis)} UTC · ${duration}`);
    document.getElementById('error').textContent = run.errorMessage || '';
    kv('params', run.params); kv('tags', run.tags);
    document.getElementById('metrics').replaceChildren(
      el('thead', {}, el('tr', {}, ['metric', 'points', 'last', 'min', 'max', 'NaN/Inf'].map(h => el('th', {}, h)))),
      el('tbody', {}, Object.values(run.metrics).map(m => el('tr', {}, el('td', {}, m.key), numCell(m.count), numCell(m.last),
        numCell(m.min), numCell(m.max), numCell(m.nonFiniteCount)))));
    document.getElementById('artifacts').replaceChildren(el('tbody', {},
      run.artifacts.map(a => el('tr', {}, el('td', {}, a.path), el('td', { class: 'num' }, fmt(a.sizeBytes) + ' B')))));
    let provenance = run.provenanceJson || '';
    try { provenance = JSON.stringify(JSON.parse(provenance), null, 2); } catch (e) { /* shown as stored */ }
    document.getElementById('provenance').textContent = provenance;
    document.getElementById('config').textContent = run.configYaml || '';
  }

  function options() {
    const smoothing = +document.getElementById('smoothing').value;
    document.getElementById('smoothing-value').textContent = smoothing.toFixed(2);
    return { x: document.getElementById('x').value, log: document.getElementById('log').checked, smoothing };
  }

  function renderCharts() {
    const groups = new Map();
    state.series.forEach(s => { const b = AssayCharts.baseName(s.key); groups.set(b, (groups.get(b) || []).concat([s])); });
    state.charts.forEach(c => c.destroy());
    const box = document.getElementById('charts'), opts = options();
    box.replaceChildren();
    state.charts = [...groups.entries()].map(([base, list]) => {
      const note = list.some(s => s.sampled) ? ` (down-sampled to ≤ ${fmt(list[0].value.length)} points; min/max kept)` : '';
      const div = el('div', { class: 'chart', 'data-metric': base }, el('h3', {}, base + note));
      box.append(div);
      return AssayCharts.line(div, list.map(s => ({ label: s.key, data: s })), opts);
    });
  }

  async function load() {
    try {
      const body = await api('/api/runs/' + encodeURIComponent(id));
      state.run = body.run; state.keys = body.metricKeys;
      renderRun(body.run);
      if (state.keys.length) {
        const series = await api('/api/series', { run: body.run.runId, metric: state.keys.join(','), points: 2000 });
        state.series = series.series;
      }
      renderCharts();
      document.getElementById('live').textContent = body.run.status === 'running' ? 'live: refreshing every 2 s' : '';
    } catch (e) { Assay.showError(document.getElementById('summary'), e); }
  }

  ['x', 'log', 'smoothing'].forEach(k => document.getElementById(k).addEventListener('input', renderCharts));
  load().then(() => Assay.poll(load, 2000, () => state.run && state.run.status === 'running'));
})();
