'use strict';
(() => {
  const { api, el, fmt, num, numCell, statusBadge, runLabel } = Assay;
  const PREFERRED = ['test_accuracy', 'val_accuracy', 'val_loss', 'train_loss', 'test_loss'];
  const state = { name: Assay.param('name'), filter: '', sort: '', order: 'asc', offset: 0, limit: 50,
    selected: new Set(), params: new Set(), metrics: new Set(), columns: null, page: null };

  function header(label, field) {
    const th = el('th', { class: 'sortable', title: 'sort by ' + field }, label);
    if (state.sort === field) th.classList.add('sorted-' + state.order);
    th.addEventListener('click', () => {
      state.order = state.sort === field && state.order === 'asc' ? 'desc' : 'asc';
      state.sort = field; state.offset = 0; loadPage();
    });
    return th;
  }

  function renderTable(page) {
    const params = [...state.params], metrics = [...state.metrics];
    const head = el('tr', {}, el('th', {}, ''), header('run', 'name'), header('status', 'status'), header('trial', 'trial'),
      params.map(p => header(p, 'params.' + p)), metrics.map(m => header(m, 'metrics.' + m)));
    const rows = page.runs.map(r => el('tr', { 'data-run': r.runId },
      el('td', {}, el('input', { type: 'checkbox', checked: state.selected.has(r.runId), onchange: ev => select(r.runId, ev.target.checked) })),
      el('td', {}, el('a', { href: '/run.html?id=' + r.runId }, runLabel(r))),
      el('td', { title: r.errorMessage || '' }, statusBadge(r.status)),
      el('td', { class: 'num' }, fmt(r.trialIndex)),
      params.map(p => el('td', {}, r.params[p] === undefined ? '' : r.params[p])),
      metrics.map(m => r.metrics[m] ? numCell(r.metrics[m].last) : el('td', {}, ''))));
    document.getElementById('runs').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  }

  function select(runId, on) {
    if (on) state.selected.add(runId); else state.selected.delete(runId);
    document.getElementById('compare').disabled = state.selected.size < 2;
  }

  function renderPager(page) {
    const last = Math.max(0, Math.ceil(page.total / state.limit) - 1), current = Math.floor(state.offset / state.limit);
    const go = p => { state.offset = p * state.limit; loadPage(); };
    document.getElementById('pager').replaceChildren(
      el('button', { disabled: current === 0, onclick: () => go(current - 1) }, '‹ prev'),
      el('span', {}, `page ${current + 1} of ${last + 1} · ${fmt(page.total)} matching runs`),
      el('button', { disabled: current >= last, onclick: () => go(current + 1) }, 'next ›'),
      el('label', {}, ' per page ', el('select', { onchange: ev => { state.limit = +ev.target.value; state.offset = 0; loadPage(); } },
        [25, 50, 100, 200, 500].map(n => el('option', { value: n, selected: n === state.limit }, String(n))))));
  }

  async function loadPage() {
    const error = document.getElementById('filter-error');
    try {
      const page = await api('/api/runs', { experiment: state.name, filter: state.filter, sort: state.sort,
        order: state.order, offset: state.offset, limit: state.limit });
      error.replaceChildren();
      state.page = page;
      renderTable(page); renderPager(page);
      const running = page.runs.some(r => r.status === 'running');
      document.getElementById('live').textContent = running ? 'live: refreshing every 2 s' : '';
    } catch (e) { Assay.showError(error, e); }
  }

  function renderChooser(columns) {
    const box = (kind, key, set) => el('label', {}, el('input', { type: 'checkbox', checked: set.has(key),
      onchange: ev => { if (ev.target.checked) set.add(key); else set.delete(key); if (state.page) renderTable(state.page); } }), ' ' + kind + key);
    document.getElementById('chooser').replaceChildren(
      columns.params.map(p => box('params.', p.key, state.params)), columns.metrics.map(m => box('metrics.', m, state.metrics)));
  }

  function initColumns(columns) {
    columns.params.filter(p => p.varying).forEach(p => state.params.add(p.key));
    const preferred = PREFERRED.filter(m => columns.metrics.includes(m));
    (preferred.length ? preferred : columns.metrics.slice(0, 4)).forEach(m => state.metrics.add(m));
    renderChooser(columns);
    const xs = document.getElementById('scatter-x'), ys = document.getElementById('scatter-y');
    const params = [...columns.params].sort((a, b) => b.varying - a.varying);
    xs.replaceChildren(...params.map(p => el('option', { value: 'params.' + p.key }, p.key)),
      el('option', { value: 'seed' }, 'seed'), el('option', { value: 'trial_key' }, 'trial key (repeats)'));
    ys.replaceChildren(...columns.metrics.map(m => el('option', { value: m, selected: m === [...state.metrics][0] }, m)));
    xs.addEventListener('change', loadScatter); ys.addEventListener('change', loadScatter);
  }

  async function loadScatter() {
    const x = document.getElementById('scatter-x').value, metric = document.getElementById('scatter-y').value;
    if (!x || !metric) return;
    const args = { experiment: state.name, metric, filter: state.filter };
    try {
      const [scatter, groups] = await Promise.all([api('/api/scatter', { ...args, x }), api('/api/groups', { ...args, by: x })]);
      AssayScatter.draw(document.getElementById('scatter'), scatter.points, x, metric);
      renderGroups(groups.groups, metric);
    } catch (e) { Assay.showError(document.getElementById('groups'), e); }
  }

  function renderGroups(groups, metric) {
    const none = g => !g.finiteCount && !g.nonFiniteCount;
    const mean = g => none(g) ? '—' : g.finiteCount ? `${fmt(g.mean)} ± ${g.finiteCount > 1 ? fmt(g.std) : '–'}` : 'NaN';
    const cell = (g, v) => none(g) ? el('td', { class: 'num muted' }, '—') : numCell(v);
    document.getElementById('groups').replaceChildren(
      el('thead', {}, el('tr', {}, ['value', 'runs', metric + ' mean ± std', 'min', 'max', 'NaN/Inf'].map(h => el('th', {}, h)))),
      el('tbody', {}, groups.map(g => el('tr', {}, el('td', {}, g.value === null ? '(none)' : g.value),
        el('td', { class: 'num' }, fmt(g.runs)), el('td', { class: 'num' }, mean(g)), cell(g, g.min), cell(g, g.max),
        el('td', { class: 'num' + (g.nonFiniteCount ? ' nonfinite' : '') }, fmt(g.nonFiniteCount))))));
  }

  async function init() {
    document.getElementById('title').textContent = 'Experiment ' + state.name;
    document.getElementById('apply').addEventListener('click', () => { state.filter = document.getElementById('filter').value; state.offset = 0; loadPage(); loadScatter(); });
    document.getElementById('filter').addEventListener('keydown', ev => { if (ev.key === 'Enter') document.getElementById('apply').click(); });
    document.getElementById('compare').addEventListener('click', () => { location.href = '/compare.html?runs=' + [...state.selected].join(','); });
    try {
      state.columns = await api('/api/columns', { experiment: state.name });
      document.getElementById('summary').textContent = `${fmt(state.columns.runCount)} runs · ${state.columns.params.length} params · ${state.columns.metrics.length} metrics`;
      initColumns(state.columns);
      await loadPage();
      loadScatter();
      Assay.poll(loadPage, 2000, () => state.page && state.page.runs.some(r => r.status === 'running'));
    } catch (e) { Assay.showError(document.getElementById('summary'), e); }
  }
  init();
})();

