// Read aloud: a "Listen to this question" button on each question, spoken by the browser's own
// speech synthesis in the page's language. The buttons exist only once this module has found a
// voice for that language: without JavaScript, speech synthesis or a matching voice the form is
// exactly as before, with nothing offered that would not work.

const form = document.getElementById('survey-form');
const synth = window.speechSynthesis;

/** The primary language subtag ("zh-Hans" → "zh", "en_US" → "en"); Mandarin's "cmn" counts as "zh". */
function baseOf(tag) {
  const base = String(tag || '').toLowerCase().split(/[-_]/)[0];
  return base === 'cmn' ? 'zh' : base;
}

/**
 * The voice to read a page in `pageLang`, or null when the browser has none for it. For Chinese
 * a Mandarin voice comes before a Cantonese one (zh-HK); otherwise the browser's default voice
 * for that language, then one that runs on the device, then any.
 */
function pickVoice(voices, pageLang) {
  const matching = voices.filter((v) => baseOf(v.lang) === baseOf(pageLang));
  if (!matching.length) return null;
  const mandarin = baseOf(pageLang) === 'zh' ? matching.find((v) => !/hk|yue/i.test(v.lang)) : null;
  return mandarin || matching.find((v) => v.default) || matching.find((v) => v.localService) || matching[0];
}

/** The text a person sees, without what is hidden from everyone (the asterisk) or controls. */
function textOf(el) {
  let out = '';
  for (const node of el.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) out += node.nodeValue;
    else if (node.nodeType === Node.ELEMENT_NODE && !node.hidden && node.getAttribute('aria-hidden') !== 'true' && !node.matches('button, input, select, textarea')) out += ` ${textOf(node)} `;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** What is read for one question, each part its own utterance (a pause between, in any language). */
function partsOf(question) {
  const parts = [question.querySelector('.question__label'), ...question.querySelectorAll('.question__help, .question__error')]
    .filter((el) => el && !el.hidden)
    .map(textOf);
  const select = question.querySelector('.ranking select');
  if (select) parts.push(...Array.from(select.options).filter((o) => o.value).map((o) => o.textContent));
  else parts.push(...Array.from(question.querySelectorAll('.choice > label:not(.visually-hidden), .scale__point label'), textOf));
  return parts.map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

let speaking = null;
let session = 0;

function stop() {
  session += 1;
  speaking?.setAttribute('aria-pressed', 'false');
  speaking = null;
  // Chrome can drop the next utterance after a cancel() with nothing to cancel.
  if (synth.speaking || synth.pending) synth.cancel();
}

function toggle(button, voice) {
  const again = speaking === button;
  stop();
  if (again) return;
  const mine = session;
  speaking = button;
  button.setAttribute('aria-pressed', 'true');
  const parts = partsOf(button.closest('.question'));
  parts.forEach((text, i) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang.replace('_', '-');
    if (i === parts.length - 1) {
      // Cancelling fires "end" or "error" on what was queued; only this reading's end counts.
      utterance.onend = utterance.onerror = () => {
        if (session === mine) {
          button.setAttribute('aria-pressed', 'false');
          speaking = null;
        }
      };
    }
    synth.speak(utterance);
  });
}

const ICON = '<svg class="listen-button__icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="24" height="24"><path class="listen-button__speaker" d="M3 9v6h4l5 4V5L7 9zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z"/><rect class="listen-button__stop" x="6" y="6" width="12" height="12" rx="1"/></svg>';

function addButtons(voice, label) {
  for (const question of form.querySelectorAll('.question')) {
    const heading = question.querySelector('.question__label');
    if (!heading || question.querySelector('.listen-button')) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'listen-button';
    button.setAttribute('aria-pressed', 'false');
    button.innerHTML = ICON;
    button.append(label);
    button.addEventListener('click', () => toggle(button, voice));
    heading.after(button);
  }
}

function setup() {
  let label = '';
  try {
    label = JSON.parse(form.dataset.strings || '{}').listen || '';
  } catch {
    return;
  }
  if (!label) return;
  const lang = document.documentElement.lang;
  const tryVoices = () => {
    const voice = pickVoice(synth.getVoices(), lang);
    if (voice) addButtons(voice, label);
    return Boolean(voice);
  };
  // Many browsers list their voices only after a moment, and say so with "voiceschanged".
  if (!tryVoices()) synth.addEventListener?.('voiceschanged', tryVoices);
  // Nothing keeps talking once the page is left, the kiosk clears it, or the person switches language.
  window.addEventListener('pagehide', stop);
  form.addEventListener('survey:cleared', stop);
}

if (form && synth && typeof window.SpeechSynthesisUtterance === 'function') setup();
