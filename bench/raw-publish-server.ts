/**
 * The fan-out ceiling: bare `Bun.serve` WebSockets with topic publish, no
 * tRPC, no database, no auth. Clients join `?room=N`; a POST to /blast
 * publishes `count` frames of `bytes` bytes, round robin over the rooms, as
 * fast as the event loop allows (yielding every 100 publishes so sockets
 * drain). fanout.ts measures what arrives.
 */
const rooms = Number(process.env.ROOMS ?? 1);

const server = Bun.serve<{ room: string }>({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(request, server) {
    const url = new URL(request.url);
    if (url.pathname === '/blast') {
      const count = Number(url.searchParams.get('count'));
      const frame = 'x'.repeat(Number(url.searchParams.get('bytes')));
      for (let index = 0; index < count; index++) {
        server.publish(`room-${index % rooms}`, frame);
        if (index % 100 === 99) await Bun.sleep(0);
      }
      return new Response('sent');
    }
    const room = url.searchParams.get('room') ?? '0';
    return server.upgrade(request, { data: { room } }) ? undefined : new Response('upgrade expected', { status: 426 });
  },
  websocket: {
    open(ws) {
      ws.subscribe(`room-${ws.data.room}`);
    },
    message() {},
  },
});
console.log(JSON.stringify({ port: server.port }));
