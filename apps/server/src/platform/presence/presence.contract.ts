import { describe, expect, it } from 'bun:test';
import { disposableFixture } from '../../testing/fixture.ts';
import { type Clock, createManualClock } from '../clock/index.ts';
import type { Presence } from './presence.ts';

export interface PresenceFixture {
  presence: Presence;
  /** Another handle on the same store, as another instance would have. */
  peer: Presence;
  dispose(): Promise<void>;
}

const ttlMs = 30_000;

/** The behaviour every Presence implementation must have. Time is a manual clock shared by both handles. */
export function testPresence(
  name: string,
  makeFixture: (options: { clock: Clock; ttlMs: number }) => Promise<PresenceFixture>,
) {
  describe(`Presence contract: ${name}`, () => {
    const setUp = disposableFixture(async () => {
      const clock = createManualClock();
      return { clock, ...(await makeFixture({ clock, ttlMs })) };
    });
    const tab = (userId: string, connectionId = 'tab-1') => ({ userId, connectionId });

    it('reports a connected user online, seen now, and a stranger offline, never seen', async () => {
      const { presence, peer, clock } = await setUp();
      await presence.connect(tab('ada'));
      expect(await peer.statusOf(['ada', 'stranger'])).toEqual([
        { userId: 'ada', isOnline: true, lastSeenAt: clock.now() },
        { userId: 'stranger', isOnline: false, lastSeenAt: null },
      ]);
    });

    it('keeps a user online until their last tab disconnects', async () => {
      const { presence, peer, clock } = await setUp();
      await presence.connect(tab('ada', 'tab-1'));
      await peer.connect(tab('ada', 'tab-2'));
      clock.advance(1_000);
      expect(await presence.disconnect(tab('ada', 'tab-1'))).toBe(false);
      expect(await presence.statusOf(['ada'])).toEqual([{ userId: 'ada', isOnline: true, lastSeenAt: clock.now() }]);
      clock.advance(1_000);
      expect(await peer.disconnect(tab('ada', 'tab-2'))).toBe(true);
      expect(await presence.statusOf(['ada'])).toEqual([{ userId: 'ada', isOnline: false, lastSeenAt: clock.now() }]);
    });

    it('reports coming online only for the first connection of an offline user', async () => {
      const { presence, peer } = await setUp();
      expect(await presence.connect(tab('ada', 'tab-1'))).toBe(true);
      expect(await peer.connect(tab('ada', 'tab-2'))).toBe(false);
      expect(await presence.connect(tab('ada', 'tab-1'))).toBe(false);
      await presence.disconnect(tab('ada', 'tab-1'));
      await presence.disconnect(tab('ada', 'tab-2'));
      expect(await peer.connect(tab('ada', 'tab-3'))).toBe(true);
    });

    it('expires a connection after exactly its TTL and sweeps its user offline once', async () => {
      const { presence, peer, clock } = await setUp();
      await presence.connect(tab('ada'));
      clock.advance(5_000);
      await presence.heartbeat([tab('ada')]);
      const lastHeartbeatAt = clock.now();

      clock.advance(ttlMs - 1);
      expect(await presence.sweepExpired()).toEqual([]);
      expect((await presence.statusOf(['ada']))[0]?.isOnline).toBe(true);

      clock.advance(1);
      expect(await peer.statusOf(['ada'])).toEqual([{ userId: 'ada', isOnline: false, lastSeenAt: lastHeartbeatAt }]);
      expect(await presence.sweepExpired()).toEqual([{ userId: 'ada', lastSeenAt: lastHeartbeatAt }]);
      expect(await presence.sweepExpired()).toEqual([]);
      expect(await peer.sweepExpired()).toEqual([]);
    });

    it('keeps heartbeating connections alive past the original TTL', async () => {
      const { presence, peer, clock } = await setUp();
      await presence.connect(tab('ada'));
      for (let beat = 0; beat < 3; beat++) {
        clock.advance(ttlMs - 1_000);
        expect(await presence.heartbeat([tab('ada')])).toEqual([]);
      }
      clock.advance(ttlMs - 1_000);
      expect(await peer.sweepExpired()).toEqual([]);
      expect((await peer.statusOf(['ada']))[0]?.isOnline).toBe(true);
      expect(await presence.heartbeat([])).toEqual([]);
    });

    it('reports from a heartbeat the users who had gone offline, swept or not, and re-adds unknown connections', async () => {
      const { presence, peer, clock } = await setUp();
      await presence.connect(tab('swept'));
      clock.advance(ttlMs);
      expect(await presence.sweepExpired()).toEqual([{ userId: 'swept', lastSeenAt: clock.now() - ttlMs }]);
      await presence.connect(tab('unswept'));
      clock.advance(ttlMs);
      await presence.connect(tab('live'));

      const heartbeat = [tab('swept'), tab('unswept'), tab('live'), tab('live', 'tab-2'), tab('unknown')];
      expect(await peer.heartbeat(heartbeat)).toEqual(['swept', 'unswept', 'unknown']);
      const statuses = await presence.statusOf(['swept', 'unswept', 'live', 'unknown']);
      expect(statuses.map((status) => status.isOnline)).toEqual([true, true, true, true]);
      // Coming back replaced the pending expiry: no stale offline report.
      expect(await presence.sweepExpired()).toEqual([]);
    });

    it('reports each expired user exactly once across concurrent sweeps from both handles', async () => {
      const { presence, peer, clock } = await setUp();
      const userIds = Array.from({ length: 20 }, (_, index) => `user-${index}`);
      await presence.heartbeat(userIds.map((userId) => tab(userId)));
      clock.advance(ttlMs);

      // Enough sweeps of 3 to cover every user even when each takes a fresh batch.
      const sweeps = await Promise.all(
        Array.from({ length: 4 }, () => [presence.sweepExpired(3), peer.sweepExpired(3)]).flat(),
      );
      for (const swept of sweeps) expect(swept.length).toBeLessThanOrEqual(3);
      const reported = sweeps.flat().map((swept) => swept.userId);
      expect(reported.toSorted()).toEqual(userIds.toSorted());
    });

    it('does not sweep a user whose other connection is still live', async () => {
      const { presence, peer, clock } = await setUp();
      await presence.connect(tab('ada', 'phone'));
      clock.advance(ttlMs / 2);
      await peer.connect(tab('ada', 'laptop'));
      const laptopConnectedAt = clock.now();
      clock.advance(ttlMs / 2);

      expect(await presence.sweepExpired()).toEqual([]);
      expect(await presence.statusOf(['ada'])).toEqual([
        { userId: 'ada', isOnline: true, lastSeenAt: laptopConnectedAt },
      ]);
      expect(await peer.disconnect(tab('ada', 'laptop'))).toBe(true);
    });

    it('reports the offline transition once when a disconnect follows a sweep', async () => {
      const { presence, peer, clock } = await setUp();
      await presence.connect(tab('ada'));
      clock.advance(ttlMs);
      expect(await peer.sweepExpired()).toHaveLength(1);
      expect(await presence.disconnect(tab('ada'))).toBe(false);
      expect((await presence.statusOf(['ada']))[0]?.isOnline).toBe(false);
    });

    it('reports the offline transition once when a disconnect comes after expiry but before the sweep', async () => {
      const { presence, peer, clock } = await setUp();
      await presence.connect(tab('ada'));
      clock.advance(ttlMs);
      expect(await presence.disconnect(tab('ada'))).toBe(true);
      expect(await peer.sweepExpired()).toEqual([]);
      expect(await peer.disconnect(tab('ada'))).toBe(false);
    });

    it('answers statuses in the order asked, including for no users', async () => {
      const { presence } = await setUp();
      await presence.connect(tab('bob'));
      const statuses = await presence.statusOf(['carol', 'bob', 'ada']);
      expect(statuses.map((status) => [status.userId, status.isOnline])).toEqual([
        ['carol', false],
        ['bob', true],
        ['ada', false],
      ]);
      expect(await presence.statusOf([])).toEqual([]);
    });

    it('reports a user away only while every live connection of theirs is idle, on every handle', async () => {
      const { presence, peer } = await setUp();
      const isAway = async () => (await peer.statusOf(['ada']))[0]?.isAway ?? false;
      await presence.connect(tab('ada', 'laptop'));
      await peer.connect(tab('ada', 'phone'));
      await presence.setIdle(tab('ada', 'laptop'), true);
      expect(await isAway()).toBe(false);
      await peer.setIdle(tab('ada', 'phone'), true);
      expect(await isAway()).toBe(true);
      expect(await presence.statusOf(['ada'])).toEqual([
        expect.objectContaining({ userId: 'ada', isOnline: true, isAway: true }),
      ]);
      // Used again: back.
      await presence.setIdle(tab('ada', 'laptop'), false);
      expect(await isAway()).toBe(false);
      // The one in use goes: away on what is left.
      await presence.disconnect(tab('ada', 'laptop'));
      expect(await isAway()).toBe(true);
      // A new connection is in use.
      await presence.connect(tab('ada', 'tablet'));
      expect(await isAway()).toBe(false);
    });

    it('marks only live connections idle, and forgets the mark with the connection', async () => {
      const { presence, peer, clock } = await setUp();
      await presence.setIdle(tab('ada', 'never-connected'), true);
      expect(await peer.statusOf(['ada'])).toEqual([{ userId: 'ada', isOnline: false, lastSeenAt: null }]);
      await presence.connect(tab('ada', 'laptop'));
      await presence.setIdle(tab('ada', 'laptop'), true);
      await presence.disconnect(tab('ada', 'laptop'));
      // The same connection id again is a new connection, in use.
      await presence.connect(tab('ada', 'laptop'));
      expect((await peer.statusOf(['ada']))[0]?.isAway).toBeUndefined();
      // An idle connection that expired leaves the one in use alone: not away.
      await presence.setIdle(tab('ada', 'laptop'), true);
      clock.advance(ttlMs / 2);
      await peer.connect(tab('ada', 'phone'));
      clock.advance(ttlMs / 2);
      expect(await peer.statusOf(['ada'])).toEqual([
        { userId: 'ada', isOnline: true, lastSeenAt: clock.now() - ttlMs / 2 },
      ]);
    });
  });
}
