// "Join audio from this browser" (WebRTC), shared by the leader's panel and a guest's join page: asks
// parley for one-time SIP credentials, calls the conference over the WebSocket on parley's own address
// (SIP.js, served by parley), and gives the caller mute, leave and a microphone level. Mute is the
// conference's own self-mute (*6, as on a phone), so the roster shows it and the leader's controls apply.
import { Inviter, SessionState, UserAgent } from '/vendor/sip.js/index.js';

const $ = (id) => document.getElementById(id);

/** `requestGrant()` resolves with parley's answer (username, password, sipUri, websocketPath, displayName). */
export function attachBrowserAudio(requestGrant) {
  const join = $('browser-audio-join');
  const mute = $('browser-audio-mute');
  const leave = $('browser-audio-leave');
  const status = $('browser-audio-status');
  const level = $('browser-audio-level');
  const remote = $('browser-audio-remote');
  let call;

  const show = (state) => {
    join.hidden = state !== 'idle';
    mute.hidden = leave.hidden = state !== 'joined';
    if (state !== 'joined') mute.setAttribute('aria-pressed', 'false');
    mute.textContent = mute.getAttribute('aria-pressed') === 'true' ? 'Unmute' : 'Mute';
  };
  const say = (text) => (status.textContent = text);

  join.addEventListener('click', async () => {
    join.disabled = true;
    say('Connecting…');
    try {
      call = await connect(await requestGrant(), { remote, level, onEnded: () => ended() });
      show('joined');
      say('You are in the conference.');
    } catch (error) {
      say(`Could not join: ${error instanceof Error ? error.message : String(error)}`);
      call?.close();
      call = undefined;
      show('idle');
    } finally {
      join.disabled = false;
    }
  });
  mute.addEventListener('click', async () => {
    if (!call) return;
    await call.keys('*6');
    const pressed = mute.getAttribute('aria-pressed') !== 'true';
    mute.setAttribute('aria-pressed', String(pressed));
    show('joined');
    say(pressed ? 'You are muted.' : 'You are no longer muted.');
  });
  leave.addEventListener('click', () => call?.close());

  function ended() {
    call = undefined;
    show('idle');
    say('You have left the conference audio.');
  }
  show('idle');
  // Enabled only now: a click before the script was ready would do nothing.
  join.disabled = false;
}

async function connect(grant, { remote, level, onEnded }) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const target = UserAgent.makeURI(grant.sipUri);
  if (!target) throw new Error('parley gave no address to call');
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${grant.username}@${target.host}`),
    displayName: grant.displayName,
    authorizationUsername: grant.username,
    authorizationPassword: grant.password,
    transportOptions: { server: `${scheme}://${location.host}${grant.websocketPath}` },
    logLevel: 'error',
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
  });
  await ua.start();
  const inviter = new Inviter(ua, target, { sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
  let meter;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    meter?.stop();
    remote.srcObject = null;
    // The page says so at once: closing the WebSocket can take a while, and nothing waits on it.
    onEnded();
    if (inviter.state === SessionState.Established) await inviter.bye().catch(() => undefined);
    else if (inviter.state === SessionState.Establishing) await inviter.cancel().catch(() => undefined);
    await ua.stop().catch(() => undefined);
  };
  const established = new Promise((resolve, reject) => {
    inviter.stateChange.addListener((state) => {
      if (state === SessionState.Established) resolve();
      if (state === SessionState.Terminated) {
        reject(new Error('the call was not answered'));
        void close();
      }
    });
  });
  await inviter.invite();
  await established;
  const handler = inviter.sessionDescriptionHandler;
  remote.srcObject = handler.remoteMediaStream;
  void remote.play().catch(() => undefined);
  meter = levelMeter(handler.localMediaStream, level);
  return {
    close,
    async keys(keys) {
      for (const key of keys) {
        await inviter.info({ requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${key}\r\nDuration=160` } } });
      }
    },
  };
}

/** The microphone's level, 0 to 1, on a <meter>, a few times a second. */
function levelMeter(stream, meter) {
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    // RMS on a logarithmic scale: -60 dBFS reads 0, full scale 1.
    const db = 10 * Math.log10(sum / samples.length || 1e-12);
    meter.value = Math.max(0, Math.min(1, (db + 60) / 60));
  }, 150);
  return { stop: () => (clearInterval(timer), void context.close()) };
}
