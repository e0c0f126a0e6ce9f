import { describe, expect, it } from 'vitest';
import { labelValue, objectName } from './names.js';
import { buildNetworkPolicyName, networkPolicyName } from './network-policy.js';
import { podName } from './session-pods.js';

/** The API server's rules, written out here apart from the module's own. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const shared = 'course-data-science-2024-autumn-section-b-';
const awkward = [
  `${shared}monday`,
  `${shared}tuesday`,
  `${shared}${'x'.repeat(80)}a`,
  `${shared}${'x'.repeat(80)}b`,
  'Course',
  'course',
  'COURSE',
  'a_b',
  'a-b',
  'a.b',
  'a..b',
  '-',
  '',
  '../../etc',
  'ünïcode',
  '3b7e4a52-0c1d-4a1e-9d55-2f3e4b5c6d7e',
];

function expectAllDistinct(names: string[]): void {
  expect(new Set(names).size).toBe(names.length);
}

describe('names and label values derived from ids', () => {
  it.each([
    ['session', networkPolicyName],
    ['build', buildNetworkPolicyName],
  ])(
    'gives every instance id its own valid %s NetworkPolicy name, however long or cased',
    (_kind, name) => {
      const names = awkward.map(name);
      for (const each of names) {
        expect(each.length).toBeLessThanOrEqual(253);
        expect(each).toMatch(DNS_SUBDOMAIN);
      }
      expectAllDistinct(names);
      // `a._b` is a valid instance id (a label value) but no object name as it stands.
      expect(name('a._b')).toMatch(DNS_SUBDOMAIN);
    },
  );

  it('gives every session id its own valid pod name of at most 63 characters', () => {
    const names = awkward.map(podName);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(DNS_LABEL);
    }
    expectAllDistinct(names);
  });

  it('gives every value its own valid label value', () => {
    const values = awkward.map(labelValue);
    for (const value of values) {
      expect(value.length).toBeLessThanOrEqual(63);
      expect(value).toMatch(LABEL_VALUE);
    }
    expectAllDistinct(values);
  });

  it('keeps names that are valid already as they were (pods and policies made before)', () => {
    expect(podName('3b7e4a52-0c1d-4a1e-9d55-2f3e4b5c6d7e')).toBe(
      'binder-cell-3b7e4a52-0c1d-4a1e-9d55-2f3e4b5c6d7e',
    );
    expect(networkPolicyName('binder-cell')).toBe('binder-cell-sessions-binder-cell');
    expect(networkPolicyName('course.2024')).toBe('binder-cell-sessions-course.2024');
    expect(buildNetworkPolicyName('binder-cell')).toBe('binder-cell-builds-binder-cell');
    expect(labelValue('Course_2024.a')).toBe('Course_2024.a');
    expect(objectName('binder-cell-', 'x'.repeat(51))).toBe(`binder-cell-${'x'.repeat(51)}`);
  });

  it('keeps what it can of a value it changes, for people reading the names', () => {
    expect(networkPolicyName('Course_A')).toMatch(/^binder-cell-sessions-course-a-[0-9a-f]{10}$/);
    expect(podName('x'.repeat(52))).toMatch(/^binder-cell-x{40}-[0-9a-f]{10}$/);
  });
});
