import { segment as s, type AriHttp } from './ari-http.js';
import type { AriRest } from './ari-rest.js';

/**
 * parley's ARI operations: those every caller makes (answer, play, talk detection, mute, bridge, hang up)
 * as plain requests over AriHttp, the others (listing, recording, placing calls, configuration) through
 * ari-client as before. Same shapes either way; failures reject with Asterisk's response body as the
 * message, as ari-client's do.
 */
export function withHotPath(client: AriRest, http: AriHttp): AriRest {
  const none = async (promise: Promise<unknown>): Promise<void> => {
    await promise;
  };
  return {
    channels: {
      list: () => client.channels.list(),
      create: (p) => client.channels.create(p),
      dial: (p) => client.channels.dial(p),
      getChannelVar: (p) => client.channels.getChannelVar(p),
      record: (p) => client.channels.record(p),
      sendDTMF: ({ channelId, dtmf, between, duration }) => none(http.send('POST', `/channels/${s(channelId)}/dtmf`, { dtmf, between, duration })),
      answer: ({ channelId }) => none(http.send('POST', `/channels/${s(channelId)}/answer`)),
      ring: ({ channelId }) => none(http.send('POST', `/channels/${s(channelId)}/ring`)),
      hangup: ({ channelId, reason }) => none(http.send('DELETE', `/channels/${s(channelId)}`, { reason })),
      play: ({ channelId, media, playbackId, lang }) => http.send('POST', `/channels/${s(channelId)}/play`, { media, lang, playbackId }),
      mute: ({ channelId, direction }) => none(http.send('POST', `/channels/${s(channelId)}/mute`, { direction })),
      unmute: ({ channelId, direction }) => none(http.send('DELETE', `/channels/${s(channelId)}/mute`, { direction })),
      setChannelVar: ({ channelId, variable, value }) => none(http.send('POST', `/channels/${s(channelId)}/variable`, { variable, value })),
    },
    bridges: {
      list: () => client.bridges.list(),
      get: ({ bridgeId }) => http.send('GET', `/bridges/${s(bridgeId)}`) as Promise<{ id: string; channels: string[] }>,
      record: (p) => client.bridges.record(p),
      createWithId: ({ bridgeId, type, name }) => http.send('POST', `/bridges/${s(bridgeId)}`, { type, name }),
      destroy: ({ bridgeId }) => none(http.send('DELETE', `/bridges/${s(bridgeId)}`)),
      addChannel: ({ bridgeId, channel, absorbDTMF, role }) => none(http.send('POST', `/bridges/${s(bridgeId)}/addChannel`, { channel, absorbDTMF, role })),
      removeChannel: ({ bridgeId, channel }) => none(http.send('POST', `/bridges/${s(bridgeId)}/removeChannel`, { channel })),
      play: ({ bridgeId, media, playbackId, lang }) => http.send('POST', `/bridges/${s(bridgeId)}/play`, { media, lang, playbackId }),
      startMoh: ({ bridgeId, mohClass }) => none(http.send('POST', `/bridges/${s(bridgeId)}/moh`, { mohClass })),
      stopMoh: ({ bridgeId }) => none(http.send('DELETE', `/bridges/${s(bridgeId)}/moh`)),
    },
    playbacks: {
      stop: ({ playbackId }) => none(http.send('DELETE', `/playbacks/${s(playbackId)}`)),
    },
    recordings: client.recordings,
    applications: client.applications,
    asterisk: client.asterisk,
  };
}
