import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { INSTANCE_ID, instanceIdOf, newInstanceId } from './instance.js';
import { tempFolder } from './test-support/temp-folder.js';

describe('instance ids', () => {
  it('are made once per data folder and kept there', async () => {
    const dataDir = join(await tempFolder({}), 'data');
    const ids = await Promise.all([instanceIdOf(dataDir), instanceIdOf(dataDir)]);
    expect(ids[0]).toMatch(INSTANCE_ID);
    expect(ids[1]).toBe(ids[0]);
    expect(await instanceIdOf(dataDir)).toBe(ids[0]);
    expect(await instanceIdOf(await tempFolder({}))).not.toBe(ids[0]);
  });

  it('refuse a data folder whose instance-id file holds something else', async () => {
    const dataDir = await tempFolder({});
    await writeFile(join(dataDir, 'instance-id'), 'not an id!\n');
    await expect(instanceIdOf(dataDir)).rejects.toThrow(/does not hold an instance id/);
  });

  it('can be made fresh, for a server whose sessions are its own', () => {
    expect(newInstanceId('run')).toMatch(/^run-[A-Za-z0-9]+$/);
    expect(newInstanceId('run')).not.toBe(newInstanceId('run'));
  });

  it('are Kubernetes label values on every backend: one rule for the configuration, the data folder and the chart', () => {
    for (const id of ['course', 'course-binder', 'Course_2024.a', 'a', 'x'.repeat(63)]) {
      expect(parseConfig({ instanceId: id }).instanceId).toBe(id);
    }
    for (const id of ['course-', 'course_', '-course', '.course', 'x'.repeat(64), '', 'a b']) {
      expect(() => parseConfig({ instanceId: id }), id).toThrow(
        /is no instance id \(at most 63 letters, digits, "-", "_" or "\.", starting and ending with a letter or digit\)\n.*at instanceId/,
      );
    }
  });
});
