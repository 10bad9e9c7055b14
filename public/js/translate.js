// The translation screen: a text being typed is highlighted while its box is empty, and the
// "missing only" filter hides the translated texts at once (the form stays whole, so nothing
// typed is lost), keeping the address and the save form in step with the choice.
const filter = document.querySelector('[data-missing-filter]');
const form = document.querySelector('[data-translate-sections]');

if (form) {
  form.addEventListener('input', (event) => {
    const row = event.target instanceof Element ? event.target.closest('.translate-row') : null;
    if (row) row.classList.toggle('translate-row--missing', !event.target.value.trim());
  });
}

if (filter && form) {
  const checkbox = filter.querySelector('input[type="checkbox"]');
  const status = filter.querySelector('[data-filter-status]');
  filter.querySelector('[data-filter-apply]')?.setAttribute('hidden', '');
  checkbox?.addEventListener('change', () => {
    const only = checkbox.checked;
    // As the server filters: what was missing when the page opened, and any text with an error.
    for (const row of form.querySelectorAll('.translate-row')) row.hidden = only && !row.hasAttribute('data-missing') && !row.hasAttribute('data-error');
    for (const section of form.querySelectorAll('[data-section]')) section.hidden = Array.from(section.querySelectorAll('.translate-row')).every((row) => row.hidden);
    if (status) status.textContent = only ? status.dataset.showing ?? '' : '';
    const url = new URL(window.location.href);
    url.searchParams.delete('notice');
    if (only) url.searchParams.set('missing', '1');
    else url.searchParams.delete('missing');
    window.history.replaceState(null, '', url);
    const action = new URL(form.action, window.location.href);
    if (only) action.searchParams.set('missing', '1');
    else action.searchParams.delete('missing');
    form.action = action.pathname + action.search;
  });
}
