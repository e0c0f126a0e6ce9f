import { describe, expect, it } from 'vitest';
import { serverUrl } from './server-url.js';

describe('the base URL of a kernel server at an address', () => {
  it('puts IPv6 addresses in brackets and leaves IPv4 addresses and names as they are', () => {
    expect(serverUrl('fd00::1', 8888)).toBe('http://[fd00::1]:8888/');
    expect(serverUrl('::1', 8888)).toBe('http://[::1]:8888/');
    expect(new URL(serverUrl('fd00:10:244::5', 8888)).hostname).toBe('[fd00:10:244::5]');
    expect(serverUrl('10.244.1.7', 8888)).toBe('http://10.244.1.7:8888/');
    expect(serverUrl('session.internal', 80)).toBe('http://session.internal:80/');
  });
});
