// Loads a survey's open answers into the dashboard from their own page, after the rest of the
// dashboard has shown: reading every answer can take a while on a large survey. Without
// JavaScript, or when loading fails, the link to that page stays. The inserted HTML is the
// server's rendering of that page, escaped there like every page.
export async function loadOpenText(section) {
  const url = section.dataset.openText;
  const body = section.querySelector('.open-text-body');
  if (!url || !body) return;
  const status = document.createElement('p');
  status.className = 'notice';
  status.textContent = section.dataset.loading ?? '';
  body.prepend(status);
  body.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const page = new DOMParser().parseFromString(await res.text(), 'text/html');
    const loaded = page.querySelector('#open-text .open-text-body');
    if (!loaded) throw new Error('no open answers on the page');
    body.replaceChildren(...Array.from(loaded.childNodes, (node) => document.importNode(node, true)));
  } catch {
    status.textContent = section.dataset.failed ?? '';
  } finally {
    body.removeAttribute('aria-busy');
  }
}
