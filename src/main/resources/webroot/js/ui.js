// Toasts and the confirmation dialog.
import { $, h, errorNodes } from './dom.js';
import { t } from './i18n.js';

export function toast(text, kind = 'ok') {
  const node = h('div', {class: 'toast toast-' + kind, role: kind === 'error' ? 'alert' : 'status',
    'data-testid': 'toast'}, text instanceof Array ? text : [text]);
  $('#toasts').append(node);
  setTimeout(() => node.classList.add('toast-out'), kind === 'error' ? 7000 : 3500);
  setTimeout(() => node.remove(), kind === 'error' ? 7400 : 3900);
}

export function toastError(err) {
  toast(errorNodes(err), 'error');
}

/** Resolves true when the user confirms. */
export function confirmDialog(title, text, okLabel) {
  const dialog = $('#confirm-dialog');
  $('#confirm-title').textContent = title;
  $('#confirm-text').textContent = text;
  $('#confirm-ok').textContent = okLabel || t('common.ok');
  return new Promise(resolve => {
    const finish = (answer) => {
      $('#confirm-ok').removeEventListener('click', ok);
      $('#confirm-cancel').removeEventListener('click', cancel);
      dialog.removeEventListener('close', cancel);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const ok = () => finish(true);
    const cancel = () => finish(false);
    $('#confirm-ok').addEventListener('click', ok);
    $('#confirm-cancel').addEventListener('click', cancel);
    dialog.addEventListener('close', cancel);
    dialog.showModal();
    $('#confirm-cancel').focus();
  });
}
