import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InstanceSessions } from '../backends/types.js';

/** How a launch ended: `refused` is a 4xx (the request's fault), `failed` a 5xx (ours). */
export type LaunchOutcome = 'ready' | 'refused' | 'failed' | 'abandoned';

/** How a build step of a launch ended: `reused` when every stage's image already existed. */
export type BuildOutcome = 'built' | 'reused' | 'failed';

/** The proxy's two kinds of traffic to kernel servers. */
export type ProxyKind = 'http' | 'websocket';

/** Bytes the proxy carried, by direction as seen from the reader's browser. */
export type ProxyDirection = 'to_kernel' | 'from_kernel';

/** Spec prefixes launches are labelled by; anything else is `unknown`, so labels stay few. */
const PROVIDERS = new Set(['gh', 'gl', 'git', 'local', 'image']);

/** Launch and build durations run from milliseconds (pools, cache hits) to half an hour (builds). */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/** The provider label of a launch request's spec (`gh/org/repo/ref` -> `gh`). */
export function providerOf(spec: string | undefined): string {
  if (spec === undefined) return 'image';
  const prefix = spec.split('/', 1)[0] ?? '';
  return PROVIDERS.has(prefix) ? prefix : 'unknown';
}

/**
 * The server's Prometheus metrics, in a registry of its own (never prom-client's global
 * one), so two apps in one process keep separate figures. Every metric is named
 * `binder_cell_*`; Node's process metrics come with the same prefix.
 */
/** The ready sessions of one warm pool: its spec and kernel. */
export interface PoolSize {
  pool: string;
  kernel: string;
  sessions: number;
}

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly launches = new Counter({
    name: 'binder_cell_launches_total',
    help: 'Launches by how they ended and the provider of their repository',
    labelNames: ['outcome', 'provider'],
    registers: [this.registry],
  });
  private readonly launchSeconds = new Histogram({
    name: 'binder_cell_launch_duration_seconds',
    help: 'Launch request to ready or failed, in seconds',
    labelNames: ['outcome', 'provider'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly buildSeconds = new Histogram({
    name: 'binder_cell_build_duration_seconds',
    help: 'The build step of a launch (finding or building its images), in seconds',
    labelNames: ['outcome', 'provider'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private poolSizes: () => readonly PoolSize[] = () => [];
  private readonly poolSessions: Gauge = new Gauge({
    name: 'binder_cell_pool_sessions',
    help: 'Started sessions waiting in a warm pool, by pool (its spec) and kernel',
    labelNames: ['pool', 'kernel'],
    registers: [this.registry],
    collect: () => {
      this.poolSessions.reset();
      for (const { pool, kernel, sessions } of this.poolSizes()) {
        this.poolSessions.set({ pool, kernel }, sessions);
      }
    },
  });
  private readonly proxyOpen = new Gauge({
    name: 'binder_cell_proxy_connections',
    help: 'Proxied HTTP requests in flight and WebSocket connections open',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly proxyTotal = new Counter({
    name: 'binder_cell_proxy_connections_total',
    help: 'Proxied HTTP requests and WebSocket connections since the server started',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly proxyBytes = new Counter({
    name: 'binder_cell_proxy_bytes_total',
    help: 'Bytes proxied between browsers and kernel servers',
    labelNames: ['kind', 'direction'],
    registers: [this.registry],
  });
  private readonly boundBytes = new Map<ProxyKind, Record<ProxyDirection, (n: number) => void>>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'binder_cell_' });
  }

  /** Counts a launch that ended, and how long (seconds) it took from its request. */
  launchEnded(outcome: LaunchOutcome, provider: string, seconds: number): void {
    this.launches.inc({ outcome, provider });
    this.launchSeconds.observe({ outcome, provider }, seconds);
  }

  /** Times the build step of a launch (seconds). */
  buildEnded(outcome: BuildOutcome, provider: string, seconds: number): void {
    this.buildSeconds.observe({ outcome, provider }, seconds);
  }

  /** For warm pools: reads the sessions each pool holds ready whenever metrics are read; call once. */
  countPoolSessions(sizes: () => readonly PoolSize[]): void {
    this.poolSizes = sizes;
  }

  /**
   * Reports `count()` as `binder_cell_sessions{backend}` whenever metrics are read: the
   * sessions this server's `maxSessions` counts (SessionRegistry.counted); call once.
   */
  countSessions(backend: string, count: () => number): void {
    new Gauge({
      name: 'binder_cell_sessions',
      help: "Running sessions readers hold that count against this server's maxSessions (with replicas: those it launched), by backend",
      labelNames: ['backend'],
      registers: [this.registry],
      collect() {
        this.set({ backend }, count());
      },
    });
  }

  /**
   * Reports the whole instance's running sessions as `binder_cell_instance_sessions
   * {backend, kind}` (`kind`: `reader` or `pooled`) whenever metrics are read, for
   * backends whose replicas share sessions: every replica reports the same figures, so
   * take their maximum, never their sum. Call once.
   */
  countInstanceSessions(backend: string, count: () => Promise<InstanceSessions>): void {
    new Gauge({
      name: 'binder_cell_instance_sessions',
      help: 'Running sessions of the whole instance, across replicas (the same on each: take the max, not the sum), by backend and kind (reader, pooled)',
      labelNames: ['backend', 'kind'],
      registers: [this.registry],
      async collect() {
        // A backend that cannot tell now leaves the figures out rather than failing /metrics.
        const counted = await count().catch(() => undefined);
        this.reset();
        if (!counted) return;
        this.set({ backend, kind: 'reader' }, counted.readers);
        this.set({ backend, kind: 'pooled' }, counted.pooled);
      },
    });
  }

  /**
   * Counts one proxied request or WebSocket; call the returned function once when it
   * closes. `bytes` counters are bound to their labels once, since the proxy calls them
   * for every chunk.
   */
  proxyOpened(kind: ProxyKind): {
    closed: () => void;
    bytes: Record<ProxyDirection, (count: number) => void>;
  } {
    this.proxyTotal.inc({ kind });
    this.proxyOpen.inc({ kind });
    let open = true;
    return {
      closed: () => {
        if (open) this.proxyOpen.dec({ kind });
        open = false;
      },
      bytes: this.proxyBytesOf(kind),
    };
  }

  private proxyBytesOf(kind: ProxyKind): Record<ProxyDirection, (count: number) => void> {
    let bound = this.boundBytes.get(kind);
    if (!bound) {
      const toKernel = this.proxyBytes.labels({ kind, direction: 'to_kernel' });
      const fromKernel = this.proxyBytes.labels({ kind, direction: 'from_kernel' });
      bound = {
        to_kernel: (count) => toKernel.inc(count),
        from_kernel: (count) => fromKernel.inc(count),
      };
      this.boundBytes.set(kind, bound);
    }
    return bound;
  }
}
