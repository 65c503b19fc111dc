import { performance } from 'node:perf_hooks';
import type { RequestTimings } from '../../ports/metrics.js';
import type { AriRest } from './ari-rest.js';

/** The REST groups parley calls; the operation's name is `<group>.<method>`, e.g. `channels.answer`. */
const GROUPS = new Set(['channels', 'bridges', 'playbacks', 'recordings', 'applications', 'asterisk', 'endpoints', 'deviceStates', 'mailboxes', 'sounds']);

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * ari-client's resources with every request timed: the one place ARI latency is measured, since every
 * request goes through the connection's `rest`. Wrappers are made once per operation, then reused.
 */
export function timedRest<T extends object>(client: T, timings: RequestTimings): T {
  const groups = new Map<string, object>();
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !GROUPS.has(property) || typeof value !== 'object' || value === null) return value;
      let timed = groups.get(property);
      if (!timed) {
        timed = timedGroup(value, property, timings);
        groups.set(property, timed);
      }
      return timed;
    },
  });
}

function timedGroup(group: object, name: string, timings: RequestTimings): object {
  const methods = new Map<string, AnyFunction>();
  return new Proxy(group, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      let timed = methods.get(property);
      if (!timed) {
        const request = value as AnyFunction;
        const observe = timings.timer(`${name}.${property}`);
        timed = (...args: unknown[]) => {
          const started = performance.now();
          const result = request.apply(target, args);
          // ari-client answers with Bluebird promises: any thenable is timed.
          if (isThenable(result)) {
            const done = () => observe((performance.now() - started) / 1000);
            result.then(done, done);
          }
          return result;
        };
        methods.set(property, timed);
      }
      return timed;
    },
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Typed for the connection: its client, seen as AriRest, timed. */
export function timedAriRest(client: unknown, timings: RequestTimings | undefined): AriRest {
  return (timings ? timedRest(client as object, timings) : client) as AriRest;
}
