import Dockerode from 'dockerode';

/** The Docker engine: `socketPath` when configured, else DOCKER_HOST or the default socket. */
export function createDocker(socketPath: string | undefined): Dockerode {
  return socketPath ? new Dockerode({ socketPath }) : new Dockerode();
}

export async function dockerReachable(docker: Dockerode): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

/** The id of a local image, or undefined when there is none by that name. */
export async function imageId(docker: Dockerode, name: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(name).inspect()).Id;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}
