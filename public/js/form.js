// Progressive enhancement for the survey form. Everything works without this file:
// conditional questions are shown with a note, ranking uses one select per place, and Back and
// Next post the form (the server keeps the answers so far in the page).
import { setupPages } from './form-pages.js';

const form = document.getElementById('survey-form');

function readStrings() {
  try {
    return JSON.parse(form?.dataset.strings || '{}');
  } catch {
    return {};
  }
}

function fill(template, values) {
  return String(template || '').replace(/\{(\w+)\}/g, (_, key) => (key in values ? String(values[key]) : ''));
}

/* ---- Conditional questions: show and hide live. ---- */
function chosenValues(questionId) {
  const inputs = form.querySelectorAll(`[name="q:${CSS.escape(questionId)}"]`);
  return Array.from(inputs)
    .filter((input) => (input.type === 'radio' || input.type === 'checkbox' ? input.checked : input.value !== ''))
    .map((input) => input.value);
}

function setupConditions() {
  const conditional = Array.from(form.querySelectorAll('[data-show-if]'));
  if (!conditional.length) return;
  const update = () => {
    for (const wrapper of conditional) {
      let rule;
      try {
        rule = JSON.parse(wrapper.dataset.showIf);
      } catch {
        continue;
      }
      const shown = chosenValues(rule.question).some((v) => rule.anyOf.includes(v));
      wrapper.hidden = !shown;
      const note = wrapper.querySelector('.question__condition');
      if (note) note.hidden = true;
    }
  };
  form.addEventListener('change', update);
  update();
}

/* ---- Ranking: tap or press to add, move up and down, remove. Writes into the selects. ---- */
function setupRanking(container, strings) {
  const selects = Array.from(container.querySelectorAll('select'));
  const maxTop = Number(container.dataset.top) || selects.length;
  let options = Array.from(selects[0].options)
    .filter((o) => o.value)
    .map((o) => ({ id: o.value, label: o.textContent.trim() }));
  // A form shown again after a post lists only what was chosen; every option is in data-all-options.
  try {
    if (container.dataset.allOptions) options = JSON.parse(container.dataset.allOptions);
  } catch {
    /* keep the select's options */
  }
  const allOptions = options;
  const labelOf = (id) => allOptions.find((o) => o.id === id)?.label ?? id;
  // Places the page did not render (fewer were chosen when it was made) are added as hidden fields.
  const fields = [...selects];
  for (let place = selects.length + 1; place <= maxTop; place++) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = `rank:${container.dataset.ranking}:${place}`;
    container.append(input);
    fields.push(input);
  }
  let chosen = selects.map((s) => s.value).filter(Boolean);
  let top = maxTop;

  // A ranking of what was chosen in an earlier question (rankFrom) offers only that, live.
  const wrapper = container.closest('[data-rank-from]');
  const sourceName = wrapper ? `q:${wrapper.dataset.rankFrom}` : '';
  const instructions = wrapper?.querySelector('.ranking__instructions');
  const allInstructions = instructions?.textContent ?? '';
  wrapper?.querySelector('.ranking__from')?.setAttribute('hidden', '');
  const narrow = () => {
    if (!sourceName) return;
    const picked = Array.from(form.querySelectorAll(`input[name="${CSS.escape(sourceName)}"]:checked`)).map((input) => input.value);
    options = allOptions.filter((o) => picked.includes(o.id));
    top = Math.min(maxTop, options.length);
    // With fewer than two there is nothing to order, and nothing is sent for the ranking.
    chosen = options.length < 2 ? [] : chosen.filter((id) => picked.includes(id)).slice(0, top);
    wrapper.hidden = options.length < 2;
    if (instructions) instructions.textContent = options.length <= maxTop ? strings.orderChosen : allInstructions;
  };
  narrow();

  container.querySelector('.ranking__places').hidden = true;
  const ui = document.createElement('div');
  ui.className = 'rank-ui';
  const uid = `rank-${container.dataset.ranking}`;
  ui.innerHTML = `
    <p class="rank-ui__title" id="${uid}-chosen-title"></p>
    <ol class="rank-ui__chosen" aria-labelledby="${uid}-chosen-title"></ol>
    <p class="rank-ui__title" id="${uid}-pool-title"></p>
    <ul class="rank-ui__pool" aria-labelledby="${uid}-pool-title"></ul>
    <p class="visually-hidden" aria-live="polite" data-live></p>`;
  ui.querySelector(`#${uid}-chosen-title`).textContent = strings.chosen;
  ui.querySelector(`#${uid}-pool-title`).textContent = strings.available;
  container.append(ui);
  const chosenList = ui.querySelector('.rank-ui__chosen');
  const pool = ui.querySelector('.rank-ui__pool');
  const live = ui.querySelector('[data-live]');

  const sync = () => {
    fields.forEach((field, i) => {
      field.value = chosen[i] ?? '';
    });
    form.dispatchEvent(new Event('change'));
  };

  const button = (className, text, label, onClick) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = text;
    if (label) b.setAttribute('aria-label', label);
    b.addEventListener('click', onClick);
    return b;
  };

  const render = (focus) => {
    chosenList.replaceChildren();
    if (!chosen.length) {
      const li = document.createElement('li');
      li.className = 'rank-ui__empty';
      li.textContent = strings.emptyList;
      chosenList.append(li);
    }
    chosen.forEach((id, i) => {
      const li = document.createElement('li');
      const number = document.createElement('span');
      number.className = 'rank-ui__number';
      number.textContent = String(i + 1);
      number.setAttribute('aria-hidden', 'true');
      const label = document.createElement('span');
      label.className = 'rank-ui__label';
      label.textContent = labelOf(id);
      const up = button('icon-button', '↑', fill(strings.up, { label: labelOf(id) }), () => move(i, -1, 'up'));
      const down = button('icon-button', '↓', fill(strings.down, { label: labelOf(id) }), () => move(i, 1, 'down'));
      const remove = button('icon-button', '✕', fill(strings.remove, { label: labelOf(id) }), () => {
        chosen.splice(i, 1);
        live.textContent = fill(strings.announceRemoved, { label: labelOf(id) });
        sync();
        render({ pool: id });
      });
      up.disabled = i === 0;
      down.disabled = i === chosen.length - 1;
      up.dataset.key = `${id}:up`;
      down.dataset.key = `${id}:down`;
      li.append(number, label, up, down, remove);
      chosenList.append(li);
    });
    pool.replaceChildren();
    for (const option of options) {
      if (chosen.includes(option.id)) continue;
      const li = document.createElement('li');
      const add = button('button', `+ ${option.label}`, fill(strings.add, { label: option.label }), () => {
        if (chosen.length >= top) return;
        chosen.push(option.id);
        live.textContent = fill(strings.announceAdded, { label: option.label, place: chosen.length });
        sync();
        render({ pool: option.id });
      });
      add.dataset.key = `${option.id}:add`;
      if (chosen.length >= top) add.setAttribute('aria-disabled', 'true');
      li.append(add);
      pool.append(li);
    }
    if (focus?.key) ui.querySelector(`[data-key="${CSS.escape(focus.key)}"]`)?.focus();
    else if (focus?.pool) (pool.querySelector('button:not([aria-disabled])') || chosenList.querySelector('button'))?.focus();
  };

  function move(index, delta, direction) {
    const target = index + delta;
    if (target < 0 || target >= chosen.length) return;
    const [id] = chosen.splice(index, 1);
    chosen.splice(target, 0, id);
    live.textContent = fill(strings.announceMoved, { label: labelOf(id), place: target + 1 });
    sync();
    const atEdge = (direction === 'up' && target === 0) || (direction === 'down' && target === chosen.length - 1);
    render({ key: `${id}:${atEdge ? (direction === 'up' ? 'down' : 'up') : direction}` });
  }

  form.addEventListener('survey:cleared', () => {
    chosen = [];
    narrow();
    render();
  });
  // Answers put back from a draft on this device: read the places again, and what may be ranked.
  form.addEventListener('survey:restored', () => {
    chosen = fields.map((field) => field.value).filter(Boolean);
    narrow();
    fields.forEach((field, i) => (field.value = chosen[i] ?? ''));
    render();
  });
  if (sourceName) {
    form.addEventListener('change', (event) => {
      if (event.target?.name !== sourceName) return;
      const before = chosen.join();
      narrow();
      if (chosen.join() !== before) sync();
      else fields.forEach((field, i) => (field.value = chosen[i] ?? ''));
      render();
    });
  }
  render();
}

