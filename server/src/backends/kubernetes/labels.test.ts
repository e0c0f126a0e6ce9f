import { describe, expect, it } from 'vitest';
import { checkInstanceId } from './labels.js';

describe('instance ids on kubernetes, which label every pod', () => {
  it('accepts label values: letters, digits, `-`, `_` and `.` inside, up to 63 characters', () => {
    for (const id of ['course', 'course-binder', 'Course_2024.a', 'a', 'x'.repeat(63)]) {
      expect(() => checkInstanceId(id)).not.toThrow();
    }
  });

  it('refuses ids the API server would answer 422 for, saying why', () => {
    for (const id of ['course-', 'course_', '-course', '.course', 'x'.repeat(64), '']) {
      expect(() => checkInstanceId(id)).toThrow(
        /not a Kubernetes label value.*starting and ending/,
      );
    }
  });
});