// A small canvas scatter: numeric x on a linear axis, text x as categories (with jitter).
const AssayScatter = (() => {
  const { num, fmt } = Assay;
  function draw(canvas, points, xName, metric) {
    const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height, L = 60, B = 40, T = 12, R = 12;
    ctx.clearRect(0, 0, W, H);
    const numeric = points.every(p => p.xNumber !== null);
    const cats = numeric ? [] : [...new Set(points.map(p => p.x === null ? '(none)' : p.x))];
    const xOf = p => numeric ? p.xNumber : cats.indexOf(p.x === null ? '(none)' : p.x);
    const finite = points.filter(p => Number.isFinite(num(p.y)));
    const xs = points.map(xOf), ys = finite.map(p => num(p.y));
    const [x0, x1] = range(xs, !numeric), [y0, y1] = range(ys, false);
    const px = x => L + (x - x0) / (x1 - x0 || 1) * (W - L - R), py = y => H - B - (y - y0) / (y1 - y0 || 1) * (H - B - T);
    ctx.strokeStyle = '#9ca3af'; ctx.strokeRect(L, T, W - L - R, H - B - T);
    ctx.fillStyle = '#374151'; ctx.font = '11px sans-serif';
    ctx.fillText(fmt(y1), 4, T + 10); ctx.fillText(fmt(y0), 4, H - B); ctx.fillText(metric, 4, H - 6);
    if (numeric) { ctx.fillText(fmt(x0), L, H - B + 14); ctx.fillText(fmt(x1), W - R - 40, H - B + 14); }
    else cats.forEach((c, i) => ctx.fillText(c.slice(0, 18), px(i) - 20, H - B + 14));
    ctx.fillText(xName, W / 2 - 30, H - 6);
    points.forEach((p, i) => {
      const y = num(p.y), jitter = numeric ? 0 : ((i * 7919) % 13 - 6) * 0.01;
      const cx = px(xs[i] + jitter);
      if (Number.isFinite(y)) { ctx.fillStyle = 'rgba(37,99,235,0.7)'; ctx.beginPath(); ctx.arc(cx, py(y), 3.5, 0, 7); ctx.fill(); }
      else { ctx.fillStyle = '#dc2626'; ctx.fillText(fmt(y), cx - 8, T + 12); }
    });
  }
  function range(values, categorical) {
    const v = values.filter(Number.isFinite);
    if (!v.length) return [0, 1];
    let lo = Math.min(...v), hi = Math.max(...v);
    if (categorical || lo === hi) { lo -= 0.5; hi += 0.5; }
    const pad = (hi - lo) * 0.05; return [lo - pad, hi + pad];
  }
  return { draw };
})();
