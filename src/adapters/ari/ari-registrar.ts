import type { Log } from '../../ports/log.js';
import { SIP_REALM, type SipDevice, type SipRegistrar } from '../../ports/telephony.js';
import { isGone, withTimeout, type AriRest } from './ari-rest.js';

/** What the registrar needs of ARI: dynamic configuration, and a channel's view of a device's contacts. */
export type RegistrarRest = Pick<AriRest, 'asterisk'> & { readonly channels: Pick<AriRest['channels'], 'getChannelVar'> };

const CLASS = 'res_pjsip';
/** How many phones one user may register at once (desk phone, softphone, mobile client...). */
const MAX_CONTACTS = 5;

type Fields = Record<string, string>;

/** What every user's device endpoint shares with the gateway's: codecs, DTMF and NAT handling. */
const ENDPOINT: Fields = {
  transport: 'transport-udp',
  // Known by the username it authenticates with, never by its address (it may share the gateway's).
  identify_by: 'username',
  // A device dials a conference ID, an access number or a colleague: parley's app is told which device
  // (asterisk-config/extensions.conf, [sip-devices]); PARLEY_APP is set per endpoint (provision).
  context: 'sip-devices',
  disallow: 'all',
  allow: 'ulaw,alaw,g722',
  direct_media: 'no',
  dtmf_mode: 'auto_info',
  rtp_symmetric: 'yes',
  force_rport: 'yes',
  rewrite_contact: 'yes',
  rtp_timeout: '60',
  trust_id_outbound: 'yes',
  send_pai: 'yes',
  send_connected_line: 'no',
};

/** A device's address of record. */
const AOR: Fields = { max_contacts: String(MAX_CONTACTS), remove_existing: 'no', qualify_frequency: '0' };

/**
 * Behind a cluster's SIP ingress (README, "Beyond one media server") a phone registers through Kamailio,
 * which writes the address it came from into its Contact: the node keeps that Contact as it is and sends
 * the phone's calls back through Kamailio (its NAT binding is with Kamailio's address). Registrations
 * last at most 5 minutes, so a phone whose node died is registered on another within that time.
 */
const behindIngress = (ingress: string): { endpoint: Fields; aor: Fields } => ({
  endpoint: { rewrite_contact: 'no', outbound_proxy: `${ingress};lr` },
  aor: { maximum_expiration: '300' },
});

/** A browser's endpoint: WebRTC over the WebSocket transport (asterisk-config/pjsip.conf). */
const BROWSER: Fields = {
  transport: 'transport-ws',
  identify_by: 'username',
  context: 'sip-devices',
  disallow: 'all',
  allow: 'opus,ulaw,alaw',
  // ICE, AVPF, rtcp-mux, DTLS-SRTP with fingerprint checks; the certificate is made at start (no file to keep).
  webrtc: 'yes',
  dtls_auto_generate_cert: 'yes',
  dtmf_mode: 'auto_info',
  rtp_timeout: '60',
  send_connected_line: 'no',
};

/**
 * Directory users' SIP devices in Asterisk's registrar, through ARI's dynamic configuration: the
 * endpoint, AOR and auth live in sorcery's memory store (asterisk-config/sorcery.conf), so parley
 * provisions them again on every (re)connect; registered contacts persist in astdb.
 */
export class AriRegistrar implements SipRegistrar {
  constructor(
    private readonly rest: () => RegistrarRest | undefined,
    private readonly log: Log,
    /** The Stasis app the device's calls go to (this parley's). */
    private readonly app: string,
    /** A cluster's SIP ingress, which devices register through (their calls go back through it). */
    private readonly ingress?: string,
  ) {}

  async provision(device: SipDevice): Promise<void> {
    const rest = this.required();
    const id = device.username;
    await this.put(rest, 'auth', id, { auth_type: 'md5', username: id, realm: SIP_REALM, md5_cred: device.ha1 });
    // Writing an AOR again would drop the contacts registered to it; its settings never change, so once is enough.
    if (!(await this.exists(rest, 'aor', id))) {
      await this.put(rest, 'aor', id, { ...AOR, ...(this.ingress ? behindIngress(this.ingress).aor : {}) });
    }
    // Asterisk 22 cannot update an endpoint with a set_var through ARI (it reads the variable back as an
    // option of its own name: "Allocation failed"), so an existing one is replaced.
    await this.delete(rest, 'endpoint', id);
    await this.put(rest, 'endpoint', id, { ...ENDPOINT, ...(this.ingress ? behindIngress(this.ingress).endpoint : {}), auth: id, aors: id, set_var: `PARLEY_APP=${this.app}` });
  }

  async provisionBrowser(device: SipDevice): Promise<void> {
    const rest = this.required();
    const id = device.username;
    await this.put(rest, 'auth', id, { auth_type: 'md5', username: id, realm: SIP_REALM, md5_cred: device.ha1 });
    await this.put(rest, 'endpoint', id, { ...BROWSER, auth: id, set_var: `PARLEY_APP=${this.app}` });
  }

  async remove(username: string): Promise<void> {
    const rest = this.required();
    for (const type of ['endpoint', 'aor', 'auth']) await this.delete(rest, type, username);
  }

  async contacts(username: string, viaCallId: string): Promise<string[]> {
    const rest = this.required();
    try {
      // Asterisk evaluates PJSIP_DIAL_CONTACTS only on a channel: "PJSIP/u/sip:a&PJSIP/u/sip:b", or "".
      const { value } = await withTimeout(rest.channels.getChannelVar({ channelId: viaCallId, variable: `PJSIP_DIAL_CONTACTS(${username})` }), 'contacts');
      const prefix = `PJSIP/${username}/`;
      return value
        .split('&')
        .filter((dial) => dial.startsWith(prefix))
        .map((dial) => dial.slice(prefix.length));
    } catch (error) {
      // No endpoint or no AOR yet reads as "no contacts": nothing of the user's rings.
      this.log.debug({ err: String(error), device: username }, 'no registered contacts');
      return [];
    }
  }

  private async put(rest: RegistrarRest, type: string, id: string, fields: Fields): Promise<void> {
    // disallow must come before allow: Asterisk applies the fields in order.
    const list = Object.entries(fields).map(([attribute, value]) => ({ attribute, value }));
    await withTimeout(rest.asterisk.updateObject({ configClass: CLASS, objectType: type, id, fields: list }), 'config update');
  }

  private async delete(rest: RegistrarRest, type: string, id: string): Promise<void> {
    await withTimeout(rest.asterisk.deleteObject({ configClass: CLASS, objectType: type, id }), 'config delete').catch((error: unknown) => {
      if (!isGone(error)) throw error;
    });
  }

  private async exists(rest: RegistrarRest, type: string, id: string): Promise<boolean> {
    try {
      await withTimeout(rest.asterisk.getObject({ configClass: CLASS, objectType: type, id }), 'config get');
      return true;
    } catch (error) {
      if (isGone(error)) return false;
      throw error;
    }
  }

  private required(): RegistrarRest {
    const rest = this.rest();
    if (!rest) throw new Error('ARI is not connected');
    return rest;
  }
}
