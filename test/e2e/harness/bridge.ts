// The test's end of the extension's test bridge (client/src/testBridge.ts): a socket
// the extension connects to once it is active, over which tests run VS Code commands
// and get back each command's awaited result.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { BridgeReply, BridgeRequest } from '../../../client/src/testBridge';

export class TestBridge {
  private socket: Socket | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; command: string }>();
  private readonly connection: Promise<Socket>;

  private constructor(private readonly server: Server) {
    this.connection = new Promise((resolve) => server.once('connection', resolve));
    void this.connection.then((socket) => this.attach(socket));
  }

  static async listen(): Promise<TestBridge> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TestBridge(server);
  }

  /** The value for the extension's PROMPTFORGE_TEST_BRIDGE. */
  get address(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves once the extension is active (it connects last thing in `activate`). */
  async connected(timeoutMs = 60_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the extension did not connect to the test bridge within ${timeoutMs} ms`)), timeoutMs)));
    try {
      await Promise.race([this.connection, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a VS Code command in the extension host and resolves with its result. */
  async command<T = unknown>(command: string, ...args: unknown[]): Promise<T> {
    await this.connected();
    const id = this.nextId++;
    const request: BridgeRequest = { id, command, args };
    const result = new Promise<unknown>((resolve, reject) => this.waiting.set(id, { resolve, reject, command }));
    this.socket!.write(JSON.stringify(request) + '\n');
    return (await result) as T;
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
    for (const { reject, command } of this.waiting.values()) reject(new Error(`${command}: the workbench closed`));
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    socket.setEncoding('utf8');
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const reply = JSON.parse(buffered.slice(0, end)) as BridgeReply;
        buffered = buffered.slice(end + 1);
        const waiter = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        if (!waiter) continue;
        if ('error' in reply) waiter.reject(new Error(`${waiter.command}: ${reply.error}`));
        else waiter.resolve(reply.result);
      }
    });
  }
}
