// The calendars view: the named calendars of days (holidays) that jobs skip or run only on; list, edit, delete.
import { $, h, banner } from './dom.js';
import { call } from './api.js';
import { t, lang } from './i18n.js';
import { toast, toastError, confirmDialog } from './ui.js';

let data = null;
let renderedKey = null;
let editing = null; // the calendar being edited, or null when adding

export function init() {
  $('#calendars-refresh').addEventListener('click', () => refresh());
  $('#calendar-add-btn').addEventListener('click', () => openForm(null));
  $('#calendar-form').addEventListener('submit', save);
  $('#calendar-cancel').addEventListener('click', () => $('#calendar-dialog').close());
  $('#calendar-close').addEventListener('click', () => $('#calendar-dialog').close());
}

export function show() {
  refresh();
}

/** Live events: none tell of calendars; the view is read when shown and after each change made here. */
export function wants() {
  return false;
}

export function relabel() {
  renderedKey = null;
  render();
}

export async function refresh() {
  try {
    data = await call('calendar_list');
    banner($('#calendars-error'), null);
    render();
  } catch (err) {
    banner($('#calendars-error'), err);
  }
}

function render() {
  if (!data) return;
  const key = lang() + JSON.stringify(data);
  if (key === renderedKey) return;
  renderedKey = key;
  const rows = data.list.map(row);
  if (rows.length === 0) rows.push(h('tr', {class: 'empty'}, h('td', {colspan: 5}, t('calendars.empty'))));
  $('#calendars-tbody').replaceChildren(...rows);
}

function row(c) {
  const days = c.days.length > 6 ? c.days.slice(0, 6).join(', ') + ', …' : c.days.join(', ');
  return h('tr', {'data-calendar': c.calendar},
    h('td', {class: 'mono'}, c.calendar),
    h('td', {class: 'mono', title: c.days.join('\n')}, days || '—'),
    h('td', null, String(c.version)),
    h('td', {class: 'mono'}, c.u_time),
    h('td', {class: 'actions'},
      h('button', {type: 'button', class: 'btn btn-small', 'data-testid': 'calendar-edit',
        onclick: () => openForm(c)}, t('jobs.edit')),
      h('button', {type: 'button', class: 'btn btn-small btn-danger', 'data-testid': 'calendar-delete',
        onclick: () => remove(c.calendar)}, t('jobs.delete'))));
}

function openForm(c) {
  editing = c;
  banner($('#calendar-form-error'), null);
  $('#calendar-dialog-title').textContent = c ? t('calendars.edit', {name: c.calendar}) : t('calendars.add');
  $('#f-calendar-name').value = c ? c.calendar : '';
  $('#f-calendar-name').readOnly = Boolean(c);
  $('#f-calendar-days').value = c ? c.days.join('\n') : '';
  $('#calendar-dialog').showModal();
  (c ? $('#f-calendar-days') : $('#f-calendar-name')).focus();
}

async function save(ev) {
  ev.preventDefault();
  const name = $('#f-calendar-name').value.trim();
  // one text: the service splits it at commas and white space, and says which entry is wrong
  const days = $('#f-calendar-days').value;
  try {
    await call('calendar_set', {calendar: name, days});
    $('#calendar-dialog').close();
    toast(t('calendars.saved', {name}));
    refresh();
  } catch (err) {
    banner($('#calendar-form-error'), err);
  }
}

async function remove(name) {
  if (!await confirmDialog(t('calendars.confirm.title'), t('calendars.confirm.text', {name}), t('jobs.delete'))) {
    return;
  }
  try {
    await call('calendar_delete', {calendar: name});
    toast(t('calendars.deleted', {name}));
    refresh();
  } catch (err) {
    toastError(err); // e.g. jobs still name it: the message names them
  }
}
