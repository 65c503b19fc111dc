import { afterEach, describe, expect, it } from 'vitest';
import { AriCall } from '../../../src/adapters/ari/ari-call.js';
import { droppingAsterisk } from '../../support/ari-standin.js';
import { quietLog } from '../harness.js';

describe('a call over ARI', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  const callOn = (rest: Awaited<ReturnType<typeof droppingAsterisk>>['rest']) =>
    new AriCall('c1', { number: '+14255550123', name: 'Ann' }, '14255550100', false, { rest: () => rest, log: quietLog() });

  it('sends a hangup lost with the socket again: the line ends, not only parley’s picture of it', async () => {
    const server = await droppingAsterisk(1);
    close = server.close;
    const call = callOn(server.rest);
    await call.hangup();
    expect(server.seen()).toBe(2);
    expect(call.ended.aborted).toBe(true);
  });

  it('hangs up once when Asterisk has it, or the channel is gone already', async () => {
    for (const [status, body] of [[204, ''], [404, '{"message":"Channel not found"}']] as const) {
      const server = await droppingAsterisk(0, status, body);
      const call = callOn(server.rest);
      await call.hangup();
      expect(server.seen(), `${status}`).toBe(1);
      expect(call.ended.aborted).toBe(true);
      await server.close();
    }
  });

  it('takes the call as ended after three hangups that never reached Asterisk', async () => {
    const server = await droppingAsterisk(10);
    close = server.close;
    const call = callOn(server.rest);
    await call.hangup();
    expect(server.seen()).toBe(3);
    expect(call.ended.aborted).toBe(true);
  });
});
