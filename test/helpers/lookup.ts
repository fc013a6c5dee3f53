// Name resolution for the tests, so that no query leaves the machine: every `*.test` name is
// 127.0.0.1 and every other name does not exist (ENOTFOUND, as a real resolver says it).
import type { LookupFunction } from 'node:net';

export const testLookup: LookupFunction = (hostname, options, callback) => {
  const found = hostname === 'localhost' || hostname.endsWith('.test');
  const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  setImmediate(() => {
    if (!found) callback(err, '', 4);
    else if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  });
};
