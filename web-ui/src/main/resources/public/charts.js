// Line charts over uPlot (served from the WebJar). NaN and ±Infinity are drawn as gaps in the line
// and as red markers labelled "NaN", "Inf" or "-Inf" along the top of the plot.
'use strict';

const AssayCharts = (() => {
  const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777',
    '#4b5563', '#65a30d', '#7c3aed', '#0d9488'];

  /** TensorBoard-style debiased exponential moving average; non-finite points stay gaps. */
  function smooth(ys, weight) {
    if (!weight) return ys;
    let last = 0, n = 0;
    return ys.map(y => {
      if (y === null || !Number.isFinite(y)) return y;
      last = last * weight + (1 - weight) * y; n++;
      return last / (1 - Math.pow(weight, n));
    });
  }

  /**
   * x values for a series: step, fractional epoch, or seconds since t0 (the run's start, in ms;
   * every series of a run shares it, so a metric logged once at the end sits at the end).
   */
  function xValues(s, mode, t0, ends) {
    if (mode === 'wall') {
      const start = t0 === undefined ? s.wallTimeMillis[0] : t0;
      return s.wallTimeMillis.map(t => (t - start) / 1000);
    }
    if (mode !== 'epoch') return s.step.slice();
    const counts = new Map(); s.epoch.forEach(e => counts.set(e, (counts.get(e) || 0) + 1));
    const seen = new Map();
    return s.epoch.map((e, i) => {
      const j = (seen.get(e) || 0) + 1; seen.set(e, j);
      // by its step between the run's epoch bounds: spread by their order within the epoch, batch
      // points logged every 20 steps of 29-step epochs sat at the wrong epoch (step 40 at 2.0)
      const start = e === 1 ? 0 : ends && ends.get(e - 1), end = ends && ends.get(e), step = s.step[i];
      if (start !== undefined && end !== undefined && end > start && step > start && step <= end) {
        return e - 1 + (step - start) / (end - start);
      }
      return e - 1 + j / counts.get(e);
    });
  }

  /**
   * The last step logged in each epoch over all of a run's series (epoch → step). A task logs an
   * epoch's metrics at the epoch's last step, so these bound each epoch on the epoch axis.
   */
  function epochEnds(seriesList) {
    const ends = new Map();
    seriesList.forEach(s => s.epoch.forEach((e, i) => { if (!(ends.get(e) >= s.step[i])) ends.set(e, s.step[i]); }));
    return ends;
  }

  /**
   * Turns one API series into an uPlot table [xs, ys] (raw values; line() adds the smoothed ones)
   * plus its non-finite markers. uPlot needs
   * increasing x: points logged in the same millisecond (wall-time axis) are moved 1 µs apart
   * instead of dropped (a spike or a NaN among them vanished). undrawn (a Map, filled here) gets
   * the text of each value left out of the line (NaN, ±Inf, a value ≤ 0 on a log scale) by x, for
   * the legend: it read "–", "no point here", at a NaN point.
   */
  function table(s, opts, markers, color, t0, ends, undrawn = new Map()) {
    const xs = xValues(s, opts.x, t0, ends), ys = [], xOut = [];
    s.value.forEach((v, i) => {
      const y = Assay.num(v);
      const x = xOut.length && !(xs[i] > xOut[xOut.length - 1]) ? xOut[xOut.length - 1] + 1e-6 : xs[i];
      xOut.push(x);
      if (!Number.isFinite(y)) { markers.push({ x, text: Assay.fmt(y), color }); ys.push(null); undrawn.set(x, Assay.fmt(y)); }
      else if (opts.log && y <= 0) { ys.push(null); undrawn.set(x, Assay.fmt(y)); }
      else ys.push(y);
    });
    return [xOut, ys];
  }

  /**
   * The colour of the i-th run of a comparison: the palette's 12, then hues a golden angle apart
   * (137.5°), so that 30 runs do not share colours.
   */
  function runColor(i) {
    return i < COLORS.length ? COLORS[i] : `hsl(${Math.round((i * 137.508) % 360)}, 70%, 42%)`;
  }

  function drawMarkers(u, markers) {
    const ctx = u.ctx;
    ctx.save();
    ctx.font = `${10 * devicePixelRatio}px sans-serif`;
    markers.forEach(m => {
      const x = u.valToPos(m.x, 'x', true);
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      const top = u.bbox.top;
      ctx.fillStyle = '#dc2626'; ctx.strokeStyle = m.color;
      ctx.beginPath(); ctx.moveTo(x - 5, top); ctx.lineTo(x + 5, top); ctx.lineTo(x, top + 9); ctx.closePath(); ctx.fill();
      ctx.setLineDash([3, 3]); ctx.beginPath(); ctx.moveTo(x, top + 9); ctx.lineTo(x, top + u.bbox.height); ctx.stroke();
      ctx.setLineDash([]); ctx.fillText(m.text, x + 6, top + 10 * devicePixelRatio);
    });
    ctx.restore();
  }

  /**
   * Width in px of a y axis with these tick labels: about 7 px a character of uPlot's 12 px axis
   * font (7.5 px, for wide digits) plus the ticks' gap, at least 60 (a fixed 60 cut "5.000e-4" to
   * ".000e-4").
   */
  function axisWidth(labels) {
    const longest = (labels || []).reduce((n, v) => Math.max(n, v === null || v === undefined ? 0 : String(v).length), 0);
    return Math.max(60, 18 + 7.5 * longest);
  }

  const X_LABELS = { step: 'step', epoch: 'epoch', wall: 'seconds since the run started' };

  /**
   * The x axis's tick labels with as many decimals as the ticks' spacing needs: uPlot's default kept
   * 3, so a 0.1-s run's wall-time ticks 0.0785, 0.079, 0.0795 read "0.079 0.079 0.08 0.08".
   */
  function xLabels(splits) {
    const values = splits.filter(v => v !== null && v !== undefined);
    let spacing = Infinity;
    for (let i = 1; i < values.length; i++) {
      const d = Math.abs(values[i] - values[i - 1]);
      if (d > 0) spacing = Math.min(spacing, d);
    }
    let decimals = 0;
    if (Number.isFinite(spacing)) {
      decimals = Math.max(0, Math.ceil(-Math.log10(spacing) - 1e-9));
      // 2.5e-4 needs one more than 1e-4
      while (decimals < 12 && Math.abs(spacing * 10 ** decimals - Math.round(spacing * 10 ** decimals)) > 1e-6) decimals++;
    }
    return splits.map(v => v === null || v === undefined ? '' : Math.abs(v) >= 1e6 ? Assay.fmt(v)
      : Number(v.toFixed(decimals)).toFixed(decimals));
  }

  // the steps between y ticks: uPlot's own stop near 5e15, so a diverging loss (1e30) got no y ticks
  // or grid lines at all; 1, 2, 2.5 and 5 times every power of ten a double holds
  /** Tick spacings for the step axis: whole numbers only. */
  const STEP_INCRS = [];
  for (let e = 0; e <= 15; e++) [1, 2, 5].forEach(m => STEP_INCRS.push(m * 10 ** e));

  const Y_INCRS = [];
  for (let e = -300; e <= 300; e++) [1, 2, 2.5, 5].forEach(m => Y_INCRS.push(Number(m + 'e' + e)));

  /**
   * Draws one chart into container. series: [{label, data: API series, t0: the run's start in ms,
   * ends: the run's epochEnds (for the epoch axis)}];
   * opts: {x, log, smoothing}; view (optional): what the reader set on the chart before a redraw
   * (a live page redraws every 2 s), kept up to date here: {zoom: {min, max} of x or null, hidden:
   * Set of series labels switched off in the legend, cursor: {left, top} of the pointer over the plot or
   * null}. Returns the uPlot instance.
   */
  function line(container, series, opts, view) {
    const markers = [];
    const color = (s, i) => s.color || COLORS[i % COLORS.length];
    const undrawn = series.map(() => new Map());
    const tables = series.map((s, i) => table(s.data, opts, markers, color(s, i), s.t0, s.ends, undrawn[i]));
    // a log axis cannot show zero or negative values: say how many are left out rather than hide them
    const hidden = opts.log ? series.reduce((n, s) => n + s.data.value.filter(v => Assay.num(v) <= 0).length, 0) : 0;
    if (hidden) {
      container.append(Assay.el('div', { class: 'muted log-note' },
        `log scale: ${Assay.int(hidden)} value(s) ≤ 0 not drawn`));
    }
    const raw = tables.length === 1 ? tables[0] : uPlot.join(tables), n = series.length;
    // smoothing draws the raw series faintly behind the smoothed one (as TensorBoard does): the
    // smoothed line alone hid the raw values, and the legend gave the smoothed value as if raw
    const smoothed = opts.smoothing > 0;
    const data = smoothed ? raw.concat(raw.slice(1).map(ys => smooth(ys, opts.smoothing))) : raw;
    if (smoothed) {
      container.append(Assay.el('div', { class: 'muted smooth-note' }, `smoothing ${opts.smoothing.toFixed(2)}:`
        + ' faint lines raw, solid lines smoothed; the legend reads raw (smoothed)'));
    }
    const shown = s => !(view && view.hidden.has(s.label));
    const rawSeries = (s, i) => ({ label: s.label + (smoothed ? ' (raw)' : ''), stroke: color(s, i), width: smoothed ? 1 : 1.5,
      alpha: smoothed ? 0.3 : 1, spanGaps: false, show: shown(s),
      // a test metric's one point would hide under the last validation point at the default size
      points: { show: s.data.value.length <= 40, size: s.data.value.length <= 2 ? 10 : 5 },
      value: (u, v, si, di) => legendValue(u, v, di, undrawn[si - 1]) });
    const smoothSeries = (s, i) => ({ label: s.label, stroke: color(s, i), width: 1.5, spanGaps: false, show: shown(s),
      points: { show: false }, value: (u, v, si, di) => smoothedLegendValue(u, v, si - n, di, undrawn[si - n - 1]) });
    const width = Math.max(300, container.clientWidth - 16);
    const u = new uPlot({
      width, height: 240,
      // one x value (a test metric's single point) got uPlot's range 0..2x (0-36 for step 18; uPlot pads
      // it before the range function sees it): one step either side
      scales: { x: { time: false, range: (u, min, max) => {
          const xs = u.data[0];
          return xs && xs.length && xs[0] === xs[xs.length - 1] ? [xs[0] - 1, xs[0] + 1] : [min, max];
        } },
        // a log scale spans whole decades, so that the lowest point sits on or above the lowest label (a
        // loss from 2.36 to 5.4e22 had its scale start at 2, under its last label at 1000)
        y: opts.log ? { distr: 3, range: (u, min, max) => decadeRange(min, max) } : { distr: 1, range: linearRange } },
      cursor: { dataIdx: atCursor },
      // uPlot's default tick labels keep 3 decimals, so 0.0015 and 0.002 both read "0.002"
      // steps are whole numbers: ticks 1, 1.1, ... 2 on a 2-step run and 84.2, 84.4 on a one-point chart
      axes: [{ label: X_LABELS[opts.x] || 'step', ...(opts.x === 'step' || !opts.x ? { incrs: STEP_INCRS } : {}),
          values: (u, splits) => {
            const labels = xLabels(splits);
            u.root.dataset.xTicks = labels.join(' '); // drawn on a canvas: for the DOM's readers
            return labels;
          } },
        { size: (u, labels) => axisWidth(labels), incrs: Y_INCRS,
          // on a log scale: a label and grid line at every decade, or every k-th for a wide span (1..9 times
          // every decade over 22 decades filled the plot solid grey)
          ...(opts.log ? { splits: (u, i, min, max) => decadeSplits(min, max), filter: (u, splits) => splits } : {}),
          values: (u, splits) => {
            const labels = splits.map(v => v === null || v === undefined ? '' : Assay.fmt(v));
            u.root.dataset.yTicks = labels.join(' '); // what the y axis shows (drawn on a canvas): for the DOM's readers
            return labels;
          } }],
      series: [{ label: X_LABELS[opts.x] || 'step' }].concat(series.map(rawSeries), smoothed ? series.map(smoothSeries) : []),
      hooks: { draw: [u => drawMarkers(u, markers)], setSelect: [u => remember(u, view)],
        setSeries: [(u, i) => toggled(u, i, smoothed ? n : 0, view)],
        // where the pointer is (uPlot moves the cursor off the plot when it leaves): a live page's redraw
        // every 2 s blanked the hover readout under a pointer that had not moved
        setCursor: [u => { if (view) view.cursor = u.cursor.left >= 0 ? { left: u.cursor.left, top: u.cursor.top } : null; }] },
    }, data, container);
    // one legend entry a series: the smoothed one's, which switches its raw line too
    if (smoothed) [...u.root.querySelectorAll('.u-legend .u-series')].slice(1, n + 1).forEach(r => { r.style.display = 'none'; });
    if (view) {
      u.over.addEventListener('dblclick', () => { view.zoom = null; }); // uPlot's own reset of the zoom
      if (view.zoom) u.setScale('x', view.zoom);
      if (view.cursor) u.setCursor(view.cursor);
    }
    // a text alternative for the plot's canvas: its series and x axis (the legend beside it reads the values)
    u.ctx.canvas.setAttribute('role', 'img');
    u.ctx.canvas.setAttribute('aria-label', `line chart of ${series.map(s => s.label).join(', ')} against `
      + (X_LABELS[opts.x] || 'step') + (opts.log ? ', log scale' : ''));
    return u;
  }

  /**
   * uPlot's own linear range (10% padding), but 0 to 1 for a series that is 0 throughout: uPlot gave
   * a seq2seq run's all-zero exact_match an axis from 0 to 100.
   */
  function linearRange(u, min, max) {
    if (min == null) return [null, null];
    return min === 0 && max === 0 ? [0, 1] : uPlot.rangeNum(min, max, 0.1, true);
  }

  /** [10^floor(log10 min), 10^ceil(log10 max)] for positive values; [0.1, 10] around none. */
  function decadeRange(min, max) {
    if (!(min > 0) || !(max > 0)) return [0.1, 10];
    const lo = Math.floor(Math.log10(min)), hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
    return [Number('1e' + lo), Number('1e' + hi)];
  }

  /** Powers of ten from min to max, every k-th decade so that at most 8 are labelled. */
  function decadeSplits(min, max) {
    const lo = Math.round(Math.log10(min)), hi = Math.round(Math.log10(max));
    const every = Math.max(1, Math.ceil((hi - lo) / 7)), out = [];
    for (let e = lo; e <= hi; e += every) out.push(Number('1e' + e));
    return out;
  }

  /**
   * The hover legend reads every series at the x under the cursor: uPlot's default moved each
   * series to its nearest point, so at step 43 a legend showed a test_loss logged only at step 258.
   */
  function atCursor(u, seriesIdx, cursorIdx) { return cursorIdx; }

  /**
   * A legend value: blank when not hovering; at the hovered x the series' value, the text of a value
   * the line leaves out ("NaN", "Inf", one ≤ 0 on a log scale: undrawn, by x), or "–" for no point.
   */
  function legendValue(u, v, dataIdx, undrawn) {
    if (dataIdx === null || dataIdx === undefined) return '';
    if (v !== null && v !== undefined) return Assay.fmt(v);
    return undrawn.get(u.data[0][dataIdx]) || '–';
  }

  /** A smoothed series' legend value: the raw value at the hovered x, the smoothed one in parentheses. */
  function smoothedLegendValue(u, v, rawIdx, dataIdx, undrawn) {
    const raw = legendValue(u, dataIdx === null || dataIdx === undefined ? null : u.data[rawIdx][dataIdx], dataIdx, undrawn);
    return raw === '' || raw === '–' || v === null || v === undefined ? raw : `${raw} (${Assay.fmt(v)})`;
  }

  /**
   * A series switched on or off in the legend: remembered in view by label; with smoothing (raw
   * series 1..rawCount, smoothed after them) the smoothed series' raw line follows it.
   */
  function toggled(u, i, rawCount, view) {
    if (!i || (rawCount && i <= rawCount)) return;
    if (rawCount) u.setSeries(i - rawCount, { show: u.series[i].show });
    if (view) { if (u.series[i].show) view.hidden.delete(u.series[i].label); else view.hidden.add(u.series[i].label); }
  }

  /** Keeps the x range the reader dragged out (uPlot zooms to a drag-selection). */
  function remember(u, view) {
    if (view && u.select.width > 0) {
      view.zoom = { min: u.posToVal(u.select.left, 'x'), max: u.posToVal(u.select.left + u.select.width, 'x') };
    }
  }

  /** A chart's view before any reader action: not zoomed, every series shown, no pointer over it. */
  function newView() { return { zoom: null, hidden: new Set(), cursor: null }; }

  /** The base name charts group metrics by: train_loss, val_loss and test_loss share "loss". */
  function baseName(key) { return key.replace(/^(train|val|validation|test|batch)_/, ''); }

  /**
   * One colour per split on every chart of a run: train blue, validation red, test green, batch
   * purple; a metric without such a prefix takes the palette colour of its place in the chart.
   */
  const SPLIT_COLORS = { train: COLORS[0], val: COLORS[1], validation: COLORS[1], test: COLORS[2], batch: COLORS[3] };
  function splitColor(key, i) {
    const m = /^(train|val|validation|test|batch)_/.exec(key);
    return m ? SPLIT_COLORS[m[1]] : COLORS[(i + 4) % COLORS.length];
  }

  return { line, newView, baseName, splitColor, runColor, table, xValues, epochEnds, axisWidth, COLORS };
})();
