/** Thrown when data on the wire does not have the shape the protocol promises. */
export class ProtocolError extends TypeError {
  override name = 'ProtocolError';
}

export type JsonObject = Record<string, unknown>;

export function assertObject(value: unknown, what: string): asserts value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`${what} must be a JSON object`);
  }
}

export function assertString(obj: JsonObject, key: string, what: string): void {
  if (typeof obj[key] !== 'string' || obj[key] === '') {
    throw new ProtocolError(`${what}.${key} must be a non-empty string`);
  }
}

export function assertOptionalString(obj: JsonObject, key: string, what: string): void {
  if (obj[key] !== undefined && typeof obj[key] !== 'string') {
    throw new ProtocolError(`${what}.${key} must be a string when given`);
  }
}
