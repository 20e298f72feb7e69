'use strict';
(() => {
  const { api, el, fmt, num, numCell, statusBadge, runLabel } = Assay;
  const state = { name: Assay.requireParam('name', '/experiment.html?name=EXPERIMENT', document.getElementById('summary')),
    filter: '', sort: '', order: 'asc', offset: 0, limit: 50, selected: new Set(), params: new Set(),
    metrics: new Set(), columns: null, page: null, signature: null, view: null, offered: new Set(),
    offeredMetrics: new Set(), chosen: new Set(),
    // pickers set by the address (?by=, ?metric=): applied once their options exist
    wanted: { 'scatter-x': Assay.param('by'), 'scatter-y': Assay.param('metric'), 'parallel-metric': Assay.param('pmetric') } };

  /**
   * The view (filter, sort, group-by and metric) goes into the address, so that it can be bookmarked
   * and Back from a run restores it (the filter box kept its text but the table showed every run).
   */
  function saveView() {
    const query = new URLSearchParams(location.search);
    const put = (k, v) => { if (v) query.set(k, v); else query.delete(k); };
    put('filter', state.filter); put('sort', state.sort); put('order', state.sort ? state.order : '');
    // the page, its size and the columns the reader chose (a reload went back to page 1 of 50 and the defaults)
    put('offset', state.offset > 0 ? String(state.offset) : ''); put('limit', state.limit !== 50 ? String(state.limit) : '');
    put('columns', state.columnsChosen ? [...[...state.params].map(p => 'params.' + p), ...[...state.metrics].map(m => 'metrics.' + m)].join(',') : '');
    put('by', state.chosen.has('scatter-x') ? document.getElementById('scatter-x').value : state.wanted['scatter-x']);
    put('metric', state.chosen.has('scatter-y') ? document.getElementById('scatter-y').value : state.wanted['scatter-y']);
    // the parallel coordinates' metric too (a reload went back to the first metric)
    put('pmetric', state.chosen.has('parallel-metric') ? document.getElementById('parallel-metric').value
      : state.wanted['parallel-metric']);
    history.replaceState(history.state, '', location.pathname + '?' + query);
  }

  function restoreView() {
    state.filter = Assay.param('filter') || '';
    state.sort = Assay.param('sort') || '';
    state.order = Assay.param('order') === 'desc' ? 'desc' : 'asc';
    const limit = +Assay.param('limit'), offset = +Assay.param('offset');
    // any page size up to 500 (limit=5 became 50 without a word), and an offset on a page's first run (offset=10
    // of pages of 25 showed runs 10-34 as "page 1 of 3", and ‹ prev could not reach runs 0-9)
    if (Number.isInteger(limit) && limit >= 1 && limit <= 500) state.limit = limit;
    if (Number.isInteger(offset) && offset > 0) state.offset = Math.floor(offset / state.limit) * state.limit;
    if (state.offset !== (Number.isInteger(offset) && offset > 0 ? offset : 0)) { // the address says the page shown
      const query = new URLSearchParams(location.search);
      if (state.offset > 0) query.set('offset', String(state.offset)); else query.delete('offset');
      history.replaceState(history.state, '', location.pathname + '?' + query);
    }
    const columns = Assay.param('columns');
    if (columns !== null && columns !== undefined) state.restoredColumns = columns.split(',').filter(Boolean);
    document.getElementById('filter').value = state.filter;
  }

  /**
   * A sortable column header: a click, or Enter or Space when it has the keyboard focus (it was
   * click-only), sorts by it; aria-sort tells a screen reader the current order.
   */
  function header(label, field) {
    const sorted = state.sort === field;
    const th = el('th', { class: 'sortable', title: 'sort by ' + field, tabindex: 0, 'data-field': field,
      'aria-sort': sorted ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none' }, label);
    if (sorted) th.classList.add('sorted-' + state.order);
    const sort = () => {
      // a metric where higher is better sorts best first on the first click (accuracy sorted worst first)
      const first = state.columns && field.startsWith('metrics.')
        && (state.columns.higherIsBetter || []).includes(field.slice('metrics.'.length)) ? 'desc' : 'asc';
      state.order = state.sort === field ? (state.order === 'asc' ? 'desc' : 'asc') : first;
      state.sort = field; state.offset = 0; state.focus = field; saveView(); loadPage();
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); sort(); } });
    return th;
  }

  function renderTable(page) {
    const params = [...state.params], metrics = [...state.metrics];
    const paramNames = Assay.shortNames(params);
    // a metric named as a param's column (learning_rate is both) gets its prefix: two headers read the same
    const taken = new Set(paramNames.values());
    const head = el('tr', {}, el('th', {}, el('span', { class: 'sr-only' }, 'select')), header('run', 'name'), header('status', 'status'), header('trial', 'trial'),
      params.map(p => header(paramNames.get(p), 'params.' + p)),
      metrics.map(m => header(taken.has(m) ? 'metrics.' + m : m, 'metrics.' + m)));
    const rows = page.runs.map(r => el('tr', { 'data-run': r.runId, class: r.counted === false ? 'superseded' : '' },
      el('td', {}, el('input', { type: 'checkbox', checked: state.selected.has(r.runId), 'aria-label': 'select run ' + runLabel(r),
        onchange: ev => select(r.runId, ev.target.checked) })),
      el('td', {}, el('a', { href: '/run.html?id=' + r.runId, title: r.runName || '' }, runLabel(r))),
      el('td', { title: r.errorMessage || '' }, statusBadge(r.status, r.stale), r.counted === false && r.status !== 'running'
        ? el('span', { class: 'status status-superseded', title: 'another run of this trial (same configuration and'
          + ' seed) counts in the groups, the scatter and the parallel coordinates' }, 'superseded') : ''),
      el('td', { class: 'num' }, Assay.int(r.trialIndex)),
      // a param the run does not have (beta1 of an sgd run) reads "—", as on the compare page ("-" in the CLI)
      params.map(p => r.params[p] === undefined ? el('td', { class: 'muted', title: 'not a param of this run' }, '—')
        : el('td', { title: r.params[p] }, Assay.paramText(r.params[p]))),
      metrics.map(m => r.metrics[m] ? numCell(r.metrics[m].last) : el('td', {}, ''))));
    document.getElementById('runs').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
    document.getElementById('runs-note').textContent = notCountedNote(page.runs);
    // the header sorted from the keyboard keeps the focus through the table's redraw
    if (state.focus) { const th = [...head.children].find(h => h.dataset.field === state.focus); state.focus = null; if (th) th.focus(); }
  }

  /**
   * What the greyed rows are, under the table as under `assay runs`: the badge's tooltip was the only
   * place that said it, and a running rerun beside a completed run was greyed with no word at all.
   */
  function notCountedNote(runs) {
    const superseded = runs.filter(r => r.counted === false && r.status !== 'running').length;
    const rerunning = runs.filter(r => r.counted === false && r.status === 'running').length;
    const staleReruns = runs.filter(r => r.counted === false && r.status === 'running' && r.stale).length;
    return [superseded ? `${Assay.count(superseded, 'superseded run')} (greyed): another run of the same trial`
        + ' (configuration and seed) counts in the groups, the scatter and the parallel coordinates: the trial\'s'
        + ' newest completed, diverged or pruned run, else its newest run.' : '',
      rerunning ? `${Assay.count(rerunning, 'running rerun')} (greyed): until it ends completed, diverged or pruned,`
        + ' its trial counts by its earlier finished run.' : '',
      // a rerun whose process died never ends: it was told to wait "until it ends" all the same
      staleReruns ? `${Assay.int(staleReruns)} of them ${staleReruns === 1 ? 'has no heartbeat: its process has'
        : 'have no heartbeat: their processes have'} stopped, and the next run or resume of the experiment records`
        + ` ${staleReruns === 1 ? 'it' : 'them'} interrupted.` : ''].filter(Boolean).join(' ');
  }

  function select(runId, on) {
    if (on) state.selected.add(runId); else state.selected.delete(runId);
    showSelection();
  }

  /**
   * The compare button says how many runs are selected and how many of them the table does not show
   * (on other pages, or filtered out): filtered away, two ticked runs were compared with no box ticked in view.
   */
  function showSelection() {
    const button = document.getElementById('compare');
    const shown = new Set(state.page ? state.page.runs.map(r => r.runId) : []);
    const hidden = [...state.selected].filter(id => !shown.has(id)).length;
    button.disabled = state.selected.size < 2;
    button.textContent = 'Compare selected' + (state.selected.size ? ` (${state.selected.size}`
      + (hidden ? `, ${hidden} not in view` : '') + ')' : '');
    document.getElementById('clear-selection').hidden = state.selected.size === 0;
  }

  function renderPager(page) {
    const last = Math.max(0, Math.ceil(page.total / state.limit) - 1), current = Math.floor(state.offset / state.limit);
    const go = p => { state.offset = p * state.limit; saveView(); loadPage(); };
    document.getElementById('pager').replaceChildren(
      el('button', { disabled: current === 0, onclick: () => go(current - 1) }, '‹ prev'),
      el('span', {}, `page ${current + 1} of ${last + 1} · ${Assay.count(page.total, 'matching run')}`),
      el('button', { disabled: current >= last, onclick: () => go(current + 1) }, 'next ›'),
      el('label', {}, ' per page ', el('select', { onchange: ev => { state.limit = +ev.target.value; state.offset = 0; saveView(); loadPage(); } },
        [...new Set([25, 50, 100, 200, 500, state.limit])].sort((a, b) => a - b)
          .map(n => el('option', { value: n, selected: n === state.limit }, String(n))))));
  }

  async function loadPage() {
    const error = document.getElementById('filter-error');
    try {
      const page = await api('/api/runs', { experiment: state.name, filter: state.filter, sort: state.sort,
        order: state.order, offset: state.offset, limit: state.limit });
      error.replaceChildren();
      if (page.runs.length === 0 && page.total > 0 && state.offset >= page.total) {
        // an offset past the end (an old address, or runs deleted): "page 3 of 1" with an empty table
        state.offset = Math.floor((page.total - 1) / state.limit) * state.limit;
        saveView();
        return loadPage();
      }
      state.page = page;
      renderTable(page); renderPager(page); showSelection();
      const running = page.runs.some(r => r.status === 'running' && !r.stale);
      document.getElementById('live').textContent = running ? 'live: refreshing every 2 s' : '';
      // a run that started, ended or logged changes the summary, the groups and the plots too; a new sort
      // or page shows other rows of the same runs and changes none of them (it refetched every plot and
      // took the keyboard focus off the header just sorted)
      const view = [state.filter, state.sort, state.order, state.offset, state.limit].join('\u0000');
      const signature = page.total + ' ' + page.runs.map(r => r.runId + r.status).join();
      // a metric the experiment's columns do not list yet: its first run logging its first epoch showed
      // "0 metrics" and no metric column until that run ended, as its run set did not change
      const known = new Set(state.columns ? state.columns.metrics : []);
      const newMetric = page.runs.some(r => Object.keys(r.metrics || {}).some(m => !known.has(m)));
      if (state.signature !== null && state.view === view && (signature !== state.signature || newMetric)) {
        refreshSummaryAndPlots();
      }
      state.signature = signature; state.view = view;
    } catch (e) {
      if (state.sort && e.status === 400 && !state.sortRefused) {
        // a sort the address named that is no column (an old bookmark): the table emptied, headers and
        // all, with nothing left to click; sort by trial instead and say why
        const [sort, order] = [state.sort, state.order];
        state.sortRefused = `Cannot sort by ${sort}: ${e.message} Sorted by trial instead.`;
        state.sort = ''; state.order = 'asc';
        await loadPage();
        if (state.page) { saveView(); error.replaceChildren(el('span', {}, state.sortRefused)); }
        else { state.sort = sort; state.order = order; } // the filter was at fault, and its error is shown
        state.sortRefused = null;
        return;
      }
      // what is on screen no longer answers the filter typed: clear it under the error
      state.page = null; state.signature = null;
      ['runs', 'pager'].forEach(id => document.getElementById(id).replaceChildren());
      Assay.showError(error, e);
    }
  }

  async function refreshSummaryAndPlots() {
    try {
      // params that now vary become columns and parallel axes (they were fixed at page load)
      state.columns = await api('/api/columns', { experiment: state.name });
      renderSummary(state.columns);
      applyColumns(state.columns);
      if (state.page) renderTable(state.page);
    } catch (e) { Assay.showError(document.getElementById('summary'), e); }
    loadScatter();
    loadParallel();
  }

  function renderSummary(columns) {
    document.getElementById('summary').textContent = [Assay.count(columns.runCount, 'run'), Assay.count(columns.params.length, 'param'),
      Assay.count(columns.metrics.length, 'metric')].join(' · ');
  }

  function renderChooser(columns) {
    const box = (kind, key, set) => el('label', {}, el('input', { type: 'checkbox', checked: set.has(key), 'data-column': kind + key,
      onchange: ev => {
        if (ev.target.checked) set.add(key); else set.delete(key);
        state.columnsChosen = true; saveView();
        if (state.page) renderTable(state.page);
      } }), ' ' + kind + key);
    // replaceChildren takes nodes, not arrays: arrays were written out as "[object HTMLLabelElement],..."
    document.getElementById('chooser').replaceChildren(
      ...columns.params.map(p => box('params.', p.key, state.params)), ...columns.metrics.map(m => box('metrics.', m, state.metrics)));
  }

  /**
   * Applies the experiment's columns: on the first call the varying params and the preferred
   * metrics become table columns; on a refresh (runs started or ended) params that have started to
   * vary and metrics that have appeared are added, the reader's own choices kept. The scatter's x
   * and the metric pickers keep what the reader picked, else take the first option.
   */
  function applyColumns(columns) {
    if (state.restoredColumns) { // the columns the address names, those that exist; the rest counts as offered
      state.restoredColumns.filter(c => c.startsWith('params.')).map(c => c.slice(7))
        .filter(k => columns.params.some(p => p.key === k)).forEach(k => state.params.add(k));
      state.restoredColumns.filter(c => c.startsWith('metrics.')).map(c => c.slice(8))
        .filter(m => columns.metrics.includes(m)).forEach(m => state.metrics.add(m));
      columns.params.forEach(p => state.offered.add(p.key));
      columns.metrics.forEach(m => state.offeredMetrics.add(m));
      state.restoredColumns = null; state.columnsChosen = true;
    }
    columns.params.filter(p => p.varying && !state.offered.has(p.key)).forEach(p => state.params.add(p.key));
    columns.params.filter(p => p.varying).forEach(p => state.offered.add(p.key));
    // the CLI's choice (DefaultMetrics): a seq2seq experiment showed only its losses here, its BLEU in the CLI;
    // one that appears later (test_accuracy when the first run ends) is added too, once: a live page kept the
    // columns of its first load, and one the reader unticked stays unticked
    columns.defaultMetrics.filter(m => !state.offeredMetrics.has(m)).forEach(m => state.metrics.add(m));
    columns.metrics.forEach(m => state.offeredMetrics.add(m));
    renderChooser(columns);
    // the scatter's x by default: a varying param every run has, with the most distinct values (the first
    // in key order was beta1, which one run of four had); the seed last, which has an option of its own
    const params = [...columns.params].sort((a, b) => b.varying - a.varying
      || (a.key === 'training.seed') - (b.key === 'training.seed') || b.runCount - a.runCount
      || b.distinctValues - a.distinctValues);
    fill('scatter-x', [...params.map(p => ['params.' + p.key, p.key]), ['seed', 'seed'], ['config', 'configuration (repeats)']]);
    fill('scatter-y', columns.metrics.map(m => [m, m]), [...state.metrics][0]);
    fill('parallel-metric', columns.metrics.map(m => [m, m]), [...state.metrics][0]);
    // the example named the optimizer and val_accuracy whatever the experiment had (an autoencoder has neither)
    const named = params.filter(p => p.key !== 'training.seed' && p.key !== 'variant');
    const exampleParam = named.length ? `params.${named[0].key} = …` : 'status = completed';
    const exampleMetric = [...state.metrics][0] || columns.metrics[0];
    document.getElementById('filter').placeholder = 'e.g. ' + exampleParam + (exampleMetric ? ` and metrics.${exampleMetric} > …` : '');
  }

  /** Refills a picker with [value, label] options, keeping a value the reader chose if it is still there. */
  function fill(id, options, preferred) {
    const select = document.getElementById(id), wanted = state.wanted[id];
    let keep = state.chosen.has(id) && options.some(([v]) => v === select.value) ? select.value : preferred;
    if (wanted && options.some(([v]) => v === wanted)) { keep = wanted; state.chosen.add(id); delete state.wanted[id]; }
    select.replaceChildren(...options.map(([v, label]) => el('option', { value: v, selected: v === keep }, label)));
  }

  function listenToPickers() {
    const chosen = (id, then) => document.getElementById(id).addEventListener('change', () => {
      state.chosen.add(id); delete state.wanted[id]; saveView(); then();
    });
    chosen('scatter-x', loadScatter);
    chosen('scatter-y', loadScatter);
    chosen('parallel-metric', loadParallel);
  }

  const NO_METRIC = 'nothing to plot: no run of this experiment has logged a metric yet';

  async function loadScatter() {
    const x = document.getElementById('scatter-x').value, metric = document.getElementById('scatter-y').value;
    if (!metric) { // an experiment whose runs logged nothing (all failed at their start): a blank canvas said nothing
      clear(document.getElementById('scatter'));
      document.getElementById('scatter-note').textContent = NO_METRIC;
      document.getElementById('groups').replaceChildren();
      return;
    }
    if (!x) return;
    const args = { experiment: state.name, metric, filter: state.filter };
    try {
      const [scatter, groups] = await Promise.all([api('/api/scatter', { ...args, x }), api('/api/groups', { ...args, by: x })]);
      const config = x === 'config';
      // a configuration's values label the scatter (its ~14 labels all read "batch_si…"), in the groups' order
      // unless the configurations name different keys (Adam's betas beside SGD's rate): the title named the
      // first one's keys, and Adam's labels, longer, read as values of them
      const keyLists = new Set(config ? scatter.points.filter(p => p.x !== null).map(p => configKeys(shortConfig(p.x))) : []);
      const sameKeys = keyLists.size === 1;
      const all = config ? scatter.points.slice().sort((a, b) => compareConfigs(a.x, b.x))
        .map(p => ({ ...p, x: p.x === null ? null : sameKeys ? configValues(shortConfig(p.x)) : shortConfig(p.x) }))
        : scatter.points;
      const xName = keyLists.size === 0 ? x : sameKeys ? 'configuration (' + [...keyLists][0] + ')' : 'configuration';
      // as the groups beside it: a run that did not complete holds the value of the epoch it stopped at
      const points = all.filter(p => p.status === 'completed');
      const drawn = AssayScatter.draw(document.getElementById('scatter'), points, xName, metric);
      document.getElementById('scatter-note').textContent = scatterNote(all, drawn.hidden, metric);
      renderGroups(config ? groups.groups.slice().sort((a, b) => compareConfigs(a.value, b.value)) : groups.groups,
        metric, config, groups.minimize, groups.directionKnown);
    } catch (e) {
      clear(document.getElementById('scatter'));
      document.getElementById('scatter-note').textContent = '';
      Assay.showError(document.getElementById('groups'), e);
    }
  }

  /** What the scatter leaves out: runs that did not complete, by status, and values that are not finite. */
  function scatterNote(all, hidden, metric) {
    const statuses = {};
    all.filter(p => p.status !== 'completed').forEach(p => { statuses[p.status] = (statuses[p.status] || 0) + 1; });
    const unfinished = Object.values(statuses).reduce((a, b) => a + b, 0);
    const notes = [];
    if (unfinished) {
      const by = Object.keys(statuses).sort().map(k => `${statuses[k]} ${k}`).join(', ');
      notes.push(`${Assay.count(unfinished, 'run')} that did not complete (${by}) not shown: their ${metric}, if any, is from the epoch they stopped at`);
    }
    if (hidden) notes.push(`${Assay.count(hidden, 'run')} without a finite ${metric} not shown`);
    return notes.join('; ');
  }

  const PARALLEL_MAX_RUNS = 5000;

  // Every matching run (paged through /api/runs), one polyline each over the varying params and the metric.
  async function loadParallel() {
    const metric = document.getElementById('parallel-metric').value;
    if (!metric) { // its note read "... drawn grey, without their " and a lone metric axis marked 1 and 0
      clear(document.getElementById('parallel'));
      document.getElementById('parallel-note').textContent = NO_METRIC;
      return;
    }
    const params = state.columns.params.filter(p => p.varying).map(p => p.key);
    try {
      const runs = [];
      let total = Infinity;
      while (runs.length < Math.min(total, PARALLEL_MAX_RUNS)) {
        const page = await api('/api/runs', { experiment: state.name, filter: state.filter, sort: 'trial', order: 'asc',
          offset: runs.length, limit: 500 });
        total = page.total; runs.push(...page.runs);
        if (!page.runs.length) break;
      }
      const fetched = runs.slice(0, PARALLEL_MAX_RUNS);
      // a trial counts once, by its counted run (as in the groups and the scatter): superseded copies are not drawn
      // (a running rerun beside a completed run is not counted yet, but it is no superseded run either)
      const counted = fetched.filter(r => r.counted !== false);
      const superseded = fetched.filter(r => r.counted === false && r.status !== 'running').length;
      const rerunning = fetched.length - counted.length - superseded;
      const left = [superseded ? Assay.count(superseded, 'superseded run') : '',
        rerunning ? Assay.count(rerunning, 'running rerun') : ''].filter(Boolean).join(' and ');
      // as the scatter and the groups: a run that did not complete holds the value of the epoch it stopped at,
      // so its line is drawn grey, its params still shown (which configurations were pruned is worth seeing)
      const unfinished = counted.filter(r => r.status !== 'completed').length;
      const shown = counted.map(r => r.status === 'completed' ? r
        : { ...r, metrics: Object.fromEntries(Object.entries(r.metrics).filter(([k]) => k !== metric)) });
      document.getElementById('parallel-note').textContent = (params.length ? '' : 'no param varies; ')
        + Assay.count(shown.length, 'run') + (total > fetched.length ? ` of the first ${Assay.int(fetched.length)} of ${Assay.int(total)}` : '')
        + (unfinished ? `; ${Assay.count(unfinished, 'run')} that did not complete drawn grey, without their ${metric}` : '')
        + (left ? `; ${left} not drawn` : '');
      AssayParallel.draw(document.getElementById('parallel'), shown, params, metric);
    } catch (e) {
      clear(document.getElementById('parallel'));
      Assay.showError(document.getElementById('parallel-note'), e);
    }
  }

  function clear(canvas) { canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height); }

  /**
   * A configuration as tables and plots show it: each dotted key by its last part
   * ("dropout=0.3; l2=1.0E-4" for "model.params.dropout=0.3; training.regularization.l2=1.0E-4"), as
   * every label started with the same "model.params.dro…"; the whole text stays in the tooltip.
   */
  function shortConfig(text) {
    // values as the columns write them (1e-4, 1000000), not as stored (1.0E-4, 1000000.0)
    return text.replace(/(^|; )[^=;]*\.([^.=;]+)=/g, '$1$2=').split('; ')
      .map(pair => pair.includes('=') ? pair.slice(0, pair.indexOf('=') + 1) + Assay.paramText(pair.slice(pair.indexOf('=') + 1)) : pair)
      .join('; ');
  }

  /** A configuration's values alone ("128; 1e-4"), for the scatter's labels; the keys go in its axis title. */
  function configValues(text) { return text.split('; ').map(pair => pair.slice(pair.indexOf('=') + 1)).join('; '); }

  /** A configuration's keys ("batch_size; learning_rate"). */
  function configKeys(text) { return text.split('; ').map(pair => pair.slice(0, Math.max(0, pair.indexOf('=')))).join('; '); }

  /**
   * Orders configurations pair by pair, numbers as numbers: sorted as text, learning_rate=1.0E-4
   * came between 1.0 and 100.0.
   */
  function compareConfigs(a, b) {
    if (a === null || b === null) return (a === null) - (b === null);
    const pa = a.split('; '), pb = b.split('; ');
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
      const ka = pa[i].slice(0, pa[i].indexOf('=')), kb = pb[i].slice(0, pb[i].indexOf('='));
      if (ka !== kb) return ka.localeCompare(kb);
      const va = pa[i].slice(pa[i].indexOf('=') + 1), vb = pb[i].slice(pb[i].indexOf('=') + 1);
      const na = Number(va), nb = Number(vb);
      const c = va !== '' && vb !== '' && Number.isFinite(na) && Number.isFinite(nb) ? na - nb
        : va.localeCompare(vb, 'en', { numeric: true });
      if (c) return c;
    }
    return pa.length - pb.length;
  }

  // " (1 pruned, 2 diverged)": the runs that did not complete, left out of the statistics
  const statusNote = g => {
    const parts = Object.entries(g.statuses || {}).map(([status, n]) => `${Assay.int(n)} ${status}`);
    return parts.length ? ` (${parts.join(', ')})` : '';
  };
  const statusTitle = (g, running) => Object.keys(g.statuses || {}).length
    ? 'runs that did not complete are counted here but left out of the mean, std, min and max: their last values are'
      + ' from the epoch they stopped at or have reached; a diverged run\'s NaN or ±Inf is counted under NaN/Inf,'
      + (running ? ' a run that ended without logging the metric under missing, one still running that has not logged'
        + ' it yet under running' : ' a run that never logged the metric under missing') : '';

  /** Groups of one run each, beyond this many, are not listed: nothing to average or compare. */
  const MAX_SINGLE_RUN_GROUPS = 12;

  function renderGroups(groups, metric, config, minimize, directionKnown) {
    // a continuous param (a sampled learning rate, 150 values for 150 runs) made a row per run: a 7,000-px table
    // of "1 | 0.17 ± – | … | —" pushed the parallel coordinates out of sight
    if (groups.length > MAX_SINGLE_RUN_GROUPS && groups.every(g => g.runs <= 1)) {
      const x = document.getElementById('scatter-x');
      const name = x.selectedOptions.length ? x.selectedOptions[0].textContent : 'x';
      document.getElementById('groups').replaceChildren(el('caption', { class: 'muted', 'data-singletons': groups.length },
        `each of the ${Assay.int(groups.length)} values of ${name} holds one run: nothing to average or compare. `
        + 'Choose an x with fewer values (a categorical param, or "configuration (repeats)") to group the runs.'));
      return;
    }
    // a metric whose name tells no better direction (a logged learning_rate, a GAN's d_real): the reference group is
    // the one with the highest mean, and calling it "best" claimed what the name does not say
    const reference = directionKnown ? 'best' : 'highest';
    // a sweep in progress: its running runs that have not logged the metric yet were counted under missing, as if
    // they had ended without it; their own column, shown while any group has one
    const running = groups.some(g => g.runningCount > 0);
    // the statistics are over finite values: a group with none (all NaN or ±Inf, counted under NaN/Inf, or never
    // logged, counted under missing or running) has no mean, min or max; they read "NaN" in red even for a group of +Inf values
    const mean = g => g.finiteCount ? `${fmt(g.mean)} ± ${g.finiteCount > 1 ? fmt(g.std) : '–'}` : '—';
    const cell = (g, v) => !g.finiteCount ? el('td', { class: 'num muted', title: 'no finite value' }, '—') : numCell(v);
    // Welch's two-sided p-value that a group's mean equals the best group's (server side, Apache Commons Math)
    const welch = g => g.best ? el('td', { class: 'num best' }, reference)
      : g.pVsBest === null ? el('td', { class: 'num muted', title: 'undefined: fewer than 2 finite values in a group, or no spread in either' }, '—')
      : el('td', { class: 'num' }, g.pVsBest < 0.001 ? '<0.001' : Number(g.pVsBest.toPrecision(2)).toString());
    const pTitle = `two-sided Welch's t-test that the group's mean ${metric} equals the ${reference} group's `
      + `(the ${minimize ? 'lowest' : 'highest'} mean${directionKnown ? '' : `; the name ${metric} tells no better direction`}); `
      + 'not corrected for comparing several groups';
    document.getElementById('groups').replaceChildren(
      el('thead', {}, el('tr', {}, [...['value', 'runs', metric + ' mean ± std', 'min', 'max', 'NaN/Inf'].map(h => el('th', {}, h)),
        // a diverged run stopped before the metric was logged read as "NaN/Inf 0", counted nowhere
        el('th', { title: `runs that ${running ? 'ended without logging' : 'never logged'} ${metric}` }, 'missing'),
        running ? el('th', { title: `runs still running that have not logged ${metric} yet` }, 'running') : null,
        el('th', { title: pTitle }, `p vs ${reference} (Welch)`)])),
      // a configuration (repeats) reads "key=value; ..." for every param, ~180 characters: cut, in full on hover
      // a configuration's differing pairs one a line: cut to one line at 280 px, the pair that told two
      // groups apart (often the last) was hidden behind the ellipsis
      el('tbody', {}, groups.map(g => el('tr', {}, el('td', { class: config ? 'pairs' : 'cut', title: g.value === null ? '' : g.value },
        g.value === null ? '(none)' : config ? shortConfig(g.value).split('; ').map(pair => el('div', {}, pair))
          : Assay.paramText(g.value)),
        el('td', { class: 'num', title: statusTitle(g, running) }, Assay.int(g.runs) + statusNote(g)), el('td', { class: 'num' }, mean(g)), cell(g, g.min), cell(g, g.max),
        el('td', { class: 'num' + (g.nonFiniteCount ? ' nonfinite' : '') }, Assay.int(g.nonFiniteCount)),
        el('td', { class: 'num' }, Assay.int(g.missingCount)),
        running ? el('td', { class: 'num' }, Assay.int(g.runningCount)) : null, welch(g)))));
  }

  async function init() {
    document.getElementById('title').textContent = 'Experiment ' + state.name;
    document.title = state.name + ' · Assay'; // every tab read "Experiment · Assay"
    restoreView();
    document.getElementById('apply').addEventListener('click', () => {
      state.filter = document.getElementById('filter').value; state.offset = 0; saveView(); loadPage(); loadScatter(); loadParallel();
    });
    document.getElementById('filter').addEventListener('keydown', ev => { if (ev.key === 'Enter') document.getElementById('apply').click(); });
    document.getElementById('compare').addEventListener('click', () => { location.href = '/compare.html?runs=' + [...state.selected].join(','); });
    document.getElementById('clear-selection').addEventListener('click', () => {
      state.selected.clear(); showSelection(); if (state.page) renderTable(state.page);
    });
    try {
      state.columns = await api('/api/columns', { experiment: state.name });
      renderSummary(state.columns);
      listenToPickers();
      applyColumns(state.columns);
      await loadPage();
      loadScatter();
      loadParallel();
      // every 2 s while a run on the page is running, every 10 s otherwise (a sweep may start)
      let ticks = 0;
      Assay.poll(loadPage, 2000, () => (state.page && state.page.runs.some(r => r.status === 'running' && !r.stale))
        || ++ticks % 5 === 0);
    } catch (e) {
      if (e.status === 404) hideControls(); // no such experiment
      Assay.showError(document.getElementById('summary'), e);
    }
  }
  /** Hides all but the title and the summary's error: an empty filter, pickers and plots (with an example filter) showed. */
  function hideControls() {
    [...document.querySelector('main').children].filter(c => c.id !== 'title' && c.id !== 'summary')
      .forEach(c => { c.style.display = 'none'; });
    // the way back, as a run page that finds no run has (this page had none: found by a new-user check)
    if (!document.getElementById('all-experiments')) {
      document.querySelector('main').append(el('p', { id: 'all-experiments' }, el('a', { href: '/' }, 'All experiments')));
    }
  }

  if (state.name) init();
  else hideControls(); // no ?name=: the message, and not the controls of no experiment
})();

