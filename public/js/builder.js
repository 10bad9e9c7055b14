// Progressive enhancement for the survey builder. Every page works without this file: moves,
// deletes and saves are plain form posts. With it, moves happen in place (a question's
// answers move in the form and are kept when the question is saved), the condition
// answers follow the chosen question, and answers rows can be added (the translation screen has
// its own module, translate.js).

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

/* ---- Focus the first problem when the page has no field with autofocus. ---- */
function focusFirstProblem() {
  if (document.querySelector('[autofocus]')) return;
  document.querySelector('[data-focus-first]')?.focus();
}

/* ---- Confirmation before destructive buttons. ---- */
function setupConfirm() {
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-confirm]') : null;
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
}

/* ---- Move questions up and down without reloading. ---- */
function renumber(list) {
  const items = Array.from(list.querySelectorAll(':scope > [data-question]'));
  items.forEach((item, i) => {
    const number = i + 1;
    const label = item.querySelector('.question-item__number');
    if (label) label.textContent = `${number}.`;
    for (const button of item.querySelectorAll('[data-direction]')) {
      const up = button.dataset.direction === 'up';
      button.disabled = up ? i === 0 : i === items.length - 1;
      button.setAttribute('aria-label', fill(up ? strings.moveUp : strings.moveDown, { number }));
    }
  });
}

function setupMoves() {
  const list = document.querySelector('[data-move-list]');
  const status = document.querySelector('[data-move-status]');
  if (!list) return;
  list.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('[data-move]')) return;
    event.preventDefault();
    const item = form.closest('[data-question]');
    const direction = new FormData(form).get('direction');
    try {
      const res = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      const sibling = direction === 'up' ? item.previousElementSibling : item.nextElementSibling;
      if (sibling) {
        if (direction === 'up') list.insertBefore(item, sibling);
        else list.insertBefore(sibling, item);
      }
      renumber(list);
      const number = Array.from(list.children).indexOf(item) + 1;
      if (status) status.textContent = fill(strings.moved, { number });
      item.classList.add('question-item--moved');
      setTimeout(() => item.classList.remove('question-item--moved'), 1200);
      const again = item.querySelector(`[data-direction="${direction}"]`);
      (again && !again.disabled ? again : item.querySelector('[data-direction]:not(:disabled)'))?.focus();
    } catch {
      if (status) status.textContent = strings.moveFailed || '';
      form.submit();
    }
  });
}

/* ---- Condition: only the chosen question's answers are shown. ---- */
function setupConditions() {
  const box = document.querySelector('[data-conditions]');
  if (!box) return;
  const update = () => {
    const chosen = box.querySelector('input[name="showIf"]:checked')?.value || '';
    for (const answers of box.querySelectorAll('[data-condition-answers]')) answers.hidden = answers.dataset.conditionAnswers !== chosen;
  };
  box.addEventListener('change', update);
  update();
}

/* ---- Answer rows: a button adds another empty row. ---- */
function setupOptionRows() {
  const list = document.querySelector('[data-option-rows]');
  if (!list || !strings.addOption) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button--small';
  button.textContent = strings.addOption;
  list.after(button);
  button.addEventListener('click', () => {
    const template = list.querySelector('.option-row--new:last-of-type') || list.lastElementChild;
    if (!template) return;
    const rows = Array.from(list.querySelectorAll('[data-option-row]')).map((r) => Number(r.dataset.optionRow));
    const next = Math.max(...rows) + 1;
    const copy = template.cloneNode(true);
    const from = `o${template.dataset.optionRow}_`;
    copy.dataset.optionRow = String(next);
    copy.classList.add('option-row--new');
    for (const el of copy.querySelectorAll('[id], [for], [name], [aria-describedby]')) {
      for (const attr of ['id', 'for', 'name', 'aria-describedby']) {
        const value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.split(from).join(`o${next}_`));
      }
    }
    copy.querySelectorAll('input[type="hidden"], .question__error, .option-row__move').forEach((el) => el.remove());
    copy.removeAttribute('id');
    delete copy.dataset.optionId;
    copy.querySelectorAll('input[type="text"]').forEach((el) => { el.value = ''; el.removeAttribute('aria-invalid'); });
    copy.querySelectorAll('input[type="checkbox"]').forEach((el) => { el.checked = false; });
    copy.querySelectorAll('select').forEach((el) => { el.selectedIndex = 0; });
    const legend = copy.querySelector('legend');
    if (legend && strings.newOption) legend.textContent = strings.newOption;
    list.append(copy);
    copy.querySelector('input[type="text"]')?.focus();
  });
}

/* ---- Answers: the arrows reorder the rows in place; Save keeps the order. ---- */
function renumberOptions(list) {
  const rows = Array.from(list.querySelectorAll(':scope > [data-option-row]'));
  const saved = rows.filter((row) => row.dataset.optionId);
  rows.forEach((row, i) => {
    const pos = row.querySelector('[data-option-pos]');
    if (pos) pos.value = String(i);
    const legend = row.querySelector('[data-option-legend]');
    if (legend) legend.textContent = fill(strings.optionLegend, { number: i + 1 });
    for (const button of row.querySelectorAll('[data-option-move]')) {
      const up = button.dataset.optionMove === 'up';
      button.disabled = up ? row === saved[0] : row === saved[saved.length - 1];
      button.setAttribute('aria-label', fill(up ? strings.moveOptionUp : strings.moveOptionDown, { number: i + 1 }));
    }
  });
}

function setupOptionMoves() {
  const list = document.querySelector('[data-option-rows]');
  const status = document.querySelector('[data-option-status]');
  if (!list) return;
  list.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-option-move]') : null;
    if (!button || button.disabled) return;
    event.preventDefault();
    const row = button.closest('[data-option-row]');
    const up = button.dataset.optionMove === 'up';
    let other = up ? row.previousElementSibling : row.nextElementSibling;
    while (other && !other.dataset.optionId) other = up ? other.previousElementSibling : other.nextElementSibling;
    if (!other) return;
    if (up) list.insertBefore(row, other);
    else list.insertBefore(row, other.nextElementSibling);
    renumberOptions(list);
    const number = Array.from(list.children).indexOf(row) + 1;
    if (status) status.textContent = fill(strings.optionMoved, { number });
    row.classList.add('option-row--moved');
    setTimeout(() => row.classList.remove('option-row--moved'), 1200);
    const again = row.querySelector(`[data-option-move="${button.dataset.optionMove}"]`);
    (again && !again.disabled ? again : row.querySelector('[data-option-move]:not(:disabled)'))?.focus();
  });
}

focusFirstProblem();
setupConfirm();
setupMoves();
setupConditions();
setupOptionRows();
setupOptionMoves();
