import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { tempFolder } from '../../../test-support/temp-folder.js';

/** A Kubernetes object as JSON, as the API server stores and sends it. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
};

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
interface StoredEvent {
  version: number;
  resource: string;
  type: EventType;
  object: KubeObject;
}

interface Watcher {
  resource: string;
  matches: (object: KubeObject) => boolean;
  send: (event: StoredEvent) => void;
  end: () => void;
}

/** What a test sees of the fake API server. */
export interface FakeApiServer {
  readonly url: string;
  /** A kubeconfig file pointing at this server. */
  readonly kubeconfig: string;
  /** Every object created (POST) or replaced (PUT), as the client sent it. */
  readonly received: KubeObject[];
  /** A pod by name, in whichever namespace it is (`metadata.namespace`). */
  pod(name: string): KubeObject | undefined;
  pods(): KubeObject[];
  /** A NetworkPolicy by name, in whichever namespace it is. */
  networkPolicy(name: string): KubeObject | undefined;
  /** Changes a pod's status (merged into the stored one), as a kubelet would. */
  setStatus(name: string, status: Record<string, unknown>): void;
  /** Adds a line to a container's log, for followers and later reads. */
  appendLog(pod: string, container: string, line: string): void;
  /** Called for each pod created. */
  onCreate(listener: (pod: KubeObject) => void): void;
  /** Called for each pod deleted. */
  onDelete(listener: (pod: KubeObject) => void): void;
  /** Called with what a client sent to a container's stdin (`attach`) once it closed it. */
  onInput(listener: (pod: string, container: string, input: Buffer) => void): void;
  /**
   * How attach requests are answered from now on: `accept` (the default), `forbid` (403,
   * as with a Role lacking `pods/attach`) or `hold` (connected, but nothing sent reaches
   * the container, even once the client closes: a replica that went away before sending
   * the build context).
   */
  answerAttach(answer: AttachAnswer): void;
  /**
   * How watch requests are answered from now on: `accept` (the default), `forbid` (403, as
   * with a Role lacking `watch`) or `expire` (an ERROR event 410 Expired, then the end of
   * the stream, as for a resourceVersion older than the API server keeps).
   */
  answerWatch(answer: 'accept' | 'forbid' | 'expire'): void;
  /**
   * How NetworkPolicy requests are answered from now on: `accept` (the default) or
   * `forbid` (403, as with a Role lacking `networkpolicies`).
   */
  answerNetworkPolicies(answer: 'accept' | 'forbid'): void;
  /** Watch requests answered so far, whatever the answer. */
  readonly watchRequests: number;
  /** Ends every open watch stream at once, as a dropped connection would. */
  dropWatches(): void;
  close(): Promise<void>;
}

export type AttachAnswer = 'accept' | 'forbid' | 'hold';

const RESOURCES: Record<string, string> = {
  pods: 'Pod',
  networkpolicies: 'NetworkPolicy',
};

/**
 * A local HTTP server speaking the paths and behaviour of the Kubernetes API the backend
 * uses, for pods and NetworkPolicies in any namespace: create (409 on a taken name), get,
 * list and watch with label selectors (watch streams of ADDED/MODIFIED/DELETED lines from
 * a resourceVersion; 403 or 410 Expired when a test says, and dropped), delete,
 * NetworkPolicies (403 when a test says), patch (JSON patch with `test`, merge patch, resourceVersion
 * preconditions: 409/422), replace, pods/log (with follow) and pods/attach (WebSocket,
 * stdin). Pod lifecycles are the test's to drive (setStatus), as a kubelet's would be.
 */