// A small canvas scatter: numeric x on a linear axis, or a log axis when every x is positive and
// they span 2 decades or more (learning rates 1e-4..1000 all sat at the left of a linear one), as
// the parallel coordinates do; text x as categories (with jitter). Ticks fall on round values.
// Runs whose metric is not finite are not drawn: draw returns their count for the page to say so.
const AssayScatter = (() => {
  const { num } = Assay;
  const NONE = '(none)';

  function draw(canvas, points, xName, metric) {
    const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height, L = 60, B = 40, T = 12, R = 16;
    ctx.clearRect(0, 0, W, H);
    // no run (none yet, or a filter that matches none): axes over a made-up 0..1 range read as data
    canvas.dataset.empty = String(!points.length);
    if (!points.length) {
      emptyPlot(ctx, W, H, 'No completed run to draw');
      canvas.dataset.xticks = '[]'; canvas.dataset.hidden = '0';
      return { hidden: 0, log: false };
    }
    const numeric = points.every(p => p.xNumber !== null);
    const cats = numeric ? [] : [...new Set(points.map(category))];
    const finite = points.filter(p => Number.isFinite(num(p.y)));
    const xs = finite.map(p => numeric ? p.xNumber : cats.indexOf(category(p))), ys = finite.map(p => num(p.y));
    const log = numeric && xs.length > 0 && Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 100;
    const fx = log ? Math.log10 : x => x;
    // the metric on a log axis by the same rule (one diverged val_loss of 97.7 squashed every other at the bottom)
    const ylog = ys.length > 0 && Math.min(...ys) > 0 && Math.max(...ys) / Math.min(...ys) >= 100;
    const fy = ylog ? Math.log10 : y => y;
    const [x0, x1] = range(xs.map(fx), !numeric), [y0, y1] = range(ys.map(fy), false);
    const px = x => L + (x - x0) / (x1 - x0 || 1) * (W - L - R), py = y => H - B - (y - y0) / (y1 - y0 || 1) * (H - B - T);
    ctx.strokeStyle = '#9ca3af'; ctx.strokeRect(L, T, W - L - R, H - B - T);
    ctx.fillStyle = '#374151'; ctx.font = '11px sans-serif';
    const yTicks = ylog ? decades(y0, y1) : niceTicks(y0, y1);
    ctx.textAlign = 'right';
    yTicks.forEach(v => { gridLine(ctx, L, py(v), W - R, py(v)); ctx.fillText(tickText(ylog ? 10 ** v : v), L - 4, py(v) + 4); });
    ctx.textAlign = 'center';
    const xTicks = !numeric ? [] : log ? decades(x0, x1) : niceTicks(x0, x1);
    xTicks.forEach(v => { gridLine(ctx, px(v), T, px(v), H - B); ctx.fillText(tickText(log ? 10 ** v : v), px(v), H - B + 14); });
    const catLabels = numeric ? [] : categoryLabels(ctx, cats, (W - L - R) / Math.max(1, cats.length));
    catLabels.forEach((c, i) => { if (c) ctx.fillText(c, px(i), H - B + 14); });
    ctx.textAlign = 'left'; ctx.fillText(metric + (ylog ? ' (log)' : ''), 4, H - 6);
    ctx.textAlign = 'center'; ctx.fillText(xName + (log ? ' (log)' : ''), L + (W - L - R) / 2, H - 6);
    ctx.textAlign = 'left';
    ctx.fillStyle = 'rgba(37,99,235,0.7)';
    finite.forEach((p, i) => {
      const jitter = numeric ? 0 : ((i * 7919) % 13 - 6) * 0.01;
      ctx.beginPath(); ctx.arc(px(fx(xs[i]) + jitter), py(fy(ys[i])), 3.5, 0, 7); ctx.fill();
    });
    canvas.dataset.log = String(log); canvas.dataset.ylog = String(ylog); canvas.dataset.hidden = points.length - finite.length;
    canvas.dataset.yticks = JSON.stringify(yTicks.map(v => tickText(ylog ? 10 ** v : v)));
    // a text alternative (only the heatmap had one): what is plotted against what, and how many points
    canvas.setAttribute('aria-label', `scatter of ${metric}${ylog ? ' (log)' : ''} against ${xName}${log ? ' (log)' : ''}:`
      + ` ${finite.length} run(s)`);
    canvas.dataset.xticks = JSON.stringify(numeric ? xTicks.map(v => tickText(log ? 10 ** v : v)) : catLabels);
    return { hidden: points.length - finite.length, log };
  }

  function category(p) { return p.x === null ? NONE : p.x; }

  /** The message an empty plot shows in its middle. */
  function emptyPlot(ctx, W, H, text) {
    ctx.save(); ctx.fillStyle = '#6b7280'; ctx.font = '13px sans-serif'; ctx.textAlign = 'center';
    ctx.fillText(text, W / 2, H / 2); ctx.restore();
  }

  /** Category labels cut to the room each has (they printed over each other); every k-th when too narrow. */
  function categoryLabels(ctx, cats, room) {
    const every = Math.max(1, Math.ceil(36 / room)), chars = Math.max(3, Math.floor(room * every / 6.5) - 1);
    return cats.map((c, i) => i % every ? '' : c.length > chars ? c.slice(0, chars - 1) + '…' : c);
  }

  function gridLine(ctx, x0, y0, x1, y1) {
    ctx.save(); ctx.strokeStyle = '#eef0f3'; ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke(); ctx.restore();
  }

  /** About 5 round ticks (1, 2 or 5 times a power of ten) within [lo, hi]. */
  function niceTicks(lo, hi) {
    const span = hi - lo;
    if (!(span > 0)) return [lo];
    const mag = 10 ** Math.floor(Math.log10(span / 5));
    const step = [1, 2, 5, 10].map(m => m * mag).find(st => span / st <= 6);
    const ticks = [];
    for (let k = Math.ceil(lo / step); k * step <= hi; k++) ticks.push(Number((k * step).toPrecision(12)));
    return ticks;
  }

  /** The whole powers of ten within [lo, hi] (log10 units), every other one past 8. */
  function decades(lo, hi) {
    const first = Math.ceil(lo), last = Math.floor(hi), every = last - first > 8 ? 2 : 1;
    const ticks = [];
    for (let k = first; k <= last; k += every) ticks.push(k);
    return ticks;
  }

  /** A tick label: 0.001, 0.25, 1000, 1e-4, 2.5e6 (no float noise such as 0.30000000000000004). */
  function tickText(v) {
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return Number(v.toPrecision(6)).toExponential().replace('e+', 'e');
    return String(Number(v.toPrecision(6)));
  }

  function range(values, categorical) {
    const v = values.filter(Number.isFinite);
    if (!v.length) return [0, 1];
    let lo = Math.min(...v), hi = Math.max(...v);
    if (categorical) { lo -= 0.5; hi += 0.5; }
    // one value: half of it either side (one run at learning rate 0.1 had an axis from -0.4 to 0.6)
    else if (lo === hi) { const half = lo === 0 ? 0.5 : Math.abs(lo) / 2; lo -= half; hi += half; }
    const pad = (hi - lo) * 0.05; return [lo - pad, hi + pad];
  }
  return { draw, tickText, emptyPlot };
})();

