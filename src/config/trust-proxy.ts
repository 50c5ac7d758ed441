import { isIP } from 'node:net';
import { z } from 'zod';

/** proxy-addr's names for address ranges, which Express accepts in `trust proxy`. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrSubnet(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  if (rest.length || !isIP(address)) return false;
  if (prefix === undefined) return true;
  const bits = isIP(address) === 4 ? 32 : 128;
  return (/^\d+$/.test(prefix) && Number(prefix) <= bits) || (isIP(prefix) === 4 && isIP(address) === 4);
}

/**
 * Which peers may set X-Forwarded-*: none (false), a hop count, or addresses/subnets. `true` would
 * let any client choose its own address (and escape per-address rate limits), so it is refused.
 */
export const trustProxy = z
  .unknown()
  .superRefine((value, ctx) => {
    if (value === false || (Number.isInteger(value) && (value as number) >= 0)) return;
    if (typeof value === 'string' && value.split(',').map((e) => e.trim()).every(isAddressOrSubnet)) return;
    ctx.addIssue({
      code: 'custom',
      message:
        value === true || value === 'true'
          ? 'true would trust any client\'s X-Forwarded-For; give the hop count of your proxies (e.g. 1) or their addresses/subnets (e.g. "10.0.0.0/8")'
          : 'false, a hop count (e.g. 1) or addresses/subnets separated by commas (e.g. "loopback, 10.0.0.0/8")',
    });
  })
  .transform((value) => value as false | number | string)
  .default(false);
