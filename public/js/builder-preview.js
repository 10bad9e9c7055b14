// Progressive enhancement for the builder's preview and in-place editing. Without this file the
// preview frame shows the saved question, "Preview my changes" opens the typed one in a new tab,
// and in-place edits are ordinary form posts. With it, the frame follows the typing (the server
// renders the respondents' own templates for the unsaved question), and in-place edits save
// without leaving the page.

function readStrings() {
  const node = document.querySelector('[data-builder-strings]');
  try {
    return node ? JSON.parse(node.dataset.builderStrings || '{}') : {};
  } catch {
    return {};
  }
}

const strings = readStrings();
const fill = (template, values) => String(template || '').replace(/\{(\w+)\}/g, (_, k) => (k in values ? String(values[k]) : ''));
const post = (url, form) => fetch(url, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { Accept: 'application/json' }, credentials: 'same-origin' });

/* ---- A frame as tall as its page (the whole-survey preview), so the staff page scrolls, not the frame. ---- */
function fitFrame(frame) {
  const doc = frame.contentDocument;
  if (doc?.documentElement) frame.style.blockSize = `${doc.documentElement.scrollHeight + 4}px`;
}

function setupFittedFrames() {
  for (const frame of document.querySelectorAll('iframe[data-fit]')) {
    frame.addEventListener('load', () => fitFrame(frame));
    if (frame.contentDocument?.readyState === 'complete') fitFrame(frame);
  }
  window.addEventListener('resize', () => document.querySelectorAll('iframe[data-fit]').forEach(fitFrame));
}

/* ---- The question editor's live preview. ---- */
// Scrolls the frame's own page only (scrollIntoView would scroll the staff page as well).
function showQuestion(frame, id) {
  const doc = frame.contentDocument;
  const target = doc?.getElementById(`q-${id}`);
  if (!target || !doc.scrollingElement) return;
  doc.scrollingElement.scrollTop = Math.max(0, target.getBoundingClientRect().top + doc.scrollingElement.scrollTop - 8);
}

function setupLivePreview() {
  const panel = document.querySelector('[data-preview]');
  const form = document.querySelector('[data-question-form]');
  if (!panel || !form) return;
  const frame = panel.querySelector('iframe');
  const note = panel.querySelector('[data-preview-note]');
  const problems = panel.querySelector('[data-preview-problems]');
  const list = panel.querySelector('[data-preview-problem-list]');
  const status = panel.querySelector('[data-preview-status]');
  const id = panel.dataset.previewQuestion;
  // The frame follows the typing: the button for a new tab is for pages without this script.
  panel.querySelector('[data-preview-button]')?.setAttribute('hidden', '');
  frame.addEventListener('load', () => showQuestion(frame, id));
  showQuestion(frame, id);

  let timer = 0;
  let latest = 0;
  const refresh = async () => {
    const mine = ++latest;
    try {
      const res = await post(panel.dataset.preview, form);
      const data = await res.json();
      if (mine !== latest) return; // a newer edit is on its way
      if (res.ok) {
        frame.srcdoc = data.html;
        frame.dataset.language = data.language;
        note.textContent = data.note || '';
        note.hidden = !data.note;
        problems.hidden = true;
        panel.classList.remove('preview-panel--stale');
        if (status) status.textContent = '';
        return;
      }
      list.replaceChildren(...(data.error?.problems || []).map((p) => {
        const item = document.createElement('li');
        item.textContent = p.message;
        return item;
      }));
      problems.hidden = false;
      panel.classList.add('preview-panel--stale');
    } catch {
      if (mine === latest && status) status.textContent = strings.previewFailed || '';
    }
  };
  const schedule = (event) => {
    if (event.target instanceof Element && event.target.closest('[data-preview-button]')) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, event.type === 'change' ? 0 : 350);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  // The language picker sits in the panel but belongs to the form (form="question-form").
  panel.querySelector('[data-preview-language]')?.addEventListener('change', schedule);
  // A form sent back with problems holds what was typed, not what the frame shows (the saved question).
  if (form.querySelector('[aria-invalid="true"]')) refresh();
  // Moving an answer with the arrows changes the form without an input event.
  form.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-option-move]')) schedule({ type: 'change', target: form });
  });
}

/* ---- In-place editing on the survey page. ---- */
function clearErrors(form) {
  form.querySelectorAll('[data-inline-error]').forEach((el) => el.remove());
  for (const field of form.querySelectorAll('[aria-invalid]')) {
    field.removeAttribute('aria-invalid');
    const described = (field.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.endsWith('-error')).join(' ');
    if (described) field.setAttribute('aria-describedby', described);
    else field.removeAttribute('aria-describedby');
    field.closest('.field')?.classList.remove('field--error');
  }
}

function showErrors(form, problems) {
  const prefix = form.dataset.idPrefix;
  let first = null;
  for (const p of problems) {
    const field = form.querySelector(`#${CSS.escape(prefix + p.field)}`) || form.querySelector(`#${CSS.escape(`${prefix}label`)}`);
    if (!field) continue;
    const message = document.createElement('p');
    message.className = 'question__error';
    message.id = `${field.id}-error`;
    message.dataset.inlineError = '';
    message.textContent = p.message;
    field.before(message);
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', [field.getAttribute('aria-describedby'), message.id].filter(Boolean).join(' '));
    field.closest('.field')?.classList.add('field--error');
    first ??= field;
  }
  first?.focus();
}

function setupInlineEditing() {
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('[data-inline-form]')) return;
    event.preventDefault();
    const item = form.closest('[data-question]');
    const status = form.querySelector('[data-inline-status]');
    const number = item?.querySelector('.question-item__number')?.textContent.replace(/\D/g, '') || '';
    status.textContent = '';
    try {
      const res = await post(form.action, form);
      const data = await res.json();
      clearErrors(form);
      if (!res.ok) return showErrors(form, data.error?.problems || []);
      const link = item?.querySelector('.question-item__text > a');
      if (link) link.textContent = data.label;
      // The change is in the draft now: the publishing panel says so and offers to publish it.
      const state = document.querySelector('[data-draft-state]');
      if (state && data.draftState) state.textContent = data.draftState;
      document.querySelector('[data-draft-actions]')?.removeAttribute('hidden');
      status.textContent = fill(strings.inlineSaved, { number });
    } catch {
      status.textContent = strings.inlineFailed || '';
    }
  });
}

setupFittedFrames();
setupLivePreview();
setupInlineEditing();
