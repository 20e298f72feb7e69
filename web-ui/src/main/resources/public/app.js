// Shared helpers of the Assay pages. User text only ever reaches the page through textContent.
'use strict';

const Assay = (() => {
  /** Fetches JSON; rejects with the API's error sentence (and the HTTP status as `status`) on a non-2xx status. */
  async function api(path, params) {
    const query = new URLSearchParams();
    Object.entries(params || {}).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== '') query.set(k, v); });
    const response = await fetch(path + (query.toString() ? '?' + query : ''), { headers: { Accept: 'application/json' } });
    const text = await response.text();
    let body;
    try { body = JSON.parse(text); } catch (parse) { // a server or proxy page, not the API's JSON (e.g. 414)
      body = { error: `HTTP ${response.status} ${response.statusText}` + (response.status === 414
        ? ': the request is too long (shorten the filter)' : ': the answer is not JSON') };
    }
    if (!response.ok) { const e = new Error(body.error || response.statusText); e.body = body; e.status = response.status; throw e; }
    return body;
  }

  /** Decodes a JSON value: numbers stay numbers, "NaN" / "Infinity" / "-Infinity" become doubles. */
  function num(v) { return typeof v === 'string' ? Number(v) : v; }

  /**
   * Formats a metric value: a whole number below 1e6 in full, otherwise 5 significant digits, exponent
   * form below 1e-3 and from 1e6 up (a loss
   * of 6445540048896 reads 6.446e12: a float32 above 2^24 always holds a whole number, which used
   * to be printed digit by digit); NaN as "NaN", ±Infinity as "Inf"/"-Inf".
   */
  function fmt(v) {
    const x = num(v);
    if (x === null || x === undefined) return '';
    if (Number.isNaN(x)) return 'NaN';
    if (x === Infinity) return 'Inf';
    if (x === -Infinity) return '-Inf';
    if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
    const a = Math.abs(x);
    // exponents as params and the CLI write them (6.446e12, 1.5e-4, 3e-4): a learning rate of 3e-4 read
    // "3e-4" in its param column and "3.000e-4" in the metric summaries
    return (a !== 0 && (a < 1e-3 || a >= 1e6))
      ? x.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e') : String(Number(x.toPrecision(5)));
  }

  /**
   * Column names for param keys, as the CLI's tables write them: the key's last part, or its last
   * two where the last part says nothing alone (optimizer.name) or another shown key ends the same,
   * else the whole key. The full dotted keys pushed a sweep's metric columns off the screen; the
   * header's tooltip still names the whole key.
   */
  function shortNames(keys) {
    const GENERIC = new Set(['name', 'type', 'kind', 'mode', 'params']);
    const tail = (k, n) => k.split('.').slice(-n).join('.');
    const pick = (k, n) => n >= k.split('.').length ? k : tail(k, n);
    const names = new Map(keys.map(k => [k, pick(k, GENERIC.has(tail(k, 1)) ? 2 : 1)]));
    for (let n = 2; n <= 8; n++) {
      const counts = {};
      names.forEach(v => { counts[v] = (counts[v] || 0) + 1; });
      let clash = false;
      names.forEach((v, k) => { if (counts[v] > 1) { names.set(k, pick(k, n)); clash = true; } });
      if (!clash) break;
    }
    return names;
  }

  /**
   * A parameter value as tables show it: a decimal with more than 6 significant digits (a sampled
   * 0.04110815668956829) rounded to 6 (0.0411082), written with an exponent below 1e-4 and from 1e7
   * up (1.23457e-7); a short one in Java's exponent form as the rounded ones (1.0E-5 → 1e-5,
   * 1.0E12 → 1e12); anything else as recorded (the run page keeps the exact value). The CLI's
   * tables apply the same rule (ValueText).
   */
  /** A number in exponent form as ValueText and the plots' axes write it: 1e12, not JavaScript's 1e+12. */
  function exponent(n) { return n.toExponential().replace('e+', 'e'); }

  function paramText(v) {
    if (typeof v !== 'string' || !/[.eE]/.test(v)) return v;
    const n = Number(v);
    if (!Number.isFinite(n)) return v;
    // significant digits as written (BigDecimal's precision, as ValueText counts them): 1000000.0 has 8
    const digits = v.replace(/^[-+]/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').length;
    if (digits > 6) {
      const r = Number(n.toPrecision(6)), a = Math.abs(r);
      return a !== 0 && (a < 1e-4 || a >= 1e7) ? exponent(r) : String(r);
    }
    // Java's exponent form (1.0E-5) read beside the CLI's 1e-5: exponents are written as ValueText writes them
    return /E/.test(v) ? exponent(n) : v;
  }

  /** Formats a count (runs, bytes, points, an index): every digit. */
  function int(v) { return v === null || v === undefined ? '' : String(num(v)); }

  /** Creates an element; children are nodes or strings (added as text, never parsed as HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
    });
    children.flat().forEach(c => { if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c)); });
    return node;
  }

  function numCell(v) {
    const x = num(v);
    const bad = typeof x === 'number' && !Number.isFinite(x);
    return el('td', { class: 'num' + (bad ? ' nonfinite' : '') }, fmt(v));
  }

  /**
   * A run's status; a running run without a heartbeat for a minute (stale) is marked so, as its
   * process has most likely stopped.
   */
  function statusBadge(status, stale) {
    return stale ? el('span', { class: 'status status-stale', title: 'no heartbeat for over 60 s: its process has'
      + ' most likely stopped; the next `assay run` of this experiment marks it interrupted' }, status + ' · no heartbeat')
      : el('span', { class: 'status status-' + status }, status);
  }

  function time(ms) { return ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : ''; }

  function param(name) { return new URLSearchParams(location.search).get(name); }

  /**
   * Keeps a page's chart controls (#x, #log, #smoothing) in its address (x=epoch, log=1,
   * smoothing=0.6): a reload or a bookmark lost them (found by a new-user check), as the experiment
   * page keeps its sort and filter. Restores them from the address first; a value the control
   * cannot take is ignored.
   */
  function chartControlsInAddress() {
    const x = document.getElementById('x'), log = document.getElementById('log'), smoothing = document.getElementById('smoothing');
    const initial = { x: x.value, smoothing: smoothing.value };
    if ([...x.options].some(o => o.value === param('x'))) x.value = param('x');
    if (param('log') === '1') log.checked = true;
    const s = Number(param('smoothing'));
    if (param('smoothing') && Number.isFinite(s) && s >= +smoothing.min && s <= +smoothing.max) smoothing.value = s;
    const save = () => {
      const query = new URLSearchParams(location.search);
      const set = (k, v, dflt) => { if (v === dflt) query.delete(k); else query.set(k, v); };
      set('x', x.value, initial.x);
      set('log', log.checked ? '1' : '', '');
      set('smoothing', smoothing.value, initial.smoothing);
      history.replaceState(history.state, '', location.pathname + '?' + query.toString().replace(/%2C/g, ','));
    };
    [x, log, smoothing].forEach(c => c.addEventListener('input', save));
  }

  /**
   * The page's required query parameter; when it is missing, says which URL the page wants in
   * target and returns null.
   */
  function requireParam(name, example, target) {
    const value = param(name);
    if (!value) target.replaceChildren(el('div', { class: 'error' }, `This page needs ?${name}= in its address, e.g. ${example}; `,
      el('a', { href: '/' }, 'pick one from the experiments'), '.'));
    return value || null;
  }

  /**
   * A run's label in tables, headers and legends: its name, cut to 60 characters (a sweep over many
   * parameters names runs of up to 200, which pushed the other columns off the page), else its id.
   */
  function runLabel(run) {
    const name = run.runName || run.runId.slice(0, 8);
    return name.length > 60 ? name.slice(0, 59) + '…' : name;
  }

  function showError(target, e) { target.replaceChildren(el('div', { class: 'error' }, e.message)); }

  /** Polls fn every ms while active() is true; returns a stop function. */
  function poll(fn, ms, active) {
    const timer = setInterval(() => { if (active()) fn(); }, ms);
    return () => clearInterval(timer);
  }

  /** "1 run", "2 runs": a count and its noun, the noun in the plural unless the count is 1. */
  function count(n, noun) { return `${int(n)} ${noun}${n === 1 ? '' : 's'}`; }

  return { api, num, fmt, int, paramText, shortNames, count, el, numCell, statusBadge, time, param, chartControlsInAddress, requireParam, runLabel, showError, poll };
})();
