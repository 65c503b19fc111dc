import type { Log } from '../../ports/log.js';
import { basicAuthorization } from './ari-connection.js';
import { AriHttp, segment as s } from './ari-http.js';
import { AriRegistrar, type RegistrarRest } from './ari-registrar.js';

export interface NodeConfigSettings {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** The Stasis app the devices' calls go to (the same name on every instance of a cluster). */
  readonly app: string;
  /** The cluster's SIP ingress (Kamailio), which users' phones register through. */
  readonly ingress: string;
}

/**
 * A media node's registrar through ARI's dynamic configuration over plain HTTP, without driving its
 * calls: a cluster provisions users' devices on every node, whichever instance owns it now, so a phone
 * may register on any of them.
 */
export function nodeRegistrar(settings: NodeConfigSettings, log: Log): AriRegistrar & { close(): void } {
  const http = new AriHttp(settings.url, basicAuthorization(settings));
  const path = (p: { configClass: string; objectType: string; id: string }) => `/asterisk/config/dynamic/${s(p.configClass)}/${s(p.objectType)}/${s(p.id)}`;
  const rest: RegistrarRest = {
    asterisk: {
      ping: () => http.send('GET', '/asterisk/ping'),
      updateObject: (p) => http.send('PUT', path(p), undefined, { fields: p.fields }),
      getObject: (p) => http.send('GET', path(p)),
      deleteObject: async (p) => {
        await http.send('DELETE', path(p));
      },
    },
    channels: {
      // A device's contacts are read on the node its call is on, through the owner's connection.
      getChannelVar: () => Promise.reject(new Error('this node is not driven from here')),
    },
  };
  const registrar = new AriRegistrar(() => rest, log, settings.app, settings.ingress);
  return Object.assign(registrar, { close: () => http.close() });
}