/* ---- An answer like "none of these" clears the others, and choosing another clears it. ---- */
function setupExclusive() {
  form.addEventListener('change', (event) => {
    const input = event.target;
    if (input?.type !== 'checkbox' || !input.checked) return;
    const group = Array.from(form.querySelectorAll(`input[type=checkbox][name="${CSS.escape(input.name)}"]`));
    if (!group.some((other) => other.hasAttribute('data-exclusive'))) return;
    const exclusive = input.hasAttribute('data-exclusive');
    // "Other" text would count as choosing Other as well, which the exclusive answer rules out.
    const otherText = exclusive ? form.querySelector(`input[name="${CSS.escape(`other:${input.name.slice(2)}`)}"]`) : null;
    if (otherText) otherText.value = '';
    for (const other of group) {
      if (other !== input && other.checked && (exclusive || other.hasAttribute('data-exclusive'))) {
        other.checked = false;
        other.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
  });
  // Typing an "Other" answer is choosing Other, so it clears an exclusive answer too.
  form.addEventListener('input', (event) => {
    const text = event.target;
    if (!text?.name?.startsWith('other:') || !text.value.trim()) return;
    const name = `q:${text.name.slice('other:'.length)}`;
    for (const box of form.querySelectorAll(`input[type=checkbox][name="${CSS.escape(name)}"][data-exclusive]:checked`)) {
      box.checked = false;
      box.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
}

/**
 * A new submission id. `crypto.randomUUID` exists only on HTTPS (or localhost): a kiosk served
 * over plain HTTP on a library network would otherwise send the next person's answers under the
 * previous person's id, and the server would refuse them as a reused id.
 */
function newSubmissionId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Empties every answer (kiosk: the next person starts from nothing) and gives the form a new id. */
function clearForm() {
  for (const el of form.elements) {
    if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
    else if (el.tagName === 'SELECT') el.value = '';
    else el.value = '';
  }
  const sid = form.querySelector('input[name=sid]');
  if (sid) sid.value = newSubmissionId();
  form.dispatchEvent(new Event('survey:cleared'));
  form.dispatchEvent(new Event('change'));
}

function showSaved(strings) {
  const panel = document.getElementById('saved-on-device');
  if (!panel) return;
  panel.querySelector('[data-saved-message]').textContent = strings.savedOnDevice;
  panel.hidden = false;
  panel.focus();
}

/**
 * With JavaScript, a submission is saved on the device first and then sent; if sending fails
 * (offline, timeout, server error) the person is told it will be sent automatically, and a
 * kiosk goes on to the next person. Without IndexedDB the plain form post is used.
 */
function setupSubmission(strings, pages) {
  const kiosk = Boolean(document.querySelector('[data-kiosk-form]'));
  // The listener is attached at once; the queue module is awaited inside it, so even a very
  // quick first submission goes through the queue.
  const ready = (async () => {
    const mod = await import('./offline-queue.js').catch(() => null);
    if (!mod || !(await mod.queue.available())) return null;
    mod.startQueue();
    return mod;
  })();
  form.addEventListener('submit', async (event) => {
    if (event.submitter?.name === 'switchLang') return;
    event.preventDefault();
    if (form.dataset.sending === '1') return;
    // The last page is checked like the others before anything is sent.
    if (pages && !pages.check()) return;
    form.dataset.sending = '1';
    const button = form.querySelector('.form-actions button');
    button?.setAttribute('aria-disabled', 'true');
    const sid = form.querySelector('input[name=sid]')?.value;
    const queueModule = await ready;
    // Without the queue the plain post goes; the draft stays until the thank-you page (public/js/thanks.js).
    if (!queueModule || !sid) return form.submit();
    // Kept to send, and sent when the connection allows: a draft on this device is no longer needed.
    form.dispatchEvent(new Event('survey:sent'));
    const item = { sid, action: form.action, body: new URLSearchParams(new FormData(form)).toString(), createdAt: Date.now(), attempts: 0, kiosk };
    try {
      await queueModule.queue.put(item);
    } catch {
      return form.submit();
    }
    const result = await queueModule.send(item);
    if (result.kind === 'stored') {
      await queueModule.queue.remove(sid).catch(() => undefined);
      return window.location[kiosk ? 'replace' : 'assign'](result.redirect || form.action);
    }
    if (result.kind === 'invalid' || result.kind === 'conflict') {
      // Let the server show what needs fixing, with everything typed kept.
      await queueModule.queue.remove(sid).catch(() => undefined);
      return form.submit();
    }
    void queueModule.flush();
    showSaved(strings);
    form.dataset.sending = '';
    button?.removeAttribute('aria-disabled');
    if (kiosk) {
      clearForm();
      pages?.show(0);
      window.scrollTo(0, 0);
    } else {
      form.hidden = true;
    }
  });
  window.addEventListener('pageshow', () => {
    form.dataset.sending = '';
    form.querySelector('.form-actions button')?.removeAttribute('aria-disabled');
  });
}

if (form) {
  const strings = readStrings();
  // A page that answers a post becomes a plain entry in the history: Back to it (or a reload)
  // loads it afresh instead of asking to send the form again.
  if (form.dataset.posted !== undefined) history.replaceState(history.state, '', location.href);
  setupExclusive();
  setupConditions();
  form.querySelectorAll('.ranking[data-ranking]').forEach((container) => setupRanking(container, strings));
  const pages = setupPages(form, strings);
  setupSubmission(strings, pages);
  // Where people stop (dashboard): a page reached with Next for the first time in this filling is
  // reported by its number alone (no answers, no id); Back and Next again is not a new page reached.
  const funnel = form.dataset.funnel;
  const reached = form.querySelector('[data-reached-field]');
  if (pages && funnel && reached) {
    form.addEventListener('survey:page', (event) => {
      const page = event.detail?.page;
      if (event.detail?.step !== 'next' || !(page > Number(reached.value))) return;
      reached.value = String(page);
      navigator.sendBeacon?.(funnel, new URLSearchParams({ page: String(page + 1) }));
    });
    // The next person on a kiosk (or a shared computer) starts from the first page.
    form.addEventListener('survey:cleared', () => {
      reached.value = '0';
    });
  }
  // On the person's own device, answers are kept as they are typed (never on a kiosk or a link for shared computers).
  if (form.dataset.drafts !== undefined) import('./form-drafts.js').then((m) => m.setupDrafts(form, pages)).catch(() => undefined);
  // A shared computer restoring this page from the back/forward cache would show the previous person's answers.
  if (form.dataset.shared !== undefined) {
    window.addEventListener('pageshow', (event) => {
      if (!event.persisted) return;
      clearForm();
      pages?.show(0);
      window.scrollTo(0, 0);
    });
  }
}
