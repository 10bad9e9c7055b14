// Keyboard shortcuts for typing in paper forms. Everything works without this file:
// Tab moves between questions, arrow keys choose within a group, space ticks a box.
// With it: Ctrl+Enter (or Cmd+Enter) saves and opens the next form, and on a choice,
// typing the code printed on the paper (a, b, c … or 1–5) ticks that option.

const form = document.getElementById('paper-form');

if (form) {
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  let typed = '';
  let timer;
  form.addEventListener('keydown', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || (input.type !== 'radio' && input.type !== 'checkbox')) return;
    if (event.ctrlKey || event.metaKey || event.altKey || !/^[a-z0-9]$/i.test(event.key)) return;
    const group = input.closest('.paper-q');
    if (!group) return;
    clearTimeout(timer);
    typed += event.key.toLowerCase();
    timer = setTimeout(() => (typed = ''), 700);
    const match = Array.from(group.querySelectorAll('input[data-code]')).find((el) => el.dataset.code === typed);
    if (!match) return;
    event.preventDefault();
    match.focus();
    if (match.type === 'radio') match.checked = true;
    else match.checked = !match.checked;
    match.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
