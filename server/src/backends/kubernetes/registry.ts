import { readFile } from 'node:fs/promises';

/** An image reference split the way the registry API takes it. */
export interface ImageReference {
  /** `registry.example.org:5000`. */
  host: string;
  /** `binder-cell/env`. */
  repository: string;
  tag: string;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * `host/path/name:tag` split into registry host, repository and tag. A first part with no
 * `.` or `:` (and not `localhost`) is a Docker Hub repository, as Docker reads names.
 */
export function parseImage(image: string): ImageReference {
  const at = image.lastIndexOf(':');
  const slash = image.lastIndexOf('/');
  const [name, tag] = at > slash ? [image.slice(0, at), image.slice(at + 1)] : [image, 'latest'];
  const first = name.split('/')[0] ?? '';
  if (name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { host: first, repository: name.slice(first.length + 1), tag };
  }
  return {
    host: 'registry-1.docker.io',
    repository: name.includes('/') ? name : `library/${name}`,
    tag,
  };
}

export interface RegistryOptions {
  /** Plain HTTP instead of HTTPS. */
  insecure: boolean;
  /** A Docker config.json with `auths` for the registry, read on each question. */
  authFile: string | undefined;
}

/**
 * Asks image registries whether an image exists, with the Docker Registry HTTP API v2
 * (`HEAD /v2/<name>/manifests/<tag>`), answering a Bearer challenge with the token
 * service's token when the registry asks for one.
 */
export class ImageRegistry {
  constructor(private readonly options: RegistryOptions) {}

  /**
   * The image's digest (`sha256:...`), or undefined when the registry does not have it.
   * Throws when the registry does not answer or refuses the question.
   */
  async digest(image: string): Promise<string | undefined> {
    const reference = parseImage(image);
    const url = `${this.options.insecure ? 'http' : 'https'}://${reference.host}/v2/${reference.repository}/manifests/${reference.tag}`;
    const basic = await this.basicAuth(reference.host);
    const ask = (authorization?: string) =>
      fetch(url, {
        method: 'HEAD',
        headers: { accept: MANIFEST_TYPES, ...(authorization ? { authorization } : {}) },
        signal: AbortSignal.timeout(30_000),
      });
    let response = await ask(basic && `Basic ${basic}`);
    const challenge = response.headers.get('www-authenticate');
    if (response.status === 401 && challenge?.startsWith('Bearer ')) {
      response = await ask(`Bearer ${await bearerToken(challenge, basic)}`);
    }
    if (response.status === 404) return undefined;
    if (!response.ok) {
      throw new Error(`the registry ${reference.host} answered ${response.status} for ${image}`);
    }
    return response.headers.get('docker-content-digest') ?? `unknown:${reference.tag}`;
  }

  /** `user:password` in base64 for `host` from the auth file, if it has them. */
  private async basicAuth(host: string): Promise<string | undefined> {
    if (!this.options.authFile) return undefined;
    const config = JSON.parse(await readFile(this.options.authFile, 'utf8')) as {
      auths?: Record<string, { auth?: string; username?: string; password?: string }>;
    };
    const entry = Object.entries(config.auths ?? {}).find(
      ([key]) => key.replace(/^https?:\/\//, '').replace(/\/.*$/, '') === host,
    )?.[1];
    if (entry?.auth) return entry.auth;
    if (entry?.username !== undefined) {
      return Buffer.from(`${entry.username}:${entry.password ?? ''}`).toString('base64');
    }
    return undefined;
  }
}

/** A token from the token service a `Bearer realm=...,service=...,scope=...` challenge names. */
async function bearerToken(challenge: string, basic: string | undefined): Promise<string> {
  const params = new Map<string, string>();
  for (const [, key, value] of challenge.slice('Bearer '.length).matchAll(/(\w+)="([^"]*)"/g)) {
    if (key !== undefined && value !== undefined) params.set(key, value);
  }
  const realm = params.get('realm');
  if (!realm) throw new Error('the registry asked for a token without naming where from');
  const url = new URL(realm);
  for (const name of ['service', 'scope']) {
    const value = params.get(name);
    if (value) url.searchParams.set(name, value);
  }
  const response = await fetch(url, {
    headers: basic ? { authorization: `Basic ${basic}` } : {},
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`the registry's token service answered ${response.status}`);
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new Error("the registry's token service gave no token");
  return token;
}
