'use strict';
(() => {
  const { api, el, fmt, runLabel } = Assay;
  const ids = (Assay.param('runs') || '').split(',').filter(Boolean);
  const state = { runs: [], series: [], charts: [], views: new Map() };

  function renderParams() {
    const keys = [...new Set(state.runs.flatMap(r => Object.keys(r.params)))].sort();
    // runs of several experiments: each header names its run's experiment (nothing told them apart)
    const mixed = new Set(state.runs.map(r => r.experiment)).size > 1;
    const onlyDiff = document.getElementById('only-diff').checked;
    const rows = keys.map(k => {
      const values = state.runs.map(r => r.params[k]);
      const differs = new Set(values.map(v => v === undefined ? '\u0000' : v)).size > 1;
      // a dotted name may break after each dot (<wbr>), not inside a word
      return onlyDiff && !differs ? null : el('tr', { class: differs ? 'diff' : '' }, el('td', {}, dotted(k)),
        values.map(v => el('td', { title: v || '' }, v === undefined ? '—' : Assay.paramText(v))));
    }).filter(Boolean);
    document.getElementById('params').replaceChildren(
      // each run's whole name, wrapped in a narrow column: ten runs named by their swept values, each name on
      // one line and cut before the values that differ, made the table 5347 px wide
      el('thead', {}, el('tr', {}, el('th', {}, 'param'), state.runs.map((r, i) => el('th', { class: 'run' },
        el('span', { style: 'color:' + AssayCharts.runColor(i) }, '■ '),
        el('a', { href: '/run.html?id=' + r.runId }, fullLabel(r)), ' ', Assay.statusBadge(r.status, r.stale),
        mixed ? el('div', { class: 'muted experiment' }, 'experiment ',
          el('a', { href: '/experiment.html?name=' + encodeURIComponent(r.experiment) }, r.experiment)) : null)))),
      el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { class: 'muted' }, 'No param differs.'))));
  }

  function dotted(name) { return name.split('.').flatMap((part, i) => i ? [el('wbr', {}), '.' + part] : [part]); }

  function options() {
    const smoothing = +document.getElementById('smoothing').value;
    document.getElementById('smoothing-value').textContent = smoothing.toFixed(2);
    return { x: document.getElementById('x').value, log: document.getElementById('log').checked, smoothing };
  }

  function renderCharts() {
    state.charts.forEach(c => c.destroy());
    const box = document.getElementById('charts'), opts = options();
    box.replaceChildren();
    // natural order: metric_2 before metric_10
    const keys = [...new Set(state.series.map(s => s.key))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const ends = state.runs.map(r => AssayCharts.epochEnds(state.series.filter(s => s.runId === r.runId)));
    state.charts = keys.map(key => {
      const list = state.runs.map(r => state.series.find(s => s.runId === r.runId && s.key === key));
      const div = el('div', { class: 'chart', 'data-metric': key }, el('h3', {}, key));
      box.append(div);
      const present = list.map((s, i) => s && { label: label(state.runs[i]), data: s,
        t0: state.runs[i].startTimeMillis, ends: ends[i], color: AssayCharts.runColor(i) }).filter(Boolean);
      if (!state.views.has(key)) state.views.set(key, AssayCharts.newView());
      return AssayCharts.line(div, present, opts, state.views.get(key));
    });
  }

  /** A run's label; runs sharing a name get their id's first 8 characters after it, to tell them apart. */
  function label(r, nameOf = runLabel) {
    const shared = state.runs.filter(o => nameOf(o) === nameOf(r)).length > 1;
    return shared ? nameOf(r) + ' (' + r.runId.slice(0, 8) + ')' : nameOf(r);
  }

  /** The same with the run's whole name (runLabel cuts it at 60 characters), for the params table's headers. */
  function fullLabel(r) { return label(r, o => o.runName || o.runId.slice(0, 8)); }

  /**
   * Every (run, metric) series, in requests of at most MAX_PAIRS pairs (the API's limit): one
   * request for 30 runs × 20 metrics was refused and the page drew no chart.
   */
  const MAX_PAIRS = 500;
  async function fetchSeries(runIds, keys) {
    const runsPer = Math.min(runIds.length, MAX_PAIRS), requests = [];
    for (let r = 0; r < runIds.length; r += runsPer) {
      const runs = runIds.slice(r, r + runsPer), keysPer = Math.max(1, Math.floor(MAX_PAIRS / runs.length));
      for (let k = 0; k < keys.length; k += keysPer) {
        requests.push(api('/api/series', { run: runs.join(','), metric: keys.slice(k, k + keysPer).join(','), points: 2000 }));
      }
    }
    return (await Promise.all(requests)).flatMap(b => b.series);
  }

  /** Whether a run shown is still training (running, with a heartbeat in the last minute). */
  function live() { return state.runs.some(r => r.status === 'running' && !r.stale); }

  /**
   * Says why there is nothing to compare, as `assay compare` does, and hides the empty sections; the
   * page compared a single run (or one run named twice) that the CLI refuses.
   */
  function refuse(...message) {
    // style, not the hidden attribute, which loses to .toolbar's display: flex
    [...document.querySelectorAll('main > :not(h1):not(#error)')].forEach(n => { n.style.display = 'none'; });
    document.getElementById('error').replaceChildren(el('div', { class: 'error' }, ...message));
  }

  /** A link to a run's page, for a refusal that names one run. */
  function runLink(id) {
    return el('a', { href: '/run.html?id=' + encodeURIComponent(id) }, 'Open its run page');
  }

  /** The first two ids of the address that name the same run, or null. */
  function sameRun(answers) {
    const given = new Map();
    for (let i = 0; i < answers.length; i++) {
      if (answers[i].status !== 'fulfilled') continue;
      const runId = answers[i].value.run.runId;
      if (given.has(runId)) return [given.get(runId), ids[i], runId];
      given.set(runId, ids[i]);
    }
    return null;
  }

  async function load() {
    try {
      // each id on its own: one unknown id (a deleted run in a bookmark) left the page empty
      const answers = await Promise.allSettled(ids.map(id => api('/api/runs/' + encodeURIComponent(id))));
      const twice = sameRun(answers);
      if (twice) return refuse(`'${twice[0]}' and '${twice[1]}' name the same run, ${twice[2]}; compare needs different runs. `,
        runLink(twice[2]), ' to see it alone.');
      state.runs = answers.filter(a => a.status === 'fulfilled').map(a => ({ ...a.value.run, stale: a.value.stale }));
      const missing = answers.map((a, i) => a.status === 'rejected' ? `${ids[i]}: ${a.reason.message}` : null).filter(Boolean);
      // one run found of those named is no comparison either (it drew a one-series "comparison")
      if (state.runs.length === 1) return refuse(missing.join(' ') + ` Compare needs two or more runs; only `
        + `${state.runs[0].runId.substring(0, 8)} was found. `, runLink(state.runs[0].runId), ' to see it alone.');
      document.getElementById('error').replaceChildren(...missing.map(m => el('div', { class: 'error' }, m)));
      if (!state.runs.length) return;
      const keys = [...new Set(state.runs.flatMap(r => Object.keys(r.metrics)))];
      const experiments = [...new Set(state.runs.map(r => r.experiment))];
      document.title = `Compare ${Assay.count(state.runs.length, 'run')} · ${experiments.join(', ')} · Assay`;
      // back to the experiment(s) the runs came from (the page had no way back but the browser's)
      document.getElementById('crumbs').replaceChildren(...experiments.flatMap((name, i) => [i ? ', ' : '› ',
        el('a', { href: '/experiment.html?name=' + encodeURIComponent(name) }, name)]));
      renderParams();
      // runs that logged nothing (failed before their first step) have params but no series
      state.series = keys.length ? await fetchSeries(state.runs.map(r => r.runId), keys) : [];
      renderCharts();
      if (!keys.length) document.getElementById('charts').replaceChildren(el('div', { class: 'muted' }, 'None of these runs logged a metric.'));
      document.getElementById('live').textContent = live() ? 'live: refreshing every 2 s' : '';
    } catch (e) { Assay.showError(document.getElementById('error'), e); }
  }

  Assay.chartControlsInAddress(); // x axis, log scale and smoothing from the address, and back to it
  document.getElementById('x').addEventListener('input', () => state.views.forEach(v => { v.zoom = null; }));
  ['x', 'log', 'smoothing'].forEach(k => document.getElementById(k).addEventListener('input', renderCharts));
  document.getElementById('only-diff').addEventListener('change', renderParams);
  if (ids.length < 1) document.getElementById('error').textContent = 'Pick runs to compare on an experiment page.';
  // one run is no comparison (assay compare refuses it too, and the experiment page's button needs two ticked)
  else if (ids.length < 2) refuse(`Compare needs two or more runs (ids or unique prefixes), got one: '${ids[0]}'. `,
    runLink(ids[0]), ' to see it alone.');
  else load().then(() => Assay.poll(load, 2000, live));
})();
