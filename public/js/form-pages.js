// A form in pages, with JavaScript: Back and Next switch pages in place (no round trip, so a
// weak connection does not stall between pages), check the page being left with the same
// error presentation as the server, skip pages whose questions are all hidden, and keep the
// browser's Back button in step. Without this file the same buttons post the form and the
// server does all of this (server/routes/survey-form.ts).

function fill(template, values) {
  return String(template || '').replace(/\{(\w+)\}/g, (_, key) => (key in values ? String(values[key]) : ''));
}

/* ---- Checking a page: the common problems, worded as the server words them. ---- */
function problemOf(question, strings) {
  const type = (/question--(\w+)/.exec(question.className) || [])[1];
  const required = Boolean(question.querySelector('.required'));
  const id = question.id.replace(/^q-/, '');
  if (type === 'single' || type === 'multi' || type === 'rating') {
    const chosen = Array.from(question.querySelectorAll(`input[name="q:${CSS.escape(id)}"]:checked`));
    const otherText = question.querySelector('.choice__other-text');
    if (chosen.some((i) => i.value === 'other') && otherText && !otherText.value.trim()) return strings.otherRequired;
    if (!chosen.length && !(otherText && otherText.value.trim())) return required ? strings.required : '';
    return '';
  }
  if (type === 'ranking') {
    const picked = Array.from(question.querySelectorAll('select')).filter((s) => s.value);
    return !picked.length && required ? strings.required : '';
  }
  const input = question.querySelector('input, textarea');
  const value = input ? input.value.trim() : '';
  if (!value) return required ? strings.required : '';
  if (type === 'number') {
    if (!/^-?\d{1,9}$/.test(value)) return strings.notANumber;
    const n = Number(value);
    const min = Number(input.dataset.min);
    const max = Number(input.dataset.max);
    if (n < min || n > max) return fill(strings.outOfRange, { min, max });
  }
  return '';
}

function clearErrors(form) {
  document.getElementById('error-summary')?.remove();
  form.querySelectorAll('.question--error').forEach((q) => {
    q.classList.remove('question--error');
    q.querySelector('.question__error')?.remove();
    q.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    const fieldset = q.querySelector('fieldset[aria-describedby], [aria-describedby]');
    if (fieldset) {
      const ids = fieldset.getAttribute('aria-describedby').split(' ').filter((x) => x !== `${q.id}-error`);
      if (ids.length) fieldset.setAttribute('aria-describedby', ids.join(' '));
      else fieldset.removeAttribute('aria-describedby');
    }
  });
}

function showError(question, message, strings) {
  question.classList.add('question--error');
  const error = document.createElement('p');
  error.className = 'question__error';
  error.id = `${question.id}-error`;
  const prefix = document.createElement('span');
  prefix.className = 'visually-hidden';
  prefix.textContent = strings.errorPrefix;
  error.append(prefix, ` ${message}`);
  const after = question.querySelector('.question__help:not(.ranking__instructions)') || question.querySelector('.question__condition') || question.querySelector('legend, .question__label');
  after.after(error);
  const described = question.querySelector('fieldset') || question.querySelector('input, textarea');
  const ids = (described.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  described.setAttribute('aria-describedby', [...ids, error.id].join(' '));
  question.querySelectorAll('input:not([type=hidden]), textarea, select').forEach((el) => el.setAttribute('aria-invalid', 'true'));
}

/** Checks the shown questions of a page; on problems shows them (summary first, focused) and returns false. */
export function checkPage(form, section, strings) {
  clearErrors(form);
  const problems = [];
  for (const question of section.querySelectorAll('.question')) {
    if (question.hidden) continue;
    const message = problemOf(question, strings);
    if (message) {
      showError(question, message, strings);
      problems.push({ question, message });
    }
  }
  if (!problems.length) return true;
  const summary = document.createElement('div');
  summary.className = 'error-summary';
  summary.id = 'error-summary';
  summary.setAttribute('role', 'alert');
  summary.setAttribute('aria-labelledby', 'error-summary-title');
  summary.tabIndex = -1;
  const title = document.createElement('h2');
  title.id = 'error-summary-title';
  title.textContent = (strings.errorSummary || [])[problems.length - 1] || (strings.errorSummary || []).at(-1) || '';
  const list = document.createElement('ul');
  for (const { question, message } of problems) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `#${question.id}`;
    const label = question.querySelector('legend, .question__label');
    a.textContent = `${label ? label.firstChild.textContent.trim() : ''} – ${message}`;
    li.append(a);
    list.append(li);
  }
  summary.append(title, list);
  form.before(summary);
  // As on a page the server shows with errors: the summary is announced (role alert) and the first answer to fix has focus.
  summary.scrollIntoView();
  const first = problems[0].question.querySelector('input:not([type=hidden]):not(.choice__other-text), textarea, select, button');
  if (first) first.focus({ preventScroll: true });
  return false;
}

