// The status view's pictures, drawn with uPlot (served from the jar under vendor/): fires per minute by outcome
// and lateness p50/p99 over the last hour or day (history_stats), and one job's recent runs (job_history_list).
// Times are the service's wall clock, as everywhere in the console: they are plotted as UTC and shown as UTC.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { $, h, banner } from './dom.js';
import { call } from './api.js';
import { t, tOr } from './i18n.js';

// bottom to top in the stack; colours as the status badges
const OUTCOMES = [
  ['success', '#1f8a4c'], ['failed', '#c8372d'], ['timeout', '#d9822b'], ['interrupted', '#8e44ad'],
  ['missed', '#b7791f'], ['skipped', '#7f8aa3'],
];
const HEIGHT = 220;
const MIN_REFRESH_MS = 15000;

let win = '1h';
let charts = {};
let lastStats = null;
let lastRuns = null;
let fetchedAt = 0;

export function init() {
  for (const b of [$('#charts-1h'), $('#charts-24h')]) {
    b.addEventListener('click', () => {
      win = b.dataset.window;
      for (const o of [$('#charts-1h'), $('#charts-24h')]) o.setAttribute('aria-pressed', String(o === b));
      refresh(true);
    });
  }
  $('#timeline-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    refreshTimeline();
  });
}

/** Puts a job in the timeline's field (from a link); its runs are drawn at the next refresh. */
export function showJob(jobId) {
  if (jobId) $('#timeline-job').value = jobId;
}

export async function refresh(force) {
  if (!force && Date.now() - fetchedAt < MIN_REFRESH_MS) return;
  fetchedAt = Date.now();
  try {
    const stats = await call('history_stats', {window: win});
    banner($('#charts-error'), null);
    lastStats = stats;
    drawStats(stats);
  } catch (err) {
    banner($('#charts-error'), err);
  }
  if ($('#timeline-job').value.trim()) await refreshTimeline();
  else fillJobChoices();
}

export function relabel() {
  if (lastStats) drawStats(lastStats);
  if (lastRuns) drawTimeline(lastRuns);
}

async function fillJobChoices() {
  try {
    const jobs = await call('job_list', {page_index: 1, page_size: 100});
    $('#timeline-jobs').replaceChildren(...jobs.list.map(j => h('option', {value: j.job_id})));
    if (!$('#timeline-job').value && jobs.list.length) $('#timeline-job').placeholder = jobs.list[0].job_id;
  } catch (err) {
    // the datalist is a convenience; the charts' own banner shows API errors
  }
}

async function refreshTimeline() {
  const jobId = $('#timeline-job').value.trim() || $('#timeline-job').placeholder;
  if (!jobId) return;
  try {
    const runs = await call('job_history_list', {job_id: jobId, page_index: 1, page_size: 100});
    banner($('#timeline-error'), null);
    lastRuns = {jobId, list: runs.list};
    drawTimeline(lastRuns);
  } catch (err) {
    banner($('#timeline-error'), err);
  }
}

/** "YYYY-MM-DD HH:MM:SS" (the service's zone) as seconds of that wall clock read as UTC. */
function wallSeconds(text) {
  return Date.parse(text.replace(' ', 'T') + 'Z') / 1000;
}

function base(el, series, yLabel) {
  return {
    width: Math.max(320, el.clientWidth || 600),
    height: HEIGHT,
    tzDate: ts => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    legend: {live: true},
    scales: {x: {time: true}},
    axes: [{}, {label: yLabel, size: 60}],
    series: [{label: t('charts.time')}, ...series],
  };
}

function mount(name, el, opts, data) {
  if (charts[name]) charts[name].destroy();
  el.replaceChildren();
  charts[name] = new uPlot(opts, data, el);
  return charts[name];
}

function drawStats(stats) {
  const xs = stats.buckets.map(b => wallSeconds(b.start));
  const perMinute = 60 / stats.bucket_seconds;
  // stacked bars: series k is drawn at the sum of outcomes 0..k, the tallest first so the lower ones cover it
  const raw = OUTCOMES.map(([s]) => stats.buckets.map(b => (b.counts[s] || 0) * perMinute));
  const stacked = raw.map((_, k) => xs.map((__, i) => raw.slice(0, k + 1).reduce((sum, r) => sum + r[i], 0)));
  const order = OUTCOMES.map((_, k) => k).reverse();
  const bars = uPlot.paths.bars({size: [0.9, 40]});
  const firesEl = $('#chart-fires');
  const fires = mount('fires', firesEl, base(firesEl, order.map(k => ({
    label: tOr('status.' + OUTCOMES[k][0], OUTCOMES[k][0]),
    stroke: OUTCOMES[k][1], fill: OUTCOMES[k][1], paths: bars, points: {show: false},
    value: (u, v, si, idx) => idx == null ? '—' : fmt(raw[k][idx]),
  })), t('charts.perminute')), [xs, ...order.map(k => stacked[k])]);
  const runs = stats.buckets.reduce((n, b) => n + b.runs, 0);
  Object.assign(firesEl.dataset, {window: stats.window, buckets: String(xs.length), runs: String(runs),
    success: String(stats.buckets.reduce((n, b) => n + (b.counts.success || 0), 0))});
  void fires;

  const lateEl = $('#chart-lateness');
  const p50 = stats.buckets.map(b => b.lateness_p50_ms);
  const p99 = stats.buckets.map(b => b.lateness_p99_ms);
  mount('lateness', lateEl, base(lateEl, [
    {label: 'p50', stroke: '#2f6fdf', width: 2, spanGaps: true, points: {show: true, size: 4}},
    {label: 'p99', stroke: '#c8372d', width: 2, spanGaps: true, points: {show: true, size: 4}},
  ], 'ms'), [xs, p50, p99]);
  Object.assign(lateEl.dataset, {window: stats.window,
    measured: String(p50.filter(v => v != null).length),
    maxP99: String(Math.max(0, ...p99.filter(v => v != null)))});
}

function drawTimeline(runs) {
  const rows = [...runs.list].reverse(); // oldest first
  const xs = rows.map(r => wallSeconds(r.fire_time || r.c_time));
  // one series per outcome, holding only its runs: each point is coloured by how its run ended
  const present = OUTCOMES.filter(([s]) => rows.some(r => r.status === s));
  const el = $('#chart-timeline');
  const opts = base(el, present.map(([s, colour]) => ({
    label: tOr('status.' + s, s), stroke: colour, fill: colour, paths: () => null,
    points: {show: true, size: 9, fill: colour, stroke: colour},
  })), t('charts.seconds'));
  opts.scales.y = {range: (u, min, max) => [0, Math.max(max * 1.2, 0.01)]};
  mount('timeline', el, opts, [xs, ...present.map(([s]) => rows.map(r => r.status === s ? r.cmd_cost : null))]);
  Object.assign(el.dataset, {job: runs.jobId, runs: String(rows.length),
    outcomes: present.map(([s]) => s).join(' ')});
  el.prepend(h('p', {class: 'muted small'}, t('charts.timelinejob', {id: runs.jobId, n: rows.length})));
}

function fmt(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
