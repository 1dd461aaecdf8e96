import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

/** A real `redis-server` on 127.0.0.1 and a free port, without persistence. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** A connected client that fails fast while the server is down. */
  client(): Promise<Redis>;
  /** Kills the server (clients stay, and fail fast until it is back). */
  kill(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered until `resume`. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT); what it was asked meanwhile is answered then. */
  resume(): void;
  /** Starts it again on the same port (after `kill`). */
  restart(): Promise<void>;
  /** Kills the server and disconnects every client. */
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const clients: Redis[] = [];
  const launch = async () => {
    child = spawn(
      process.env.REDIS_SERVER ?? "/usr/bin/redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    const probe = new Redis({
      port,
      host: "127.0.0.1",
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on("error", () => {});
    for (let i = 0; ; i++) {
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch {
        if (i > 600) throw new Error(`redis-server did not start on port ${port}`);
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    probe.disconnect();
  };
  await launch();
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGKILL");
      running.kill("SIGCONT"); // a paused server dies only once it runs again
    });
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async client() {
      const client = new Redis({
        port,
        host: "127.0.0.1",
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => 50,
      });
      client.on("error", () => {}); // reconnect attempts while the server is stopped
      clients.push(client);
      await new Promise((resolve) => client.once("ready", resolve));
      return client;
    },
    kill: stop,
    pause: () => void child?.kill("SIGSTOP"),
    resume: () => void child?.kill("SIGCONT"),
    async close() {
      await stop();
      for (const c of clients.splice(0)) c.disconnect();
    },
    restart: launch,
  };
}