// Parallel coordinates on a canvas: one axis per param (numeric min..max, log when positive and
// spanning ≥ 2 decades; text values as evenly spaced categories) plus the metric axis; one polyline
// per run coloured by its metric value, non-finite metrics grey. Sets data-lines to the count drawn.
const AssayParallel = (() => {
  const { num, fmt } = Assay;
  const NONE = '(none)';

  function axisOf(label, values, isMetric) {
    const present = values.filter(v => v !== null && v !== undefined);
    const numeric = isMetric || (present.length > 0 && present.every(v => String(v).trim() !== '' && Number.isFinite(Number(v))));
    if (!numeric) {
      const cats = [...new Set(values.map(v => v === null || v === undefined ? NONE : String(v)))];
      const seen = cats.every(c => c !== NONE && Number.isFinite(Number(c)));
      cats.sort((a, b) => seen ? Number(a) - Number(b) : a.localeCompare(b));
      return { key: label, label, numeric: false, cats,
        pos: v => { const i = cats.indexOf(v === null || v === undefined ? NONE : String(v)); return cats.length > 1 ? i / (cats.length - 1) : 0.5; } };
    }
    const xs = values.map(v => v === null || v === undefined ? NaN : num(isMetric ? v : Number(v)));
    const finite = xs.filter(Number.isFinite);
    let lo = finite.length ? Math.min(...finite) : 0, hi = finite.length ? Math.max(...finite) : 1;
    const log = !isMetric && lo > 0 && hi / lo >= 100;
    const f = log ? Math.log10 : x => x;
    const a = f(lo), b = f(hi);
    return { key: label, label: label + (log ? ' (log)' : ''), numeric: true, lo, hi, missing: xs.some(x => !Number.isFinite(x)),
      pos: v => { const x = v === null || v === undefined ? NaN : num(isMetric ? v : Number(v));
        return Number.isFinite(x) ? (b > a ? (f(x) - a) / (b - a) : 0.5) : null; } };
  }

  function color(t) { // blue (low) → orange (high)
    const c = (x, y) => Math.round(x + (y - x) * t);
    return `rgba(${c(37, 234)},${c(99, 88)},${c(235, 12)},0.75)`;
  }

  function draw(canvas, runs, params, metric) {
    // as wide as the page allows (a fixed 1000 px widened an 800-px window), at least 480
    const room = canvas.parentElement ? canvas.parentElement.clientWidth - 40 : canvas.width;
    canvas.width = Math.max(480, Math.min(1400, room));
    const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height, L = 70, R = 110, T = 46, B = 40;
    ctx.clearRect(0, 0, W, H);
    canvas.dataset.empty = String(!runs.length);
    if (!runs.length) { // one lone axis labelled "1" for an experiment without runs
      AssayScatter.emptyPlot(ctx, W, H, 'No run to draw'); canvas.dataset.axes = '0';
      return;
    }
    const metricOf = r => r.metrics[metric] ? r.metrics[metric].last : null;
    const axes = params.map(p => axisOf(p, runs.map(r => r.params[p]), false))
      .concat([axisOf(metric, runs.map(metricOf), true)]);
    // params titled as the runs table and the CLI title them (learning_rate, optimizer.name), not by dotted key
    const names = Assay.shortNames(params);
    axes.forEach((a, i) => { if (i < params.length) a.label = names.get(params[i]) + a.label.slice(params[i].length); });
    const metricAxis = axes[axes.length - 1];
    const ax = i => axes.length > 1 ? L + i * (W - L - R) / (axes.length - 1) : W / 2;
    const ay = p => p === null ? H - B + 16 : H - B - p * (H - B - T);
    let lines = 0, grey = 0;
    const order = runs.map((r, i) => [r, i]).sort((a, b) => finiteMetric(b[0]) - finiteMetric(a[0]));
    function finiteMetric(r) { return Number.isFinite(num(metricOf(r))) ? 1 : 0; } // grey lines first, underneath
    ctx.lineWidth = 1.2;
    order.forEach(([r]) => {
      const m = num(metricOf(r)), finite = typeof m === 'number' && Number.isFinite(m);
      ctx.strokeStyle = finite ? color(metricAxis.hi > metricAxis.lo ? (m - metricAxis.lo) / (metricAxis.hi - metricAxis.lo) : 0.5)
        : 'rgba(156,163,175,0.8)';
      ctx.beginPath();
      axes.forEach((a, i) => {
        const v = i === axes.length - 1 ? metricOf(r) : r.params[a.key];
        const x = ax(i), y = ay(a.pos(v));
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      });
      if (axes.length === 1) ctx.arc(ax(0), ay(axes[0].pos(metricOf(r))), 2, 0, 7);
      ctx.stroke();
      lines++; if (!finite) grey++;
    });
    ctx.font = '11px sans-serif';
    axes.forEach((a, i) => {
      const x = ax(i);
      ctx.strokeStyle = '#374151'; ctx.lineWidth = 1; ctx.beginPath(); ctx.moveTo(x, T); ctx.lineTo(x, H - B); ctx.stroke();
      ctx.fillStyle = '#111827'; ctx.textAlign = i === 0 ? 'left' : i === axes.length - 1 ? 'right' : 'center';
      // titles take turns on two rows, each cut (from the left: the end of a dotted path tells
      // training.optimizer.beta1 from ...beta2) to the width two axes apart, so neighbours never overlap
      const chars = Math.max(6, Math.floor(((axes.length > 1 ? 2 * (W - L - R) / (axes.length - 1) : W) - 10) / 6.2));
      const title = a.label.length > chars ? '…' + a.label.slice(-(chars - 1)) : a.label;
      ctx.fillText(title, i === 0 ? Math.max(2, x - 30) : x, T - 8 - (i % 2) * 14);
      a.title = title;
      ctx.textAlign = 'left'; ctx.fillStyle = '#4b5563';
      const tick = (text, p) => ctx.fillText(text.length > 14 ? text.slice(0, 13) + '…' : text, x + 4, ay(p) + 4);
      // a parameter's ends as its values are written (1e-4, not the metric columns' 1.000e-4)
      const end = v => i === axes.length - 1 ? fmt(v) : AssayScatter.tickText(v);
      // one value (a param some runs lack): at the middle, where its lines meet (it read "0.9" at both ends)
      if (!a.numeric) a.cats.forEach(c => tick(c, a.pos(c)));
      else if (a.lo === a.hi) { a.ends = [end(a.lo)]; tick(a.ends[0], 0.5); }
      else { a.ends = [end(a.lo), end(a.hi)]; tick(a.ends[1], 1); tick(a.ends[0], 0); }
      if (a.numeric && a.missing) tick(i === axes.length - 1 ? 'NaN/none' : NONE, null);
    });
    canvas.dataset.lines = lines; canvas.dataset.grey = grey; canvas.dataset.axes = axes.length;
    canvas.setAttribute('aria-label', `parallel coordinates of ${params.length} param(s) against ${metric}: ${lines} run(s)`);
    canvas.dataset.titles = JSON.stringify(axes.map(a => a.title));
    canvas.dataset.ends = JSON.stringify(axes.map(a => a.ends || null));
  }
  return { draw };
})();