export async function startFakeApiServer(): Promise<FakeApiServer> {
  const store = new Map<string, Map<string, KubeObject>>(
    Object.keys(RESOURCES).map((resource) => [resource, new Map()]),
  );
  const events: StoredEvent[] = [];
  const watchers = new Set<Watcher>();
  const logs = new Map<string, string[]>();
  const logFollowers = new Map<string, Set<(line: string | undefined) => void>>();
  const received: KubeObject[] = [];
  const created: ((pod: KubeObject) => void)[] = [];
  const deleted: ((pod: KubeObject) => void)[] = [];
  const inputs: ((pod: string, container: string, input: Buffer) => void)[] = [];
  let version = 1;
  let watchAnswer: 'accept' | 'forbid' | 'expire' = 'accept';
  let watchRequests = 0;
  let networkPolicyAnswer: 'accept' | 'forbid' = 'accept';

  const record = (resource: string, type: EventType, object: KubeObject) => {
    version += 1;
    if (type !== 'DELETED') object.metadata.resourceVersion = String(version);
    const event = { version, resource, type, object: structuredClone(object) };
    events.push(event);
    for (const watcher of watchers) {
      if (watcher.resource === resource && watcher.matches(object)) watcher.send(event);
    }
  };

  const logKey = (pod: string, container: string) => `${pod}/${container}`;
  const endLogsOf = (pod: string) => {
    for (const [key, followers] of logFollowers) {
      if (key.startsWith(`${pod}/`)) for (const follower of followers) follower(undefined);
    }
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) fail(res, 500, 'InternalError', (error as Error).message);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname === '/api/v1' || url.pathname === '/api/v1/') {
      json(res, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [] });
      return;
    }
    const match =
      /^\/(?:api\/v1|apis\/networking\.k8s\.io\/v1)\/namespaces\/([^/]+)\/(pods|networkpolicies)(?:\/([^/]+))?(?:\/(log))?$/.exec(
        url.pathname,
      );
    const namespace = match?.[1] ?? '';
    const resource = match?.[2];
    const objects = resource ? store.get(resource) : undefined;
    if (!match || !resource || !objects) {
      fail(res, 404, 'NotFound', `the server could not find the requested resource`);
      return;
    }
    const name = match[3] ? decodeURIComponent(match[3]) : undefined;
    const body = await readBody(req);
    if (resource === 'networkpolicies' && networkPolicyAnswer === 'forbid') {
      const verb = req.method === 'GET' ? 'get' : 'create';
      fail(
        res,
        403,
        'Forbidden',
        `networkpolicies.networking.k8s.io is forbidden: User "fake" cannot ${verb} resource "networkpolicies" in namespace "${namespace}"`,
      );
      return;
    }
    if (match[4] === 'log' && name) {
      serveLog(res, namespace, name, url);
      return;
    }
    if (!name) {
      if (req.method === 'POST') {
        const object = JSON.parse(body) as KubeObject;
        received.push(structuredClone(object));
        object.metadata.namespace = namespace;
        if (objects.has(storeKey(namespace, object.metadata.name))) {
          fail(res, 409, 'AlreadyExists', `${resource} "${object.metadata.name}" already exists`);
          return;
        }
        object.metadata.uid = `uid-${version}`;
        object.metadata.creationTimestamp = new Date().toISOString();
        if (resource === 'pods') object.status = { phase: 'Pending' };
        objects.set(storeKey(namespace, object.metadata.name), object);
        record(resource, 'ADDED', object);
        json(res, 201, object);
        if (resource === 'pods') for (const listener of created) listener(object);
        return;
      }
      const labelled = labelMatcher(url.searchParams.get('labelSelector') ?? '');
      const matches = (object: KubeObject) =>
        object.metadata.namespace === namespace && labelled(object);
      if (url.searchParams.get('watch') === 'true') {
        watchRequests += 1;
        if (watchAnswer === 'forbid') {
          fail(
            res,
            403,
            'Forbidden',
            `${resource} is forbidden: User "fake" cannot watch resource "${resource}"`,
          );
          return;
        }
        if (watchAnswer === 'expire') {
          res.writeHead(200, { 'content-type': 'application/json' });
          const status = {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: 'too old resource version',
            reason: 'Expired',
            code: 410,
          };
          res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
          return;
        }
        watch(res, resource, matches, url.searchParams.get('resourceVersion'), objects);
        return;
      }
      json(res, 200, {
        kind: `${RESOURCES[resource]}List`,
        apiVersion: 'v1',
        metadata: { resourceVersion: String(version) },
        items: [...objects.values()].filter(matches),
      });
      return;
    }
    const object = objects.get(storeKey(namespace, name));
    if (!object) {
      fail(res, 404, 'NotFound', `${resource} "${name}" not found`);
      return;
    }
    switch (req.method) {
      case 'GET':
        json(res, 200, object);
        return;
      case 'DELETE':
        objects.delete(storeKey(namespace, name));
        record(resource, 'DELETED', object);
        endLogsOf(name);
        json(res, 200, object);
        for (const listener of deleted) listener(object);
        return;
      case 'PUT': {
        const replacement = JSON.parse(body) as KubeObject;
        received.push(structuredClone(replacement));
        const precondition = replacement.metadata.resourceVersion;
        if (precondition !== undefined && precondition !== object.metadata.resourceVersion) {
          fail(res, 409, 'Conflict', 'the object has been modified');
          return;
        }
        replacement.metadata = { ...object.metadata, ...replacement.metadata };
        objects.set(storeKey(namespace, name), replacement);
        record(resource, 'MODIFIED', replacement);
        json(res, 200, replacement);
        return;
      }
      case 'PATCH': {
        const patched = patch(object, req.headers['content-type'] ?? '', JSON.parse(body));
        if (typeof patched === 'number') {
          fail(
            res,
            patched,
            patched === 409 ? 'Conflict' : 'Invalid',
            'the patch does not apply to the object',
          );
          return;
        }
        objects.set(storeKey(namespace, name), patched);
        record(resource, 'MODIFIED', patched);
        json(res, 200, patched);
        return;
      }
      default:
        fail(res, 405, 'MethodNotAllowed', `${req.method} is not allowed`);
    }
  }

  function watch(
    res: ServerResponse,
    resource: string,
    matches: (object: KubeObject) => boolean,
    from: string | null,
    objects: Map<string, KubeObject>,
  ): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const send = (event: { type: string; object: KubeObject }) =>
      res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
    if (from === null || from === '' || from === '0') {
      for (const object of objects.values()) if (matches(object)) send({ type: 'ADDED', object });
    } else {
      for (const event of events) {
        if (event.version > Number(from) && event.resource === resource && matches(event.object)) {
          send(event);
        }
      }
    }
    const watcher: Watcher = { resource, matches, send, end: () => res.end() };
    watchers.add(watcher);
    res.on('close', () => watchers.delete(watcher));
  }

  function serveLog(res: ServerResponse, namespace: string, pod: string, url: URL): void {
    const container = url.searchParams.get('container') ?? '';
    const key = logKey(pod, container);
    const lines = logs.get(key);
    if (!lines) {
      fail(res, 400, 'BadRequest', `container "${container}" in pod "${pod}" is waiting to start`);
      return;
    }
    const tail = Number(url.searchParams.get('tailLines') ?? 'NaN');
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (const line of Number.isNaN(tail) ? lines : lines.slice(-tail)) res.write(`${line}\n`);
    const podObject = store.get('pods')?.get(storeKey(namespace, pod));
    const follow = url.searchParams.get('follow') === 'true';
    if (!follow || !podObject || containerEnded(podObject, container)) {
      res.end();
      return;
    }
    let followers = logFollowers.get(key);
    if (!followers) logFollowers.set(key, (followers = new Set()));
    const follower = (line: string | undefined) => {
      if (line === undefined) {
        followers.delete(follower);
        res.end();
      } else res.write(`${line}\n`);
    };
    followers.add(follower);
    res.on('close', () => followers.delete(follower));
  }

  const sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) =>
      protocols.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : 'v4.channel.k8s.io',
  });
  let attachAnswer: AttachAnswer = 'accept';
  server.on('upgrade', (req, socket, head) => {
    if (attachAnswer === 'forbid') {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/attach$/.exec(url.pathname);
    const pod = match?.[2];
    if (!pod || !store.get('pods')?.has(storeKey(match?.[1] ?? '', pod))) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const held = attachAnswer === 'hold';
    sockets.handleUpgrade(req, socket, head, (ws) => {
      if (!held) attach(ws, pod, url.searchParams.get('container') ?? '');
    });
  });

  function attach(ws: WebSocket, pod: string, container: string): void {
    const chunks: Buffer[] = [];
    let closed = false;
    const stdinClosed = () => {
      if (closed) return;
      closed = true;
      for (const listener of inputs) listener(pod, container, Buffer.concat(chunks));
      ws.send(Buffer.concat([Buffer.from([3]), Buffer.from('{"metadata":{},"status":"Success"}')]));
      ws.close();
    };
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0) chunks.push(data.subarray(1));
      else if (data[0] === 255 && data[1] === 0) stdinClosed();
    });
    ws.on('close', stdinClosed);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfig = join(await tempFolder({}), 'kubeconfig.json');
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fake', user: { token: 'fake-token' } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: 'test' } }],
      'current-context': 'fake',
    }),
  );

  const pods = () => store.get('pods') ?? new Map<string, KubeObject>();
  /** Pods by name in any namespace (tests give each pod a name of its own). */
  const podNamed = (name: string) => [...pods().values()].find((pod) => pod.metadata.name === name);
  return {
    url,
    kubeconfig,
    received,
    pod: podNamed,
    pods: () => [...pods().values()],
    networkPolicy: (name) =>
      [...(store.get('networkpolicies')?.values() ?? [])].find(
        (policy) => policy.metadata.name === name,
      ),
    setStatus: (name, status) => {
      const pod = podNamed(name);
      if (!pod) return;
      pod.status = { ...pod.status, ...status };
      record('pods', 'MODIFIED', pod);
      for (const [key, followers] of logFollowers) {
        const [podName, container] = key.split('/');
        if (podName === name && container !== undefined && containerEnded(pod, container)) {
          for (const follower of followers) follower(undefined);
        }
      }
    },
    appendLog: (pod, container, line) => {
      const key = logKey(pod, container);
      const lines = logs.get(key) ?? [];
      logs.set(key, lines);
      lines.push(line);
      for (const follower of logFollowers.get(key) ?? []) follower(line);
    },
    onCreate: (listener) => created.push(listener),
    onDelete: (listener) => deleted.push(listener),
    onInput: (listener) => inputs.push(listener),
    answerAttach: (answer) => (attachAnswer = answer),
    answerWatch: (answer) => (watchAnswer = answer),
    answerNetworkPolicies: (answer) => (networkPolicyAnswer = answer),
    get watchRequests() {
      return watchRequests;
    },
    dropWatches: () => {
      // Out of the set first: nothing recorded from now on goes to these streams.
      const open = [...watchers];
      watchers.clear();
      for (const watcher of open) watcher.end();
    },
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The store's key of an object: `<namespace>/<name>`. */
function storeKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Whether a container of the pod has terminated (or the pod has ended). */
function containerEnded(pod: KubeObject, container: string): boolean {
  const status = pod.status as
    | {
        phase?: string;
        containerStatuses?: { name: string; state?: { terminated?: unknown } }[];
        initContainerStatuses?: { name: string; state?: { terminated?: unknown } }[];
      }
    | undefined;
  if (status?.phase === 'Succeeded' || status?.phase === 'Failed') return true;
  const all = [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])];
  return all.some((entry) => entry.name === container && entry.state?.terminated !== undefined);
}

