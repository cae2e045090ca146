import { fetchTransport, type Transport } from '../../src/console/simulator/call.js';

/**
 * The simulator's transport for several web processes behind one public URL: each request
 * goes to the next process in turn, as a load balancer without sticky sessions would send
 * it — a call only works if no web process keeps state of its own.
 */
export function roundRobinTransport(
  publicBase: string,
  ports: readonly number[],
): Transport & { perPort: Map<number, number> } {
  let n = 0;
  const perPort = new Map<number, number>(ports.map((p) => [p, 0]));
  const t = (async (url, params, headers) => {
    const port = ports[n++ % ports.length]!;
    perPort.set(port, perPort.get(port)! + 1);
    const local = url.startsWith(publicBase) ? `http://127.0.0.1:${port}${url.slice(publicBase.length)}` : url;
    return fetchTransport(local, params, headers);
  }) as Transport & { perPort: Map<number, number> };
  t.perPort = perPort;
  return t;
}

/** Runs `fn(i)` for i in [0, n) with at most `parallel` running at once; collects errors. */
export async function runPool(n: number, parallel: number, fn: (i: number) => Promise<void>): Promise<Error[]> {
  const errors: Error[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        const i = next++;
        try {
          await fn(i);
        } catch (err) {
          errors.push(new Error(`#${i}: ${(err as Error).message}`));
        }
      }
    }),
  );
  return errors;
}

/**
 * By every instant t, at most burst + tps·(t − t0) sends: the global limiter's guarantee
 * (sends leave at or after their reserved slot). Returns the instants that break it.
 */
export function rateBoundViolations(
  times: readonly number[],
  t0: number,
  tps: number,
  burst: number,
): Array<{ k: number; at: number; allowed: number }> {
  return [...times]
    .sort((a, b) => a - b)
    .map((at, i) => ({ k: i + 1, at: at - t0, allowed: burst + Math.floor(((at - t0) * tps) / 1000) + 1 }))
    .filter((x) => x.k > x.allowed);
}
