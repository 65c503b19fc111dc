// npm run call -- <access number> <conference ID> [passcode] [seconds]: dial in with SIPp and stay on the line.
import { placeCall } from './sipp.js';

const [number, conferenceId, passcode, seconds] = process.argv.slice(2);
if (!number || !conferenceId) {
  console.error('usage: npm run call -- <access number> <conference ID> [passcode] [seconds on the line]');
  process.exit(2);
}
const keys = [{ afterMs: 1500, keys: `${conferenceId}#` }];
if (passcode) keys.push({ afterMs: 3000, keys: `${passcode}#` });
console.log(`calling ${number}, conference ${conferenceId}${passcode ? ' with a passcode' : ''}`);
const result = await placeCall({ number, keys, speech: 1, holdMs: Number(seconds ?? 30) * 1000 }).done;
console.log(result.hungUpByBridge ? 'parley ended the call' : 'the caller hung up', `(SIPp exit ${result.exitCode})`);
if (result.exitCode !== 0) console.log(result.log);
