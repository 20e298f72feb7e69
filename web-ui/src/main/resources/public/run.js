'use strict';
(() => {
  const { api, el, fmt, numCell, statusBadge, time } = Assay;
  const id = Assay.requireParam('id', '/run.html?id=RUN_ID', document.getElementById('summary'));
  const state = { run: null, keys: [], series: [], charts: [], views: new Map() };

  /** A key-value table; values as the runs table writes them (paramText: 1e12 there, 1.0E12 here), whole on hover. */
  function kv(tableId, map, text = v => v) {
    const rows = Object.entries(map).map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', { title: v }, text(v))));
    document.getElementById(tableId).replaceChildren(el('tbody', {}, rows.length ? rows : none(2)));
  }

  /** The row of an empty table (an empty section showed only its heading). */
  function none(columns) { return el('tr', {}, el('td', { class: 'muted', colspan: columns }, 'none')); }

  /** Points a series is down-sampled to (min and max of each bucket kept), per chart request. */
  const MAX_POINTS = 2000;

  function renderRun(run, stale, supersededBy, missingArtifacts) {
    document.getElementById('title').textContent = 'Run ' + (run.runName || run.runId);
    document.title = `${Assay.runLabel(run)} · ${run.experiment} · Assay`;
    document.getElementById('crumbs').replaceChildren('› ', el('a', { href: '/experiment.html?name=' + encodeURIComponent(run.experiment) }, run.experiment));
    // a run without a heartbeat is not running any more, whatever its status says: no "running" beside "no heartbeat"
    const duration = run.durationMillis != null ? (run.durationMillis / 1000).toFixed(1) + ' s'
      : stale ? 'stopped: no heartbeat' : 'running';
    // as in the experiment's runs table: the page of a superseded run said nothing of it
    const superseded = supersededBy ? [' ', el('span', { class: 'status status-superseded' }, 'superseded'),
      ' its trial counts by run ', el('a', { href: '/run.html?id=' + supersededBy }, supersededBy.slice(0, 8)),
      ' in the groups, the scatter and exports ·'] : [];
    document.getElementById('summary').replaceChildren(statusBadge(run.status, stale), ...superseded,
      ` id ${run.runId} · trial ${run.trialIndex} · seed ${run.seed} · started ${time(run.startTimeMillis)} UTC · ${duration}`);
    document.getElementById('error').textContent = run.errorMessage || '';
    kv('params', run.params, Assay.paramText); kv('tags', run.tags);
    document.getElementById('metrics').replaceChildren(
      el('thead', {}, el('tr', {}, ['metric', 'points', 'last', 'min', 'max', 'NaN/Inf'].map(h => el('th', {}, h)))),
      el('tbody', {}, Object.keys(run.metrics).length ? Object.values(run.metrics).map(m => el('tr', {}, el('td', {}, m.key),
        numCell(m.count), numCell(m.last), numCell(m.min), numCell(m.max), numCell(m.nonFiniteCount))) : none(6)));
    const missing = new Set(missingArtifacts || []);
    const signature = run.artifacts.map(a => a.path + ':' + a.sizeBytes + ':' + missing.has(a.path)).join('|');
    if (signature !== state.artifactSignature) { state.artifactSignature = signature; renderArtifacts(run, missing); }
    let provenance = run.provenanceJson || '';
    try { provenance = JSON.stringify(JSON.parse(provenance), null, 2); } catch (e) { /* shown as stored */ }
    document.getElementById('provenance').textContent = provenance;
    document.getElementById('config').textContent = run.configYaml || '';
  }

  function artifactUrl(run, path) {
    return '/api/runs/' + encodeURIComponent(run.runId) + '/artifacts/' + path.split('/').map(encodeURIComponent).join('/');
  }

  const MAX_JSON_BYTES = 4 * 1024 * 1024;

  // PNG/JPEG/GIF as images, JSON matrices (attention weights) as heatmaps, anything else as a download link;
  // each once (a table listed them all again above), its caption the download link and size.
  // a file the store lists but the artifact directory no longer holds: named, without a link that would 404
  function renderArtifacts(run, missing) {
    const box = document.getElementById('artifact-view');
    box.replaceChildren();
    if (!run.artifacts.length) box.append(el('div', { class: 'muted' }, 'none'));
    run.artifacts.forEach(a => {
      const url = artifactUrl(run, a.path), lower = a.path.toLowerCase();
      if (missing.has(a.path)) {
        box.append(el('div', { class: 'artifact-link muted', 'data-artifact': a.path, 'data-missing': '' },
          a.path + ' (' + Assay.int(a.sizeBytes) + ' B): missing, deleted or moved since the run recorded it'));
      } else if (/\.(png|jpe?g|gif)$/.test(lower)) {
        box.append(el('figure', { class: 'artifact', 'data-artifact': a.path },
          el('a', { href: url }, el('img', { src: url, alt: a.path })), caption(url, a)));
      } else if (lower.endsWith('.json') && a.sizeBytes <= MAX_JSON_BYTES) {
        const figure = el('figure', { class: 'artifact', 'data-artifact': a.path }, caption(url, a));
        box.append(figure);
        fetch(url).then(r => r.ok ? r.json() : Promise.reject(new Error(r.statusText))).then(json => {
          const matrix = AssayHeatmap.matrixOf(json);
          if (matrix) {
            figure.prepend(AssayHeatmap.draw(matrix));
            if (matrix.description) figure.append(el('div', { class: 'muted' }, matrix.description));
          }
          else figure.replaceWith(download(url, a));
        }).catch(() => figure.replaceWith(download(url, a)));
      } else {
        box.append(download(url, a));
      }
    });
  }

  function caption(url, a) {
    return el('figcaption', {}, el('a', { href: url, download: '' }, a.path), ' (' + Assay.int(a.sizeBytes) + ' B)');
  }

  function download(url, a) {
    return el('div', { class: 'artifact-link', 'data-artifact': a.path }, el('a', { href: url, download: '' }, a.path),
      ' (' + Assay.int(a.sizeBytes) + ' B)');
  }

  function options() {
    const smoothing = +document.getElementById('smoothing').value;
    document.getElementById('smoothing-value').textContent = smoothing.toFixed(2);
    return { x: document.getElementById('x').value, log: document.getElementById('log').checked, smoothing };
  }

  function renderCharts() {
    const groups = new Map();
    const bases = new Set(state.series.map(s => AssayCharts.baseName(s.key)));
    // test_perplexity_unigram joins the perplexity chart (a variant of a charted metric), not a chart of its own
    // a variant (perplexity_unigram) joins its metric's chart, but not a ratio or fraction of it, which is in
    // other units (test_mse_baseline_ratio, 2.1, squashed test_mse's 0.04 and 0.09 together on one axis)
    // a GAN's two players on one chart: d_loss with g_loss, the discriminator's mean output on real with that
    // on generated images (they were four charts, the losses read against each other across the page)
    const together = [['d_loss', 'g_loss'], ['d_real', 'd_fake']].filter(pair => pair.every(b => bases.has(b)));
    const chartOf = b => {
      const pair = together.find(p => p.includes(b));
      if (pair) return pair.join(', ');
      return /_(ratio|fraction|percent|pct)$/.test(b) ? b : [...bases].find(o => o !== b && b.startsWith(o + '_')) || b;
    };
    state.series.forEach(s => { const b = chartOf(AssayCharts.baseName(s.key)); groups.set(b, (groups.get(b) || []).concat([s])); });
    state.charts.forEach(c => c.destroy());
    const box = document.getElementById('charts'), opts = options();
    box.replaceChildren();
    const ends = AssayCharts.epochEnds(state.series);
    state.charts = [...groups.entries()].map(([base, list]) => {
      // the limit asked for: the first series' length (1,999, or a constant series' 1,000) read as the limit
      const note = list.some(s => s.sampled) ? ` (down-sampled to ≤ ${Assay.int(MAX_POINTS)} points; min/max kept)` : '';
      const div = el('div', { class: 'chart', 'data-metric': base }, el('h3', {}, base + note));
      box.append(div);
      if (!state.views.has(base)) state.views.set(base, AssayCharts.newView());
      return AssayCharts.line(div, list.map((s, i) => ({ label: s.key, data: s, t0: state.run.startTimeMillis, ends,
        // a variant joining the chart (test_perplexity_unigram) keeps a colour of its own
        color: AssayCharts.baseName(s.key) === base ? AssayCharts.splitColor(s.key, i)
          : AssayCharts.COLORS[(i + 4) % AssayCharts.COLORS.length] })), opts, state.views.get(base));
    });
  }

  async function load() {
    try {
      const body = await api('/api/runs/' + encodeURIComponent(id));
      state.run = body.run; state.keys = body.metricKeys;
      state.stale = body.stale;
      renderRun(body.run, body.stale, body.supersededBy, body.missingArtifacts);
      if (state.keys.length) {
        const series = await api('/api/series', { run: body.run.runId, metric: state.keys.join(','), points: MAX_POINTS });
        state.series = series.series;
      }
      renderCharts();
      if (!state.keys.length) document.getElementById('charts').replaceChildren(el('div', { class: 'muted' }, 'No metric logged.'));
      document.getElementById('live').textContent = body.stale
        ? `no heartbeat since ${time(body.run.updatedMillis)} UTC: its process has most likely stopped`
        : body.run.status === 'running' ? 'live: refreshing every 2 s' : '';
    } catch (e) {
      Assay.showError(document.getElementById('summary'), e);
      // a run that does not exist: the page kept its empty sections (Metrics, Params, ..., smoothing 0)
      if (!state.run) {
        document.getElementById('title').textContent = 'Run ' + id;
        [...document.querySelectorAll('main > :not(#title):not(#summary)')].forEach(n => { n.style.display = 'none'; }); // the hidden attribute loses to .toolbar's display: flex
        document.querySelector('main').append(el('p', {}, el('a', { href: '/' }, 'All experiments')));
      }
    }
  }

  // a new x axis (step, epoch, wall time) makes a zoom meaningless
  Assay.chartControlsInAddress(); // x axis, log scale and smoothing from the address, and back to it
  document.getElementById('x').addEventListener('input', () => state.views.forEach(v => { v.zoom = null; }));
  ['x', 'log', 'smoothing'].forEach(k => document.getElementById(k).addEventListener('input', renderCharts));
  if (id) load().then(() => Assay.poll(load, 2000, () => state.run && state.run.status === 'running' && !state.stale));
})();

