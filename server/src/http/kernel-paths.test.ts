import { describe, expect, it } from 'vitest';
import { isKernelApiPath, parseSessionPath } from './kernel-paths.js';

const id = '0b6f4f3e-8a7d-4f51-9d39-3f4a4a1c2b7e';

describe('parseSessionPath', () => {
  it('splits the session id from the path and drops the token from the query', () => {
    expect(parseSessionPath(`/sessions/${id}/api/kernels?token=abc&session_id=s1`)).toEqual({
      sessionId: id,
      rest: 'api/kernels',
      search: '?session_id=s1',
    });
    expect(parseSessionPath(`/sessions/${id}`)).toEqual({ sessionId: id, rest: '', search: '' });
  });

  it('ignores paths that are not a session', () => {
    expect(parseSessionPath('/api/v1/launch')).toBeUndefined();
    expect(parseSessionPath('/sessions/not-a-uuid/api/status')).toBeUndefined();
  });
});

describe('isKernelApiPath', () => {
  it.each([
    'api/status',
    'api/kernels',
    'api/kernels/',
    `api/kernels/${id}`,
    `api/kernels/${id}/channels`,
    `api/kernels/${id}/interrupt`,
    `api/kernels/${id}/restart`,
    'api/sessions',
    `api/sessions/${id}`,
    'api/kernelspecs',
    'api/kernelspecs/python3',
    'binder-cell/bokehjs',
    'binder-cell/bokehjs/bokeh.min.js',
    'binder-cell/bokehjs/bokeh-widgets.min.js',
  ])('passes %s', (path) => expect(isKernelApiPath(path)).toBe(true));

  it.each([
    '',
    'api',
    'api/contents',
    'api/contents/secret.txt',
    'api/terminals',
    'api/kernelsx',
    'api/statusx',
    'api/status/extra',
    'api/kernels/../contents',
    'api/kernels/./../contents',
    'api/kernels/%2e%2e/contents',
    'api/kernels/%2E%2E/contents',
    'api/kernels%2f..%2fcontents',
    'api/kernels%2F..%2Fcontents',
    'api/kernels/..%5ccontents',
    'api/kernels\\..\\contents',
    'api/kernels//x',
    'api/kernels/%E0%A4%A',
    'files/notebook.ipynb',
    'tree',
    'lab',
    'login',
    'static/base/images/logo.png',
    'kernelspecs/python3/logo-64x64.png',
    'binder-cell',
    'binder-cell/bokehjs/',
    'binder-cell/bokehjs/bokeh.js',
    'binder-cell/bokehjs/compiler.js',
    'binder-cell/bokehjs/../../api/contents',
    'binder-cell/bokehjs/lib/bokeh.min.js',
  ])('refuses %s', (path) => expect(isKernelApiPath(path)).toBe(false));
});
