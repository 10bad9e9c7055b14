// Answers kept on the person's own device (localStorage) as they are typed, so a reload, a
// closed tab or a dropped connection loses nothing. Coming back offers to continue or to start
// again. Loaded only on the personal-device form (`data-drafts`): never on a kiosk or on a link
// staff marked for shared computers. Nothing here is sent anywhere.

const DAY_MS = 24 * 60 * 60 * 1000;
// Fields that belong to this showing of the form, not to the person's answers.
const NOT_ANSWERS = new Set(['sid', 'ft', 'website', 'lang', 'page', 'reached', 'location', 'ch', 'shared', 'step', 'switchLang']);

function storage() {
  try {
    const s = window.localStorage;
    const probe = '__cn-probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

function answersOf(form) {
  return Array.from(new FormData(form)).filter(([name, value]) => !NOT_ANSWERS.has(name) && typeof value === 'string' && value !== '');
}

function read(store, key) {
  try {
    const draft = JSON.parse(store.getItem(key) || 'null');
    if (!draft || !Array.isArray(draft.fields) || typeof draft.savedAt !== 'number') return null;
    return draft;
  } catch {
    return null;
  }
}

function restore(form, fields) {
  const values = new Map();
  for (const [name, value] of fields) values.set(name, [...(values.get(name) || []), value]);
  for (const el of form.elements) {
    if (!el.name || NOT_ANSWERS.has(el.name) || el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
    const given = values.get(el.name) || [];
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = given.includes(el.value);
    else el.value = given[0] ?? '';
  }
  form.dispatchEvent(new Event('survey:restored'));
  form.dispatchEvent(new Event('change'));
}

export function setupDrafts(form, pages) {
  const store = storage();
  if (!store) return;
  const key = `cn-draft:${form.dataset.slug}`;
  const offer = document.getElementById('draft-offer');
  let saving = false;
  let timer;

  const save = () => {
    if (!saving) return;
    const fields = answersOf(form);
    try {
      if (!fields.length) store.removeItem(key);
      else store.setItem(key, JSON.stringify({ savedAt: Date.now(), page: pages ? pages.current() : 0, fields }));
    } catch {
      // A full or blocked storage only means no draft; the form works as before.
    }
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 250);
  };
  const start = () => {
    saving = true;
    if (offer) offer.hidden = true;
  };

  form.addEventListener('input', () => {
    if (!saving) start();
    soon();
  });
  form.addEventListener('change', soon);
  form.addEventListener('survey:page', save);
  // Saved before the page goes (a closed tab or a reload within the quarter second).
  window.addEventListener('pagehide', save);
  form.addEventListener('survey:sent', () => {
    saving = false;
    clearTimeout(timer);
    store.removeItem(key);
  });

  // A form that answers a post already holds the person's answers: keep them from now on.
  if (form.dataset.posted !== undefined) {
    start();
    return save();
  }
  const draft = read(store, key);
  if (!draft || Date.now() - draft.savedAt > DAY_MS || draft.savedAt > Date.now() + DAY_MS) {
    store.removeItem(key);
    return start();
  }
  if (!offer) return start();
  offer.hidden = false;
  offer.focus();
  offer.querySelector('[data-draft-continue]').addEventListener('click', () => {
    restore(form, draft.fields);
    start();
    save();
    if (pages) pages.show(Number(draft.page) || 0, { focus: true });
    else form.querySelector('input:not([type=hidden]), textarea, select')?.focus();
  });
  offer.querySelector('[data-draft-discard]').addEventListener('click', () => {
    store.removeItem(key);
    start();
    form.querySelector('input:not([type=hidden]):not([tabindex="-1"]), textarea, select')?.focus();
  });
}
