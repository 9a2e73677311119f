import { createConnection, createServer, type Socket } from "node:net";

/**
 * A TCP relay on a free loopback port to a NATS server's port, whose traffic can be held (both ways,
 * nothing dropped, the connection stays up) and released: a link that stalls for a while.
 */
export const startTcpRelay = async (targetPort: number) => {
  let holding = false;
  const held: { readonly to: Socket; readonly chunk: Buffer; readonly toServer: boolean }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(targetPort, "127.0.0.1");
    const forward = (from: Socket, to: Socket, toServer: boolean) => {
      from.on("data", (chunk: Buffer) => {
        if (holding) held.push({ to, chunk, toServer });
        else to.write(chunk);
      });
    };
    forward(client, upstream, true);
    forward(upstream, client, false);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    hold(): void {
      holding = true;
    },
    /** What the clients sent while held, as text (the NATS protocol is text but for payloads). */
    heldFromClients(): string {
      return held
        .filter((item) => item.toServer)
        .map((item) => item.chunk.toString("latin1"))
        .join("");
    },
    release(): void {
      holding = false;
      for (const { to, chunk } of held.splice(0)) to.write(chunk);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};
