// The dashboard's page: polls /dashboard/series and /dashboard/projection and draws them with uPlot.
// No build step: plain JavaScript that today's browsers run as it is.
'use strict';
(() => {
  const SERIES_EVERY_MS = 2000;
  const PROJECTION_EVERY_MS = 5000;
  const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf',
    '#bcbd22', '#7f7f7f', '#393b79', '#aaaaaa'];

  // The token, when the server wants one, comes in the address (?token=) because a browser cannot add a header
  // to the page itself. Take it out of the address bar and the history at once; every request for data then
  // sends it as the header the rest of the API takes.
  const query = new URLSearchParams(location.search);
  const token = query.get('token');
  if (token !== null) {
    query.delete('token');
    const rest = query.toString();
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : ''));
  }
  const headers = token ? { Authorization: 'Bearer ' + token } : {};

  async function getJson(path) {
    const response = await fetch(path, { headers, cache: 'no-store' });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(path + ': ' + (body.error || 'HTTP ' + response.status));
    }
    return body;
  }

  const status = document.getElementById('status');
  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', Boolean(isError));
  }

  // The time charts: each line is [name, column of a kind's figures, scale]; "%" has an axis on the right.
  const TIME_CHARTS = [
    { id: 'loss', lines: [['loss', 'loss']] },
    { id: 'steps', lines: [['steps/s', 'stepsPerSecond']] },
    { id: 'items', lines: [['in', 'itemsIn'], ['embedded', 'itemsEmbedded']] },
    { id: 'versions', lines: [['served', 'servedVersion'], ['published', 'publishedVersion'],
      ['backfill %', 'backfillPercent', '%']] },
    { id: 'probe', lines: [['alignment', 'probeAlignment'], ['uniformity', 'probeUniformity']] },
  ];
  const DASHES = [[], [6, 4], [2, 3]]; // a chart's lines differ by dash too, for a reader who cannot tell colours

  // One chart on the page: its uPlot, remade only when its lines change (a kind shows up), else given new data.
  class Chart {
    constructor(id) {
      this.figure = document.getElementById('chart-' + id);
      this.plot = this.figure.querySelector('.plot');
      this.key = null;
      this.uplot = null;
    }

    width() {
      return Math.max(300, this.plot.clientWidth || this.figure.clientWidth - 20);
    }

    draw(key, makeOptions, data) {
      if (key !== this.key) {
        if (this.uplot) {
          this.uplot.destroy();
        }
        this.plot.textContent = '';
        const options = makeOptions();
        options.width = this.width();
        options.hooks = { draw: [u => this.counted(u)] };
        this.uplot = new uPlot(options, data, this.plot);
        this.key = key;
      } else {
        this.uplot.setData(data);
      }
    }

    // What a test (and a curious reader of the DOM) can check: how many values the chart drew, in how many lines.
    counted(u) {
      let points = 0;
      for (let i = 1; i < u.data.length; i++) {
        const values = u.mode === 2 ? u.data[i][0] : u.data[i];
        for (const v of values) {
          if (v != null) {
            points++;
          }
        }
      }
      this.figure.dataset.points = String(points);
      this.figure.dataset.series = String(u.series.length - 1);
    }

    empty(text) {
      if (this.uplot) {
        this.uplot.destroy();
        this.uplot = null;
        this.key = null;
      }
      this.plot.innerHTML = '';
      const p = document.createElement('p');
      p.className = 'empty';
      p.textContent = text;
      this.plot.appendChild(p);
      this.figure.dataset.points = '0';
    }

    resize() {
      if (this.uplot) {
        this.uplot.setSize({ width: this.width(), height: this.uplot.height });
      }
    }
  }

  const charts = {};
  for (const c of TIME_CHARTS) {
    charts[c.id] = new Chart(c.id);
  }
  charts.dead = new Chart('dead');
  charts.projection = new Chart('projection');
  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));

  // The kinds worth a line: those that took items in. When none has yet, all of them (their zeros are news too).
  function shownKinds(series) {
    const all = Object.keys(series.kinds);
    const busy = all.filter(k => series.kinds[k].itemsIn.some(v => v > 0));
    return busy.length ? busy : all;
  }

  function timeOptions(lines) {
    const hasPercent = lines.some(l => l.scale === '%');
    const axes = [{}, { scale: 'y' }];
    if (hasPercent) {
      axes.push({ scale: '%', side: 1, grid: { show: false }, values: (u, ticks) => ticks.map(t => t + '%') });
    }
    const scales = { x: { time: true } };
    if (hasPercent) {
      scales['%'] = { range: [0, 100] };
    }
    return {
      height: 220,
      ms: 1, // the series' times are epoch milliseconds
      scales,
      axes,
      series: [{}].concat(lines.map(l => ({
        label: l.label, stroke: l.colour, dash: l.dash, width: 1.5, scale: l.scale || 'y', spanGaps: false,
      }))),
    };
  }

  function drawSeries(series) {
    const kinds = shownKinds(series);
    for (const chart of TIME_CHARTS) {
      const lines = [];
      kinds.forEach((kind, k) => chart.lines.forEach(([name, column, scale], j) => lines.push({
        label: kinds.length > 1 ? kind + ' ' + name : name, values: series.kinds[kind][column],
        colour: PALETTE[(k * chart.lines.length + j) % PALETTE.length], dash: DASHES[j % DASHES.length], scale,
      })));
      if (!series.time.length || !lines.length) {
        charts[chart.id].empty('waiting for the learner');
        continue;
      }
      charts[chart.id].draw(lines.map(l => l.label).join('|'), () => timeOptions(lines),
        [series.time].concat(lines.map(l => l.values)));
    }
    if (series.time.length) {
      charts.dead.draw('dead', () => timeOptions([{ label: 'dead letters', colour: PALETTE[3], dash: [] }]),
        [series.time, series.deadLetters]);
    } else {
      charts.dead.empty('waiting for the learner');
    }
    const newest = series.time.length - 1;
    const parts = kinds.map(k => {
      const f = series.kinds[k];
      const version = f.servedVersion[newest];
      return k + ': ' + (f.itemsIn[newest] ?? 0).toLocaleString() + ' in, '
        + (f.itemsEmbedded[newest] ?? 0).toLocaleString() + ' embedded' + (version != null ? ', serves v' + version : '');
    });
    say(newest < 0 ? 'waiting for the learner' : new Date(series.time[newest]).toLocaleTimeString() + ' · '
      + parts.join(' · '));
  }

  // The scatter: one series per label group, drawn as points in uPlot's faceted mode (x and y per series).
  const kindPicker = document.getElementById('projection-kind');
  let projectionKind = null;
  kindPicker.addEventListener('change', () => {
    projectionKind = kindPicker.value;
    pollProjection();
  });

  function drawProjection(p) {
    const note = document.getElementById('projection-note');
    const kinds = p.kinds || [];
    if (kindPicker.options.length !== kinds.length || kinds.some((k, i) => kindPicker.options[i].value !== k)) {
      kindPicker.replaceChildren(...kinds.map(k => new Option(k, k)));
    }
    if (p.kind) {
      kindPicker.value = p.kind;
    }
    kindPicker.hidden = kinds.length < 2;
    if (!p.points) {
      note.textContent = '';
      charts.projection.empty('no embeddings sampled yet');
      return;
    }
    const pct = x => (100 * x).toFixed(1) + '%';
    note.textContent = p.points + ' newest ' + p.kind + ' embeddings of v' + p.version + ' (of ' + p.sampled
      + ' sampled); the plane holds ' + pct(p.explained[0] + p.explained[1]) + ' of their variance';
    const groups = p.groups;
    const labelled = groups.some(g => g.label !== null);
    const key = p.kind + '|' + groups.map(g => g.label).join('|');
    charts.projection.draw(key, () => ({
      mode: 2,
      height: 420,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [{ label: 'PC1 (' + pct(p.explained[0]) + ')' }, { label: 'PC2 (' + pct(p.explained[1]) + ')' }],
      series: [{}].concat(groups.map((g, i) => {
        const colour = g.label === null && !labelled ? PALETTE[0] : PALETTE[i % PALETTE.length];
        return {
          label: g.label === null ? (labelled ? 'no label' : 'embeddings') : 'label ' + g.label,
          stroke: colour, fill: colour + 'aa',
          facets: [{ scale: 'x', auto: true }, { scale: 'y', auto: true }],
          paths: uPlot.paths.points(), points: { show: false, size: 5, width: 0 },
        };
      })),
    }), [null].concat(groups.map(g => [g.x, g.y])));
  }

  let seriesFailed = false;
  async function pollSeries() {
    try {
      drawSeries(await getJson('/dashboard/series'));
      seriesFailed = false;
    } catch (e) {
      seriesFailed = true;
      say('cannot read the series: ' + e.message, true);
    }
  }

  async function pollProjection() {
    try {
      drawProjection(await getJson('/dashboard/projection'
        + (projectionKind ? '?kind=' + encodeURIComponent(projectionKind) : '')));
    } catch (e) {
      charts.projection.empty(e.message);
      if (!seriesFailed) {
        say('cannot read the projection: ' + e.message, true);
      }
    }
  }

  pollSeries();
  pollProjection();
  setInterval(pollSeries, SERIES_EVERY_MS);
  setInterval(pollProjection, PROJECTION_EVERY_MS);
})();
