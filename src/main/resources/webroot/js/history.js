// The history view: every fire of every job (or of one), with filters, paging and the output of each run.
import { $, h, banner } from './dom.js';
import { call } from './api.js';
import { t, tOr, lang } from './i18n.js';
import { pager } from './jobs.js';

const PAGE_SIZE = 20;
const FILTERS = [['job_id', '#h-job-id'], ['job_name', '#h-job-name'], ['is_success', '#h-success'], ['status', '#h-status']];

const state = {filters: {}, page: 1, data: null, renderedKey: null, maxSeenId: null};

export function init() {
  $('#history-filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.filters = {};
    for (const [k, sel] of FILTERS) {
      const v = $(sel).value.trim();
      if (v) state.filters[k] = v;
    }
    state.page = 1;
    syncHash();
    refresh();
  });
  for (const sel of ['#h-success', '#h-status']) {
    $(sel).addEventListener('change', () => $('#history-filters').requestSubmit());
  }
  $('#history-search-reset').addEventListener('click', () => {
    for (const [, sel] of FILTERS) $(sel).value = '';
    $('#history-filters').requestSubmit();
  });
  $('#history-refresh').addEventListener('click', () => refresh());
}

export function show(params) {
  state.filters = {};
  for (const [k, sel] of FILTERS) {
    const v = params.get(k) || '';
    $(sel).value = v;
    if (v) state.filters[k] = v;
  }
  state.page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  refresh();
}

function syncHash() {
  const q = new URLSearchParams(state.filters);
  if (state.page > 1) q.set('page', state.page);
  const s = q.toString();
  history.replaceState(null, '', '#/history' + (s ? '?' + s : ''));
}

export async function refresh() {
  try {
    const data = await call('job_history_list', {...state.filters, page_index: state.page, page_size: PAGE_SIZE});
    banner($('#history-error'), null);
    state.data = data;
    render();
  } catch (err) {
    banner($('#history-error'), err);
  }
}

/** Live events that change this view: any fire_* event means a new history row. */
export function wants(event) {
  return String(event.event || '').startsWith('fire_');
}

export function relabel() {
  state.renderedKey = null;
  render();
}

function render() {
  const data = state.data;
  if (!data) return;
  const key = lang() + JSON.stringify(data);
  if (key === state.renderedKey) return;
  state.renderedKey = key;
  const previousMax = state.maxSeenId;
  const rows = data.list.map(r => row(r, previousMax != null && r.id > previousMax));
  for (const r of data.list) state.maxSeenId = Math.max(state.maxSeenId ?? 0, r.id);
  if (state.maxSeenId == null) state.maxSeenId = 0;
  if (rows.length === 0) {
    rows.push(h('tr', {class: 'empty'}, h('td', {colspan: 9},
      Object.keys(state.filters).length ? t('history.nomatch') : t('history.empty'))));
  }
  $('#history-tbody').replaceChildren(...rows);
  const exact = data.total_exact !== false;
  pager($('#history-pager'), data.total, state.page, PAGE_SIZE, t(exact ? 'history.count' : 'history.count.more',
    {n: data.total}), (p) => {
    state.page = p;
    syncHash();
    refresh();
  }, exact);
}

function row(r, fresh) {
  const output = r.cmd_output || '';
  const firstLine = output.split('\n').find(l => l.trim() !== '') || '';
  return h('tr', {class: fresh ? 'fresh' : null, dataset: {historyId: r.id, jobId: r.job_id, status: r.status},
    'data-testid': 'history-row'},
    h('td', {class: 'muted mono'}, r.id),
    h('td', null,
      h('a', {class: 'mono strong', href: '#/history?job_id=' + encodeURIComponent(r.job_id),
        title: t('history.only', {id: r.job_id})}, r.job_id),
      h('div', {class: 'muted small'}, r.job_name)),
    h('td', null, h('span', {class: 'badge status-' + r.status, 'data-testid': 'history-status'},
      tOr('status.' + r.status, r.status || (r.cmd_is_success ? 'success' : 'failed')))),
    h('td', {class: 'mono nowrap'}, r.fire_time || r.c_time,
      r.start_time && r.start_time !== r.fire_time
        ? h('div', {class: 'muted small'}, t('history.started', {time: r.start_time})) : null),
    h('td', {class: 'mono nowrap num'}, r.cmd_cost == null ? '—' : formatCost(r.cmd_cost)),
    h('td', {class: 'mono small'}, r.scheduler_name || '—'),
    h('td', {class: 'mono num'}, r.attempt ?? '—'),
    h('td', {class: 'mono num'}, r.exit_code ?? '—'),
    h('td', {class: 'output-cell'},
      h('button', {type: 'button', class: 'output-peek mono', 'data-testid': 'history-output',
        title: t('history.showoutput'), onclick: () => openOutput(r)},
        firstLine || h('span', {class: 'muted'}, t('history.nooutput')))));
}

function formatCost(s) {
  return s < 1 ? Math.round(s * 1000) + ' ms' : s.toFixed(s < 10 ? 2 : 1) + ' s';
}

function openOutput(r) {
  $('#output-title').textContent = t('output.title', {id: r.job_id, time: r.fire_time || r.c_time});
  const meta = [
    ['field.cmd', r.cmd], ['field.status', tOr('status.' + r.status, r.status)], ['field.node', r.scheduler_name],
    ['field.fire_time', r.fire_time], ['history.start', r.start_time], ['field.cost', r.cmd_cost == null ? null : formatCost(r.cmd_cost)],
    ['field.attempt', r.attempt], ['field.exit_code', r.exit_code],
  ];
  $('#output-meta').replaceChildren(...meta.filter(([, v]) => v != null && v !== '')
    .flatMap(([k, v]) => [h('dt', null, t(k)), h('dd', {class: 'mono'}, String(v))]));
  $('#output-text').textContent = r.cmd_output || t('history.nooutput');
  $('#output-dialog').showModal();
}
