import { describe, expect, it } from 'vitest';
import { HTTP_URL, httpUrl } from './http-url.js';

/** Whether the WHATWG URL parser takes `url`. */
function parses(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

describe('http(s) URLs in the configuration', () => {
  it('take what servers, indexes and mirrors are reached at, all of which `new URL` parses', () => {
    for (const url of [
      'https://binder.example.org',
      'http://localhost:8080/',
      'https://user:p%ss@pypi.example.org/simple',
      'https://binder.example.org/%',
      'https://[2001:db8::1]:8443/x?y#z',
      'http://10.0.0.1/simple',
      'https://micro.mamba.pm/api/micromamba/linux-64/latest',
      'http://pypi_mirror:8080/simple',
      'https://a--b.example.org/',
    ]) {
      expect(httpUrl().parse(url)).toBe(url);
      expect(parses(url), url).toBe(true);
    }
  });

  it('refuse what is no http(s) URL, or what `new URL` would refuse', () => {
    for (const url of [
      'https://',
      'https://:80',
      'https://binder.example.org:99999/',
      'https://[fe80::1%25eth0]/',
      'https://example.123/',
      'https://999.1.1.1/',
      'https://xn--a.com/',
      'https://xn--bcher-kva.example/',
      'https://bücher.example/',
      'https://pypi.example.org\\simple',
      'https://binder example.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'binder.example.org',
    ]) {
      expect(HTTP_URL.test(url), url).toBe(false);
    }
    expect(httpUrl().safeParse('https://').error?.issues[0]?.message).toMatch(
      /^"https:\/\/" is no http\(s\) URL: http:\/\/ or https:\/\/, a host name/,
    );
  });
});