/** `k=v`, `k==v`, `k!=v` and `k` (exists) terms, comma-separated, all of which must hold. */
export function labelMatcher(selector: string): (object: KubeObject) => boolean {
  const terms = selector
    .split(',')
    .filter((term) => term !== '')
    .map((term) => {
      const parts = /^([^!=]+)(==|=|!=)?(.*)$/.exec(term);
      return { key: parts?.[1] ?? term, op: parts?.[2], value: parts?.[3] ?? '' };
    });
  return (object) =>
    terms.every(({ key, op, value }) => {
      const actual = object.metadata.labels?.[key];
      if (op === undefined) return actual !== undefined;
      return op === '!=' ? actual !== value : actual === value;
    });
}

/** The patched object, or the status code of a patch that does not apply. */
function patch(object: KubeObject, contentType: string, body: unknown): KubeObject | number {
  const copy = structuredClone(object);
  if (contentType.startsWith('application/json-patch+json')) {
    for (const operation of body as { op: string; path: string; value?: unknown }[]) {
      if (!applyOperation(copy, operation)) return 422;
    }
    return copy;
  }
  if (contentType.startsWith('application/merge-patch+json')) {
    const changes = body as KubeObject;
    const precondition = changes.metadata?.resourceVersion;
    if (precondition !== undefined && precondition !== object.metadata.resourceVersion) return 409;
    return merge(copy, changes) as KubeObject;
  }
  return 415;
}

function merge(target: unknown, changes: unknown): unknown {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return changes;
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete result[key];
    else result[key] = merge(result[key], value);
  }
  return result;
}

/** Applies one JSON patch operation (RFC 6902) in place; false when it does not apply. */
function applyOperation(
  object: KubeObject,
  { op, path, value }: { op: string; path: string; value?: unknown },
): boolean {
  const keys = path
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop();
  let parent: unknown = object;
  for (const key of keys) {
    parent = (parent as Record<string, unknown> | undefined)?.[key];
  }
  if (typeof parent !== 'object' || parent === null || last === undefined) return false;
  const container = parent as Record<string, unknown>;
  switch (op) {
    case 'test':
      return JSON.stringify(container[last]) === JSON.stringify(value);
    case 'add':
      container[last] = value;
      return true;
    case 'replace':
      if (!(last in container)) return false;
      container[last] = value;
      return true;
    case 'remove':
      if (!(last in container)) return false;
      delete container[last];
      return true;
    default:
      return false;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, code: number, reason: string, message: string): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });
}
