import { describe, expect, it } from 'vitest';
import { canonicalCidr, cidr, isCidr, within } from './cidr.js';

describe('CIDRs', () => {
  it('tells CIDRs from what only looks like one', () => {
    for (const valid of [
      '0.0.0.0/0',
      '10.0.0.0/8',
      '169.254.169.254/32',
      '::/0',
      '2001:db8::/32',
      '1:2:3:4:5:6:7:8/128',
      'fe80::/10',
    ]) {
      expect(isCidr(valid), valid).toBe(true);
    }
    for (const invalid of [
      '10.0.0.0/33',
      '999.1.1.1/8',
      '10/8',
      '010.0.0.0/8',
      '0xa.0.0.0/8',
      '::/129',
      '1:2:3:4:5:6:7:8:9/64',
      '1::2::3/64',
      'fe80::g/64',
      '::ffff:192.0.2.1/128',
      'fe80::1%eth0/64',
      '10.0.0.0',
      '10.0.0.0/8/8',
      '10.0.0.0/-1',
    ]) {
      expect(isCidr(invalid), invalid).toBe(false);
    }
  });
  it('have one text per range, to compare them', () => {
    expect(canonicalCidr('10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(canonicalCidr('2001:DB8:0:0:1::1/32')).toBe('2001:db8::/32');
    expect(cidr().parse('192.168.0.0/16')).toBe('192.168.0.0/16');
    expect(cidr().safeParse('10.0.0.0/33').error?.issues[0]?.message).toMatch(
      /^10\.0\.0\.0\/33 is no CIDR \(an IPv4 address in four decimal parts/,
    );
  });

  it('are refused with bits set past their prefix, saying what was likely meant', () => {
    expect(cidr().safeParse('10.96.0.10/12').error?.issues[0]?.message).toBe(
      '10.96.0.10/12 has bits set past its prefix: write 10.96.0.0/12 for the range, or 10.96.0.10/32 for one address',
    );
    expect(cidr().safeParse('fd00::1/8').error?.issues[0]?.message).toBe(
      'fd00::1/8 has bits set past its prefix: write fd00::/8 for the range, or fd00::1/128 for one address',
    );
  });

  it('lie within another only when strictly inside it, in the same family', () => {
    expect(within('169.254.0.0/16', '0.0.0.0/0')).toBe(true);
    expect(within('10.0.0.0/8', '10.20.0.0/16')).toBe(false);
    expect(within('10.0.0.0/8', '10.0.0.0/8')).toBe(false);
    expect(within('10.0.0.0/8', '::/0')).toBe(false);
  });
});
