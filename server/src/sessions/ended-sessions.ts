/** How many ended sessions are remembered; older ones read as unknown (404). */
const REMEMBERED = 10_000;

/**
 * Why recently ended sessions ended, so their clients hear "ended" (410 with the reason)
 * rather than "no such session". Bounded: the oldest are forgotten first.
 */
export class EndedSessions {
  private readonly reasons = new Map<string, string>();

  constructor(private readonly size = REMEMBERED) {}

  add(sessionId: string, reason: string): void {
    this.reasons.delete(sessionId);
    this.reasons.set(sessionId, reason);
    if (this.reasons.size > this.size) {
      const oldest = this.reasons.keys().next();
      if (!oldest.done) this.reasons.delete(oldest.value);
    }
  }

  /** Why the session ended, or undefined when it is not known to have ended. */
  reasonFor(sessionId: string): string | undefined {
    return this.reasons.get(sessionId);
  }
}
