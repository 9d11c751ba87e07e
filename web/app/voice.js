// Voice messages: recorded with MediaRecorder (Opus in WebM where the browser has it, else Ogg
// or MP4), at most a minute, at a speech bitrate (~24 kbit/s: a minute is ~180 KB).
export const MAX_VOICE_MS = 60_000;
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'];

/// Whether this browser can record: MediaRecorder and a microphone API (missing in some webviews).
export const voiceSupported = () => typeof MediaRecorder === 'function' && !!navigator.mediaDevices?.getUserMedia &&
  TYPES.some((t) => MediaRecorder.isTypeSupported(t));

/// Starts recording from the microphone (the browser asks for permission). `onTick(ms)` is called
/// every second; at `maxMs` the recording stops by itself and `onStop` gets the result, as
/// stop() resolves to it: {blob, mime (without codecs), ms}. Throws {code: 'mic_denied'} when the
/// microphone is refused or absent.
export async function startRecording({ onTick = () => {}, onStop = () => {}, maxMs = MAX_VOICE_MS } = {}) {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
  } catch {
    throw Object.assign(new Error('mic_denied'), { code: 'mic_denied' });
  }
  const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
  const recorder = new MediaRecorder(stream, { mimeType, audioBitsPerSecond: 24_000 });
  const chunks = [];
  const started = performance.now();
  recorder.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
  const done = new Promise((resolve) => {
    recorder.onstop = () => {
      clearInterval(ticker);
      clearTimeout(limit);
      stream.getTracks().forEach((t) => t.stop());
      const mime = (recorder.mimeType || mimeType).split(';')[0];
      const result = { blob: new Blob(chunks, { type: mime }), mime, ms: Math.round(performance.now() - started) };
      onStop(result);
      resolve(result);
    };
  });
  const ticker = setInterval(() => onTick(performance.now() - started), 1000);
  const limit = setTimeout(() => recorder.state !== 'inactive' && recorder.stop(), maxMs);
  recorder.start(1000);
  return {
    stop() { if (recorder.state !== 'inactive') recorder.stop(); return done; },
  };
}
