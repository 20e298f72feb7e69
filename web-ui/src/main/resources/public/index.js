'use strict';
(() => {
  const { api, el, fmt, time } = Assay;
  async function load() {
    const content = document.getElementById('content');
    try {
      const experiments = await api('/api/experiments');
      if (!experiments.length) {
        content.replaceChildren('No experiments yet. Start one with: assay run FILE');
        setTimeout(load, 10000);
        return;
      }
      const rows = experiments.map(e => el('tr', {},
        el('td', { class: 'wrap' }, el('a', { href: '/experiment.html?name=' + encodeURIComponent(e.name) }, e.name)),
        el('td', { class: 'num' }, Assay.int(e.runCount)),
        el('td', { class: 'num' }, e.runningCount ? Assay.int(e.runningCount) : '',
          e.staleCount ? el('span', { class: 'muted', title: 'running, but no heartbeat for over 60 s: the process has'
            + ' most likely stopped' }, ` (${Assay.int(e.staleCount)} stale)`) : ''),
        el('td', {}, time(e.lastActivityMillis)),
        el('td', { class: 'muted wrap' }, e.description || '')));
      content.className = '';
      content.replaceChildren(el('table', { id: 'experiments' },
        el('thead', {}, el('tr', {}, ['Experiment', 'Runs', 'Running', 'Last activity (UTC)', 'Description'].map(h => el('th', {}, h)))),
        el('tbody', {}, rows)));
      // every 2 s while a run is going, every 10 s otherwise: an experiment started after the page opened
      // appeared only with a reload
      setTimeout(load, experiments.some(e => e.runningCount > 0) ? 2000 : 10000);
    } catch (e) { Assay.showError(content, e); }
  }
  load();
})();
