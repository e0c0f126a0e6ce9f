import type { IncomingMessage } from 'node:http';
import { ApiKeys } from './api-keys.js';
import type { AdmissionSettings } from './config.js';
import { LaunchRateLimit } from './rate-limit.js';

/** What a launch request must pass before its body is looked at: the API key, then the rate limit. */
export class LaunchGate {
  private readonly keys: ApiKeys;
  private readonly rate: LaunchRateLimit;

  constructor(settings: Pick<AdmissionSettings, 'apiKeys' | 'rateLimit'>) {
    this.keys = new ApiKeys(settings.apiKeys);
    this.rate = new LaunchRateLimit(settings.rateLimit);
  }

  /**
   * Throws HttpError 401 (no or wrong key) or 429 (rate limit, with `Retry-After`).
   * `query`: the key may come as the `key` query parameter (`/build`, for EventSource).
   */
  async pass(req: IncomingMessage, client: string, options: { query: boolean }): Promise<void> {
    this.keys.check(req, options);
    await this.rate.consume(client);
  }
}
