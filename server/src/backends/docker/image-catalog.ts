import type Dockerode from 'dockerode';
import picomatch from 'picomatch';
import { forbidden, notFound } from '../../errors.js';
import type { BuiltImage } from '../types.js';
import { imageId } from './client.js';

/** Images the operator allows `{ "image": ... }` launches of, found on the local engine. */
export class AllowedImages {
  private readonly allowed: (name: string) => boolean;

  constructor(
    private readonly docker: Dockerode,
    patterns: readonly string[],
  ) {
    const matchers = patterns.map((pattern) => picomatch(pattern));
    this.allowed = (name) => matchers.some((matches) => matches(name));
  }

  /** The image, when the operator allows it (403 otherwise) and the engine has it (404 otherwise). */
  async find(name: string): Promise<BuiltImage> {
    if (!this.allowed(name)) {
      throw forbidden(`the image ${name} is not on this server's list of launchable images`);
    }
    const id = await imageId(this.docker, name);
    if (!id) throw notFound(`the image ${name} is not on this server`);
    return { id, name };
  }
}
