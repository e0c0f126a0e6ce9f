import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from '../errors.js';
import { AddressList, parseAddress } from './address-ranges.js';
import type { AdmissionSettings } from './config.js';

/**
 * Launches per client address and period (mybinder.org allows about 10 an hour). IPv6
 * clients are counted by their /64, the block one subscriber usually holds.
 */
export class LaunchRateLimit {
  private readonly limiter: RateLimiterMemory | undefined;
  private readonly exempt: AddressList;

  constructor(private readonly settings: AdmissionSettings['rateLimit']) {
    this.limiter =
      settings.launches > 0
        ? new RateLimiterMemory({ points: settings.launches, duration: settings.periodSeconds })
        : undefined;
    this.exempt = new AddressList(settings.exempt);
  }

  /** Counts a launch from `client`; throws 429 with `Retry-After` (seconds) past the limit. */
  async consume(client: string): Promise<void> {
    if (!this.limiter) return;
    const address = parseAddress(client);
    if (address && this.exempt.contains(address)) return;
    const key =
      address?.kind() === 'ipv6'
        ? address.toNormalizedString().split(':').slice(0, 4).join(':')
        : (address?.toString() ?? client);
    try {
      await this.limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new HttpError(
        429,
        `too many launches from your address: this server allows ${this.settings.launches} ` +
          `per ${period(this.settings.periodSeconds)} (admission.rateLimit); ` +
          `try again in ${duration(seconds)}`,
        { headers: { 'Retry-After': String(seconds) } },
      );
    }
  }
}

function period(seconds: number): string {
  if (seconds === 3600) return 'hour';
  if (seconds === 60) return 'minute';
  return duration(seconds);
}

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  if (seconds >= 120) return `${Math.ceil(seconds / 60)} minutes`;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