// A 2-D numeric JSON array (or {weights, source?, target?}, or a confusion matrix {counts, row_names?,
// column_names?, description?, reference?}) drawn as a heatmap: rows = target (true class), columns = source (predicted
// class); with a reference (seq2seq attention) the rows are the decoded output, and the reference is shown under it.
const AssayHeatmap = (() => {
  const { num, fmt, el } = Assay;
  function matrixOf(json) {
    // attention weights {weights, source, target}, or a confusion matrix {counts, row_names, column_names}
    const weights = Array.isArray(json) ? json : json && typeof json === 'object' ? json.weights || json.counts : null;
    if (!Array.isArray(weights) || !weights.length || weights.length > 2000) return null;
    const cols = Array.isArray(weights[0]) ? weights[0].length : 0;
    if (!cols || cols > 2000) return null;
    const rows = [];
    for (const row of weights) {
      if (!Array.isArray(row) || row.length !== cols) return null;
      const values = row.map(num);
      if (!values.every(v => typeof v === 'number')) return null;
      rows.push(values);
    }
    const labels = (list, n) => Array.isArray(list) && list.length === n ? list.map(String) : null;
    // a seq2seq attention example's rows are the decoded output, which may differ from its reference
    const reference = !Array.isArray(json) && Array.isArray(json.reference) ? json.reference.map(String) : null;
    return { rows, cols, source: Array.isArray(json) ? null : labels(json.source || json.column_names, cols),
      target: Array.isArray(json) ? null : labels(json.target || json.row_names, rows.length),
      counts: !Array.isArray(json) && Array.isArray(json.counts), reference,
      description: !Array.isArray(json) && typeof json.description === 'string' ? json.description
        : reference ? 'reference: ' + reference.join(' ') : null };
  }

  function color(t) { // white → dark blue
    const c = (a, b) => Math.round(a + (b - a) * t);
    return `rgb(${c(255, 8)},${c(255, 48)},${c(255, 107)})`;
  }

  function draw(m) {
    const n = m.rows.length, cell = Math.max(2, Math.min(28, Math.floor(420 / Math.max(n, m.cols))));
    const showLabels = cell >= 10;
    // axis titles: what the rows and the columns are
    const axes = m.counts ? ['true class', 'predicted class']
      : m.source || m.target ? [m.reference ? 'output' : 'target', 'source'] : null;
    const title = axes ? 16 : 0;
    const left = (showLabels && m.target ? 80 : 4) + title, top = (showLabels && m.source ? 70 : 4) + title, legend = 36;
    const canvas = el('canvas', { class: 'heatmap', width: left + m.cols * cell + legend + (m.counts ? 70 : 40), height: Math.max(top + n * cell + 4, 80) });
    const ctx = canvas.getContext('2d');
    const finite = m.rows.flat().filter(Number.isFinite);
    const lo = finite.length ? Math.min(...finite) : 0, hi = finite.length ? Math.max(...finite) : 1;
    // a confusion matrix is coloured by each cell's share of its row (of the class's examples), so that
    // small classes show their errors as clearly as large ones; the cells still show the counts
    const rowSums = m.rows.map(row => row.filter(Number.isFinite).reduce((a, b) => a + b, 0));
    m.rows.forEach((row, i) => row.forEach((v, j) => {
      const t = m.counts ? (rowSums[i] > 0 ? v / rowSums[i] : 0) : hi > lo ? (v - lo) / (hi - lo) : 0.5;
      ctx.fillStyle = Number.isFinite(v) ? color(t) : '#dc2626';
      ctx.fillRect(left + j * cell, top + i * cell, cell, cell);
      if (m.counts && cell >= 24 && Number.isFinite(v)) { // a confusion matrix's counts, written in its cells
        ctx.fillStyle = t > 0.55 ? '#ffffff' : '#1d2330'; ctx.font = '10px sans-serif'; ctx.textAlign = 'center';
        ctx.fillText(String(v), left + j * cell + cell / 2, top + i * cell + cell / 2 + 3); ctx.textAlign = 'start';
      }
    }));
    ctx.fillStyle = '#374151'; ctx.font = '11px sans-serif';
    if (showLabels && m.target) m.target.forEach((t, i) => ctx.fillText(t.slice(0, 12), title + 2, top + i * cell + cell / 2 + 4));
    if (axes) {
      ctx.font = 'bold 11px sans-serif'; ctx.textAlign = 'center';
      ctx.fillText(axes[1], left + m.cols * cell / 2, 11);
      ctx.save(); ctx.translate(11, top + n * cell / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(axes[0], 0, 0); ctx.restore();
      ctx.textAlign = 'start'; ctx.font = '11px sans-serif';
      canvas.setAttribute('aria-label', `heatmap: rows are the ${axes[0]}, columns the ${axes[1]}`);
    }
    if (showLabels && m.source) m.source.forEach((s, j) => {
      ctx.save(); ctx.translate(left + j * cell + cell / 2 + 4, top - 4); ctx.rotate(-Math.PI / 3); ctx.fillText(s.slice(0, 12), 0, 0); ctx.restore();
    });
    const lx = left + m.cols * cell + 12, lh = Math.max(n * cell, 60);
    for (let y = 0; y < lh; y++) { ctx.fillStyle = color(1 - y / lh); ctx.fillRect(lx, top + y, 10, 1); }
    ctx.fillStyle = '#374151';
    if (m.counts) { ctx.fillText('100% of row', lx + 12, top + 9); ctx.fillText('0%', lx + 12, top + lh); }
    else { ctx.fillText(fmt(hi), lx + 12, top + 9); ctx.fillText(fmt(lo), lx + 12, top + lh); }
    canvas.dataset.rows = n; canvas.dataset.cols = m.cols;
    return canvas;
  }
  return { matrixOf, draw };
})();