/**
 * Sets up Back and Next on a form with more than one page. Returns what other modules need
 * (the page shown, showing a page), or null for a form of one page.
 */
export function setupPages(form, strings) {
  const sections = Array.from(form.querySelectorAll('section.form-page'));
  if (sections.length < 2) return null;
  const field = form.querySelector('[data-page-field]');
  const next = form.querySelector('[data-next]');
  const back = form.querySelector('[data-back]');
  const send = form.querySelector('[data-send]');
  const end = form.querySelector('[data-form-end]');
  const text = form.querySelector('[data-progress-text]');
  const bar = form.querySelector('[data-progress-bar]');
  let current = Number(field.value) || 0;
  let shownText = text.textContent;
  let depth = 0;

  const isShown = (section) => Array.from(section.querySelectorAll('.question')).some((q) => !q.hidden);
  const shownPages = () => {
    const list = sections.flatMap((s, i) => (isShown(s) ? [i] : []));
    return list.length ? list : [0];
  };

  const update = () => {
    const shown = shownPages();
    let at = shown.indexOf(current);
    let total = shown.length;
    if (at < 0) {
      at = shown.filter((i) => i < current).length;
      total += 1;
    }
    const last = at + 1 === total;
    const label = fill(strings.pageOf, { number: at + 1, total });
    document.title = document.title.replace(shownText, label);
    text.textContent = label;
    shownText = label;
    bar.max = total;
    bar.value = at + 1;
    next.hidden = last;
    send.hidden = !last;
    back.hidden = at === 0;
    end.hidden = !last;
  };

  const show = (index, options = {}) => {
    current = Math.max(0, Math.min(index, sections.length - 1));
    field.value = String(current);
    sections.forEach((s, i) => {
      s.hidden = i !== current;
    });
    update();
    if (options.focus) {
      // Focus on "Page 2 of 4" tells a screen reader where the person now is; the new page's first question comes into view.
      text.scrollIntoView({ block: 'start' });
      text.focus({ preventScroll: true });
    }
    form.dispatchEvent(new CustomEvent('survey:page', { detail: { page: current, step: options.step } }));
  };

  next.addEventListener('click', (event) => {
    event.preventDefault();
    if (!checkPage(form, sections[current], strings)) return;
    const target = shownPages().find((i) => i > current);
    if (target === undefined) return update();
    history.pushState({ ...history.state, surveyPage: target }, '', location.href);
    depth += 1;
    show(target, { focus: true, step: 'next' });
  });
  back.addEventListener('click', (event) => {
    event.preventDefault();
    clearErrors(form);
    if (depth > 0) return history.back();
    show(shownPages().filter((i) => i < current).at(-1) ?? 0, { focus: true });
  });
  window.addEventListener('popstate', (event) => {
    const page = event.state?.surveyPage;
    if (typeof page !== 'number') return;
    depth = Math.max(0, depth - 1);
    clearErrors(form);
    show(page, { focus: true });
  });
  form.addEventListener('change', update);
  // Enter in a one-line answer goes to the next page (or sends on the last), never to another language.
  form.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.target.tagName !== 'INPUT' || ['checkbox', 'radio', 'submit', 'button'].includes(event.target.type)) return;
    event.preventDefault();
    (next.hidden ? send : next).click();
  });
  history.replaceState({ ...history.state, surveyPage: current }, '', location.href);
  update();
  return {
    current: () => current,
    show,
    check: () => checkPage(form, sections[current], strings),
  };
}
