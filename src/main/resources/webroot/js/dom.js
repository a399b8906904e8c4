// Small DOM helpers. Text is always inserted as text nodes (never innerHTML), so data from the API is escaped.

/** h('tr', {class: 'x', dataset: {id: 1}, onclick: fn}, 'text', childNode, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

export function debounce(fn, ms) {
  let timer = null;
  const d = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(timer);
  return d;
}

/** Shows an error (an ApiError or any Error) in a banner element, or hides it when err is null. */
export function banner(el, err) {
  if (!err) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.replaceChildren(...errorNodes(err));
  el.hidden = false;
}

/** The message of an API error, with its stat code in small print: what RuQi's UIs never showed. */
export function errorNodes(err) {
  const nodes = [h('span', {class: 'err-msg'}, err.message || String(err))];
  if (err.stat) nodes.push(' ', h('code', {class: 'err-stat'}, err.stat));
  return nodes;
}
