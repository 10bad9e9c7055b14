// The thank-you page on the person's own device: the answers are sent, so a draft of them kept
// on this device (public/js/form-drafts.js) is no longer needed. The form removes it itself when
// it sends through the offline queue; this covers a browser that sent the plain form.
const main = document.querySelector('[data-sent-survey]');
if (main) {
  try {
    window.localStorage.removeItem(`cn-draft:${main.dataset.sentSurvey}`);
  } catch {
    // No storage: there is no draft either.
  }
}
