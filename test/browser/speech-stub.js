/* global window */
// Injected into pages before their scripts by read-aloud.test.ts (page.addInitScript): the
// browser's speech synthesis replaced by one that records each utterance (text, language,
// voice) and finishes only when the test says so. Options come from window.speechStubOptions.
(() => {
  const options = window.speechStubOptions || { voices: [] };
  if (options.absent) {
    Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
    return;
  }
  const spoken = [];
  const queued = [];
  let listed = !options.late;
  const synth = new EventTarget();
  synth.getVoices = () => (listed ? options.voices.map((v) => ({ voiceURI: v.name, localService: true, default: false, ...v })) : []);
  synth.speak = (u) => {
    spoken.push({ text: u.text, lang: u.lang, voice: u.voice ? u.voice.name : null });
    queued.push(u);
  };
  synth.cancel = () => {
    window.cancels = (window.cancels || 0) + 1;
    for (const u of queued.splice(0)) u.onerror?.({ error: 'canceled' });
  };
  class Utterance {
    constructor(text) {
      this.text = text;
      this.lang = '';
      this.voice = null;
      this.onend = null;
      this.onerror = null;
    }
  }
  Object.defineProperty(synth, 'speaking', { get: () => queued.length > 0 });
  Object.defineProperty(synth, 'pending', { get: () => queued.length > 1 });
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
  window.spoken = spoken;
  window.finishSpeaking = () => {
    for (const u of queued.splice(0)) u.onend?.({});
  };
  window.listVoices = () => {
    listed = true;
    synth.dispatchEvent(new Event('voiceschanged'));
  };
})();
