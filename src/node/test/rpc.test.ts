/**
 * The typed RPC (src/shared/rpc.ts) between two real message ports of one MessageChannel: answers,
 * progress, cancel, errors as sentences, moved buffers, closing, and a side that dies.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors';
import type { Disposable } from '../../shared/lifecycle';
import {
  forwardTo,
  rpcClient,
  serveRpc,
  transfer,
  type CallControl,
  type MethodTable,
  type RpcRequest,
  type RpcResponse,
} from '../../shared/rpc';
import { threadEndpoint } from '../rpc-endpoints';

interface Counter {
  add(req: { a: number; b: number }): Promise<number>;
  count(req: { to: number }, ctl?: CallControl<number>): Promise<number>;
  wait(req: Record<string, never>, ctl?: CallControl<never>): Promise<void>;
  fail(req: { user: boolean }): Promise<void>;
  fill(req: { bytes: Uint8Array }): Promise<Uint8Array>;
}

const COUNTER_METHODS = {
  add: { doing: 'adding' },
  count: { doing: 'counting' },
  wait: { doing: 'waiting' },
  fail: { doing: 'failing' },
  fill: { doing: 'filling' },
} as const satisfies MethodTable<Counter>;

class CounterService implements Counter, Disposable {
  disposed = false;
  async add({ a, b }: { a: number; b: number }) {
    return a + b;
  }
  async count({ to }: { to: number }, ctl: CallControl<number> = {}) {
    for (let i = 1; i <= to; i++) ctl.onProgress?.(i);
    return to;
  }
  wait(_req: Record<string, never>, ctl: CallControl<never> = {}) {
    return new Promise<void>((_resolve, reject) =>
      ctl.signal?.addEventListener('abort', () => reject(new Error('stopped waiting'))),
    );
  }
  async fail({ user }: { user: boolean }): Promise<void> {
    throw user ? new UserError('The file is damaged; use a backup copy.') : new Error('internal\n  at stack line');
  }
  async fill({ bytes }: { bytes: Uint8Array }) {
    bytes.fill(7);
    return transfer(bytes, [bytes.buffer as ArrayBuffer]);
  }
  dispose() {
    this.disposed = true;
  }
}

const open: { close(): void }[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

function connect() {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const service = new CounterService();
  let closed = false;
  const server = serveRpc<Counter>(
    threadEndpoint<RpcRequest<Counter>, RpcResponse<Counter>>(port2),
    service,
    COUNTER_METHODS,
    { onClose: () => (closed = true) },
  );
  const client = rpcClient<Counter>(threadEndpoint<RpcResponse<Counter>, RpcRequest<Counter>>(port1), COUNTER_METHODS);
  return { client, service, server, port1, closed: () => closed };
}

describe('the typed RPC', () => {
  it('answers calls, each with its own result', async () => {
    const { client } = connect();
    expect(await Promise.all([client.add({ a: 1, b: 2 }), client.add({ a: 40, b: 2 })])).toEqual([3, 42]);
  });

  it('sends progress as it comes, before the answer', async () => {
    const { client } = connect();
    const seen: number[] = [];
    expect(await client.count({ to: 4 }, { onProgress: (p) => seen.push(p) })).toBe(4);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it("cancels a running call, which rejects with the caller's reason", async () => {
    const { client } = connect();
    const ctl = new AbortController();
    const call = client.wait({}, { signal: ctl.signal });
    expect(client.running).toEqual(['wait']);
    const reason = new DOMException('Cancelled by the test.', 'AbortError');
    ctl.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(client.running).toEqual([]);
  });

  it('keeps a UserError a UserError with its sentence, and gives other errors their first line only', async () => {
    const { client } = connect();
    const user = await client.fail({ user: true }).catch((e: unknown) => e);
    expect(user).toBeInstanceOf(UserError);
    expect((user as Error).message).toBe('The file is damaged; use a backup copy.');
    const internal = await client.fail({ user: false }).catch((e: unknown) => e);
    expect(internal).not.toBeInstanceOf(UserError);
    expect((internal as Error).message).toBe('internal');
  });

  it('moves marked buffers instead of copying them', async () => {
    const { client } = connect();
    const bytes = new Uint8Array(1024);
    const back = await client.fill(transfer({ bytes }, [bytes.buffer]));
    expect(bytes.byteLength).toBe(0); // moved away
    expect(back.length).toBe(1024);
    expect(back.every((b) => b === 7)).toBe(true);
  });

  it('refuses a method the table does not name', async () => {
    const { port1 } = connect();
    const answer = new Promise((resolve) => port1.once('message', resolve));
    port1.postMessage({ rpc: 'call', id: 99, method: 'constructor', request: {}, progress: false });
    expect(await answer).toMatchObject({
      rpc: 'error',
      id: 99,
      user: false,
      message: expect.stringMatching(/no method/),
    });
  });

  it('fails open and later calls once the other side is gone', async () => {
    const { client } = connect();
    const waiting = client.wait({});
    client.failAll(new UserError('The compute process stopped.'));
    await expect(waiting).rejects.toThrow('The compute process stopped.');
    await expect(client.add({ a: 1, b: 1 })).rejects.toThrow('The compute process stopped.');
  });

  it('closes on request: the calls in hand finish, then the service is disposed', async () => {
    const { client, service, closed } = connect();
    const counted = client.count({ to: 3 });
    client.close();
    expect(await counted).toBe(3);
    await expect.poll(() => closed()).toBe(true);
    expect(service.disposed).toBe(true);
  });

  it('forwards every method of the table to whatever the target is at call time', async () => {
    let calls = 0;
    const targets = [new CounterService(), new CounterService()];
    const forward = forwardTo<Counter>(COUNTER_METHODS, () => targets[calls++ % 2]);
    expect(Object.keys(forward).sort()).toEqual(Object.keys(COUNTER_METHODS).sort());
    expect(await forward.add({ a: 2, b: 3 })).toBe(5);
    expect(await forward.add({ a: 2, b: 4 })).toBe(6);
    expect(calls).toBe(2);
  });
});
