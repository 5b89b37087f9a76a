/**
 * A `WorkerLike` that runs a TrainingSession in the same thread, for Node tests and headless use. Messages are
 * structured-cloned both ways, with transfer lists honoured, so the protocol is exercised exactly as across a real
 * worker boundary (a transferred buffer is detached on the sending side).
 */
import type { WorkerLike } from './client';
import type { PostEvent, WorkerCommand, WorkerEvent } from './protocol';

export interface InProcessSession {
  handle(command: WorkerCommand): Promise<void>;
  abandon(): Promise<void>;
}

type MessageListener = (event: MessageEvent<WorkerEvent>) => void;
type ErrorListener = (event: ErrorEvent) => void;

export class InProcessWorker implements WorkerLike {
  private readonly messageListeners: MessageListener[] = [];
  private readonly errorListeners: ErrorListener[] = [];
  private readonly session: InProcessSession;
  private alive = true;
  /** Every command's handling, so tests can wait for the worker to go quiet. */
  private handled: Promise<void>[] = [];

  constructor(makeSession: (post: PostEvent) => InProcessSession) {
    this.session = makeSession((event, transfer) => this.deliver(event, transfer));
  }

  postMessage(message: WorkerCommand, transfer: Transferable[] = []): void {
    if (!this.alive) return;
    const copy = structuredClone(message, { transfer });
    // Like a real worker, the command is served on a later task, never inside the caller's stack.
    this.handled.push(new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => this.session.handle(copy)));
  }

  terminate(): void {
    if (!this.alive) return;
    this.alive = false;
    void this.session.abandon();
  }

  addEventListener(type: 'message', listener: MessageListener): void;
  addEventListener(type: 'error', listener: ErrorListener): void;
  addEventListener(type: 'messageerror', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: MessageListener | ErrorListener | ((event: MessageEvent) => void)): void {
    if (type === 'message') this.messageListeners.push(listener as MessageListener);
    if (type === 'error') this.errorListeners.push(listener as ErrorListener);
  }

  /** Simulates the worker dying from an uncaught error: the page sees an `error` event, the session stops dead. */
  crash(message: string): void {
    if (!this.alive) return;
    const event = { message, filename: 'train.worker.ts', lineno: 0, preventDefault: () => undefined } as ErrorEvent;
    for (const listener of this.errorListeners) listener(event);
    this.terminate();
  }

  /** Resolves once every command sent so far has been served (training loops they started may still run). */
  async idle(): Promise<void> {
    await Promise.all(this.handled);
  }

  private deliver(event: WorkerEvent, transfer: Transferable[] = []): void {
    if (!this.alive) return;
    const copy = structuredClone(event, { transfer });
    const message = { data: copy } as MessageEvent<WorkerEvent>;
    for (const listener of this.messageListeners) listener(message);
  }
}
