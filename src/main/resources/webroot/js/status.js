// The status view: scheduler_status of the node that answers, the nodes seen firing in recent history, and the
// worker nodes the answering node hears.
import { $, h, banner } from './dom.js';
import { call } from './api.js';
import { t, tOr } from './i18n.js';
import * as charts from './charts.js';

const ORDER = ['node', 'timezone', 'check_time', 'next_wakeup_time', 'wait_seconds', 'heap_size', 'in_flight',
  'history_queue', 'store_ok', 'store_errors', 'clock_skew_ms', 'current_lateness_ms', 'lateness'];
const AUTO_MS = 5000;

let timer = null;
let last = null;

export function init() {
  $('#status-refresh').addEventListener('click', () => refresh(true));
  charts.init();
}

/** params: job, the job whose runs the timeline shows (the jobs list links here) */
export function show(params) {
  charts.showJob(params && params.get('job'));
  refresh(true);
  clearInterval(timer);
  timer = setInterval(() => {
    if (!document.hidden) refresh();
  }, AUTO_MS);
}

export function hide() {
  clearInterval(timer);
  timer = null;
}

/** Live events that change this view: fires (the nodes table); the scheduler's own figures refresh on a timer. */
export function wants(event) {
  return String(event.event || '').startsWith('fire_');
}

export function relabel() {
  if (last) render(last.status, last.history);
  charts.relabel();
}

/** force: also redraw the charts now (else at most every few seconds: fires come often, the picture moves slowly) */
export async function refresh(force = false) {
  try {
    const [status, history] = await Promise.all([
      call('scheduler_status'),
      call('job_history_list', {page_index: 1, page_size: 200}),
    ]);
    banner($('#status-error'), null);
    last = {status, history};
    render(status, history);
  } catch (err) {
    banner($('#status-error'), err);
  }
  await charts.refresh(force);
}

function render(status, history) {
  $('#status-node').textContent = status.node || '?';
  const keys = ORDER.filter(k => k in status)
    .concat(Object.keys(status).filter(k => !ORDER.includes(k) && k !== 'workers'));
  $('#status-table tbody').replaceChildren(...keys.map(k => h('tr', {dataset: {key: k}},
    h('th', null, tOr('sched.' + k, k), h('span', {class: 'key muted small mono'}, k)),
    h('td', {class: 'mono'}, value(k, status[k])))));

  const nodes = new Map();
  for (const r of history.list) {
    const name = r.scheduler_name || '?';
    const n = nodes.get(name) || {name, last: null, runs: 0, bad: 0};
    n.runs++;
    if (r.status !== 'success') n.bad++;
    const time = r.fire_time || r.c_time;
    if (!n.last || time > n.last) n.last = time;
    nodes.set(name, n);
  }
  const rows = [...nodes.values()].sort((a, b) => a.name.localeCompare(b.name)).map(n =>
    h('tr', {dataset: {node: n.name}},
      h('td', {class: 'mono strong'}, n.name, n.name === status.node ? h('span', {class: 'tag tag-here'}, t('status.here')) : null),
      h('td', {class: 'mono'}, n.last || '—'),
      h('td', {class: 'num'}, n.runs),
      h('td', {class: 'num'}, n.bad)));
  if (rows.length === 0) rows.push(h('tr', {class: 'empty'}, h('td', {colspan: 4}, t('history.empty'))));
  $('#nodes-table tbody').replaceChildren(...rows);
  renderWorkers(status.workers || []);
}

function renderWorkers(workers) {
  const rows = workers.map(w => h('tr', {dataset: {worker: w.worker}},
    h('td', {class: 'mono strong'}, w.worker),
    h('td', null, (w.labels || []).map(l => h('span', {class: 'tag'}, l))),
    h('td', {class: 'num'}, w.running + ' / ' + w.capacity),
    h('td', {class: 'num'}, w.last_seen_ms)));
  if (rows.length === 0) rows.push(h('tr', {class: 'empty'}, h('td', {colspan: 4}, t('status.noworkers'))));
  $('#workers-table tbody').replaceChildren(...rows);
}

function value(key, v) {
  if (v == null) return '—';
  if (typeof v === 'boolean') {
    return h('span', {class: 'badge ' + (v ? 'status-success' : 'status-failed')}, v ? t('common.yes') : t('common.no'));
  }
  if (typeof v === 'object') {
    return h('span', null, Object.entries(v).map(([k, x]) => h('span', {class: 'kvpair'}, k + ' ' + JSON.stringify(x))));
  }
  return String(v);
}
