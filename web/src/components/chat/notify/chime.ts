// A short two-note chime made with the Web Audio API: no sound file is fetched. One
// AudioContext for the page, made (or resumed) on the person's first click or key
// press, since browsers keep a context made without one silent.

let context: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (context) return context;
  const Context = typeof window === 'undefined' ? undefined : window.AudioContext;
  if (!Context) return null;
  try {
    context = new Context();
  } catch {
    return null;
  }
  return context;
}

/** Called from a click or key press: later chimes can then be heard. */
export function unlockChime(): void {
  const audio = audioContext();
  if (audio?.state === 'suspended') void audio.resume().catch(() => {});
}

export function playChime(): void {
  const audio = audioContext();
  if (!audio) return;
  const start = audio.currentTime + 0.01;
  const gain = audio.createGain();
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.15, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.35);
  gain.connect(audio.destination);
  for (const [frequency, delay] of [
    [880, 0],
    [1320, 0.09],
  ] as const) {
    const tone = audio.createOscillator();
    tone.type = 'sine';
    tone.frequency.setValueAtTime(frequency, start + delay);
    tone.connect(gain);
    tone.start(start + delay);
    tone.stop(start + 0.36);
  }
}
