// Kiosk behaviour: nobody sees the previous person's answers. After inactivity a countdown
// offers to keep going; otherwise the kiosk goes back to its start screen, replacing history.

function goToStart(url) {
  document.querySelectorAll('form').forEach((f) => f.reset());
  window.location.replace(url);
}

function messageFor(element, seconds) {
  try {
    const messages = JSON.parse(element.dataset.messages || '[]');
    return messages[seconds] ?? messages[messages.length - 1] ?? '';
  } catch {
    return '';
  }
}

function setupIdleReset(main) {
  const idleSeconds = Number(main.dataset.idleSeconds) || 90;
  const countdownSeconds = Number(main.dataset.countdownSeconds) || 20;
  const startUrl = main.dataset.startUrl;
  const dialog = main.querySelector('[data-idle-dialog]');
  const message = main.querySelector('[data-idle-message]');
  const stay = main.querySelector('[data-idle-stay]');
  let idleTimer;
  let tick;
  let remaining = countdownSeconds;

  const closeDialog = () => {
    clearInterval(tick);
    dialog.hidden = true;
  };
  const arm = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(openDialog, idleSeconds * 1000);
  };
  function openDialog() {
    remaining = countdownSeconds;
    message.textContent = messageFor(message, remaining);
    dialog.hidden = false;
    stay.focus();
    tick = setInterval(() => {
      remaining -= 1;
      message.textContent = messageFor(message, Math.max(remaining, 0));
      if (remaining <= 0) {
        clearInterval(tick);
        goToStart(startUrl);
      }
    }, 1000);
  }
  stay.addEventListener('click', () => {
    closeDialog();
    arm();
  });
  main.querySelector('[data-idle-reset]').addEventListener('click', () => goToStart(startUrl));
  for (const type of ['pointerdown', 'keydown', 'input', 'scroll', 'touchstart']) {
    document.addEventListener(type, () => {
      if (dialog.hidden) arm();
    }, { passive: true, capture: true });
  }
  arm();
}

function setupThanks(main) {
  const startUrl = main.dataset.startUrl;
  const message = main.querySelector('[data-return-message]');
  const seconds = Number(main.dataset.seconds) || 15;
  let remaining = seconds;
  const show = () => {
    if (message) message.textContent = messageFor(message, Math.max(remaining, 0));
  };
  show();
  setInterval(() => {
    remaining -= 1;
    show();
    if (remaining <= 0) goToStart(startUrl);
  }, 1000);
  // Someone still reading (or noting the "learn more" address) gets the full time again.
  for (const type of ['pointerdown', 'keydown', 'scroll', 'touchstart']) {
    document.addEventListener(type, () => {
      remaining = seconds;
      show();
    }, { passive: true, capture: true });
  }
}

// Links back to the start replace the current page, so Back cannot return to answers.
document.querySelectorAll('[data-kiosk-start]').forEach((link) => {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    goToStart(link.getAttribute('href'));
  });
});

const kioskForm = document.querySelector('[data-kiosk-form]');
const thanks = document.querySelector('[data-kiosk-thanks]');
if (kioskForm) setupIdleReset(kioskForm);
if (thanks) setupThanks(thanks);

// A page restored from the back/forward cache could hold a previous person's answers.
window.addEventListener('pageshow', (event) => {
  if (event.persisted && kioskForm) goToStart(kioskForm.dataset.startUrl);
});

// On the start screen, Back stays on the start screen.
if (document.querySelector('.kiosk-start')) {
  history.replaceState(null, '', location.href);
  history.pushState(null, '', location.href);
  window.addEventListener('popstate', () => history.pushState(null, '', location.href));
}

// A discreet counter of answers waiting on this device to be sent.
const counter = document.querySelector('[data-queue-count]');
if (counter) {
  import('./offline-queue.js')
    .then(({ onQueueChange }) => {
      onQueueChange((items) => {
        const waiting = items.filter((i) => !i.rejected).length;
        counter.hidden = waiting === 0;
        counter.textContent = (counter.dataset.template || '{count}').replace('{count}', String(waiting));
      });
    })
    .catch(() => undefined);
}
