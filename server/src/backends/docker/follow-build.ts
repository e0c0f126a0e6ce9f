import type Dockerode from 'dockerode';
import { LineTail } from '../../util/line-tail.js';
import { buildFailed } from '../shared/backend-error.js';

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Streams a build's output line by line; rejects with the failing step's last lines. */
export function followBuild(
  docker: Dockerode,
  stream: NodeJS.ReadableStream,
  log: (line: string) => void,
): Promise<void> {
  const tail = new LineTail(25);
  let partial = '';
  const emit = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const clean = line.replace(/\r/g, '');
      if (clean.trim() === '') continue;
      tail.push(clean);
      log(clean);
    }
  };
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: BuildEvent[]) => {
        emit('\n');
        const failed = events?.find((event) => event.error !== undefined);
        if (error || failed) {
          const message =
            failed?.errorDetail?.message ?? failed?.error ?? error?.message ?? 'unknown error';
          reject(buildFailed(message.trim(), tail.lines()));
        } else {
          resolve();
        }
      },
      (event: BuildEvent) => {
        if (event.stream) emit(event.stream);
        else if (event.status) emit(`${event.status}\n`);
      },
    );
  });
}
