import { describe, expect, it } from 'bun:test';
import {
  type ConnectionEvent,
  type ConnectionState,
  createConnectionDriver,
  describeConnection,
  listenToBrowser,
  retryDelayMs,
  STOPPED,
  transition,
} from './connection.ts';

const NOW = 1_000_000;
/** Jitter at its ceiling: the longest wait of each attempt. */
const env = { now: NOW, random: () => 1 };

/** Runs events from `state`, returning the final state and every effect on the way. */
function run(state: ConnectionState, ...events: ConnectionEvent[]) {
  const effects = [];
  let current = state;
  for (const event of events) {
    const result = transition(current, event, env);
    current = result.state;
    effects.push(...result.effects);
  }
  return { state: current, effects };
}

const connecting = (attempt: number, isAttemptMade = true): ConnectionState => ({
  status: 'connecting',
  attempt,
  isAttemptMade,
});
const waiting = (attempt: number): ConnectionState => ({
  status: 'waiting-to-retry',
  attempt,
  retryAt: NOW + retryDelayMs(attempt, env.random),
});
const LIVE: ConnectionState = { status: 'live' };

describe('connection transitions', () => {
  it('starts connecting when signed in online, and waits for the network when offline', () => {
    expect(run(STOPPED, { type: 'signed-in', isOnline: true }).state).toEqual(connecting(0, false));
    expect(run(STOPPED, { type: 'signed-in', isOnline: false }).state).toEqual({ status: 'offline', attempt: 0 });
  });

  it('goes live when the server accepts the socket, and asks to resume', () => {
    expect(run(connecting(3), { type: 'connected' })).toEqual({ state: LIVE, effects: [{ type: 'resume' }] });
  });

  it('backs off exponentially with jitter, capped at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((attempt) => retryDelayMs(attempt, () => 1))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    // Half of each wait is fixed, half random.
    expect(retryDelayMs(4, () => 0)).toBe(2_000);
  });

  it('waits longer after each failed attempt, and schedules the retry', () => {
    const { state, effects } = run(
      LIVE,
      { type: 'connection-lost' },
      { type: 'retry-due' },
      { type: 'attempt-started' },
      { type: 'connection-lost' },
    );
    expect(state).toEqual(waiting(2));
    expect(effects.filter((effect) => effect.type === 'schedule-retry')).toEqual([
      { type: 'schedule-retry', at: NOW + 500 },
      { type: 'schedule-retry', at: NOW + 1_000 },
    ]);
  });

  it('retries at once when the browser comes online or the page is shown, keeping the attempt count', () => {
    for (const type of ['went-online', 'page-visible', 'retry-now'] as const) {
      expect(run(waiting(5), { type })).toEqual({ state: connecting(5, false), effects: [{ type: 'cancel-retry' }] });
    }
  });

  it('resets the attempt count only once a connection succeeds', () => {
    const { state } = run(
      waiting(5),
      { type: 'went-online' },
      { type: 'attempt-started' },
      { type: 'connected' },
      { type: 'connection-lost' },
    );
    expect(state).toEqual(waiting(1));
  });

  it('stops trying while offline and drops the socket, then tries at once when back', () => {
    expect(run(LIVE, { type: 'went-offline' })).toEqual({
      state: { status: 'offline', attempt: 0 },
      effects: [{ type: 'drop-socket' }],
    });
    expect(run(waiting(4), { type: 'went-offline' }).state).toEqual({ status: 'offline', attempt: 4 });
    // The dropped socket's loss, reported late, is not a failure of anything.
    expect(run({ status: 'offline', attempt: 4 }, { type: 'connection-lost' }).state).toEqual({
      status: 'offline',
      attempt: 4,
    });
    expect(run({ status: 'offline', attempt: 4 }, { type: 'went-online' }).state).toEqual(connecting(4, false));
  });

  it('counts a loss while connecting only once that try has made its attempt', () => {
    expect(run(connecting(2, false), { type: 'connection-lost' }).state).toEqual(connecting(2, false));
    expect(run(connecting(2, true), { type: 'connection-lost' }).state).toEqual(waiting(3));
    // One attempt per try.
    expect(run(connecting(2, true), { type: 'attempt-started' }).state).toEqual(connecting(2, true));
  });

  it('renews the token when the server refuses it, then tries once at once', () => {
    expect(run(LIVE, { type: 'auth-rejected' })).toEqual({
      state: { status: 'renewing-auth', attempt: 1 },
      effects: [{ type: 'renew-auth' }],
    });
    expect(run(LIVE, { type: 'auth-rejected' }, { type: 'connection-lost' }, { type: 'auth-renewed' }).state).toEqual(
      connecting(1, false),
    );
  });

  it('waits its turn when a renewed token is refused again, or the renewal cannot reach the server', () => {
    const refusedTwice = run(
      LIVE,
      { type: 'auth-rejected' },
      { type: 'auth-renewed' },
      { type: 'attempt-started' },
      { type: 'auth-rejected' },
      { type: 'auth-renewed' },
    );
    expect(refusedTwice.state).toEqual(waiting(2));
    expect(run({ status: 'renewing-auth', attempt: 1 }, { type: 'auth-unreachable' }).state).toEqual(waiting(1));
  });

  it('stops on sign-out from anywhere, cancelling a pending retry', () => {
    for (const state of [LIVE, connecting(1), waiting(3), { status: 'offline', attempt: 0 } as const]) {
      expect(run(state, { type: 'signed-out' }).state).toEqual(STOPPED);
    }
    expect(run(waiting(3), { type: 'signed-out' }).effects).toEqual([{ type: 'cancel-retry' }]);
  });

  it('ignores events that mean nothing where it is', () => {
    const ignored: [ConnectionState, ConnectionEvent][] = [
      [LIVE, { type: 'went-online' }],
      [LIVE, { type: 'retry-due' }],
      [STOPPED, { type: 'connection-lost' }],
      [waiting(2), { type: 'connection-lost' }],
      [{ status: 'offline', attempt: 1 }, { type: 'page-visible' }],
    ];
    for (const [state, event] of ignored) expect(transition(state, event, env)).toEqual({ state, effects: [] });
  });
});

describe('describeConnection', () => {
  it('says nothing when live or on a first connection', () => {
    expect(describeConnection(LIVE, NOW)).toBeUndefined();
    expect(describeConnection(connecting(0), NOW)).toBeUndefined();
  });

  it('counts down to the next retry, which can be brought forward', () => {
    expect(describeConnection({ status: 'waiting-to-retry', attempt: 4, retryAt: NOW + 3_200 }, NOW)).toEqual({
      text: 'Reconnecting in 4 s…',
      canRetryNow: true,
    });
    expect(describeConnection(connecting(4), NOW)?.text).toBe('Reconnecting…');
  });

  it('tells the person they are offline and that messages will wait', () => {
    expect(describeConnection({ status: 'offline', attempt: 0 }, NOW)?.text).toBe(
      'You are offline; messages will be sent when you are back.',
    );
  });
});

/** A driver on a fake clock, with its timers and effects laid bare. */
function drive(renewal: 'renewed' | 'unreachable' | 'signed-out' = 'renewed') {
  let now = NOW;
  const timers = new Map<number, { at: number; run: () => void }>();
  let nextTimer = 0;
  const calls = { dropSocket: 0, renewAuth: 0, resumed: 0 };
  const driver = createConnectionDriver({
    now: () => now,
    random: () => 1,
    setTimer: (run, ms) => {
      timers.set(++nextTimer, { at: now + ms, run });
      return nextTimer;
    },
    clearTimer: (timer) => timers.delete(timer as number),
    dropSocket: () => calls.dropSocket++,
    renewAuth: async () => {
      calls.renewAuth++;
      return renewal;
    },
  });
  driver.whenLive(() => calls.resumed++);
  /** Moves the clock on, firing what falls due. */
  const advance = (ms: number) => {
    now += ms;
    for (const [id, timer] of [...timers]) {
      if (timer.at <= now) {
        timers.delete(id);
        timer.run();
      }
    }
  };
  return { driver, calls, timers, advance };
}

describe('createConnectionDriver', () => {
  it('tells whenLost listeners each time a live connection is lost, and only then', () => {
    const { driver } = drive();
    let lost = 0;
    driver.whenLost(() => lost++);
    driver.dispatch({ type: 'signed-in', isOnline: true });
    driver.dispatch({ type: 'connection-lost' });
    expect(lost).toBe(0);
    void driver.waitToConnect();
    driver.dispatch({ type: 'connected' });
    expect(driver.state.status).toBe('live');
    driver.dispatch({ type: 'went-offline' });
    expect(lost).toBe(1);
  });

  it('lets one socket attempt through per try, holding the next until the retry is due', () => {
    const { driver, advance } = drive();
    driver.dispatch({ type: 'signed-in', isOnline: true });
    // The driver settles its waiters as it dispatches: their state is read at once, without waiting.
    expect(Bun.peek.status(driver.waitToConnect())).toBe('fulfilled');
    driver.dispatch({ type: 'connection-lost' });
    const retry = driver.waitToConnect();
    advance(499);
    expect(Bun.peek.status(retry)).toBe('pending');
    advance(1);
    expect(Bun.peek.status(retry)).toBe('fulfilled');
    expect(driver.state).toEqual(connecting(1, true));
  });

  it('lets a held attempt through at once when the browser comes online', async () => {
    const { driver, timers } = drive();
    driver.dispatch({ type: 'signed-in', isOnline: true });
    await driver.waitToConnect();
    driver.dispatch({ type: 'connection-lost' });
    const retry = driver.waitToConnect();
    driver.dispatch({ type: 'went-online' });
    expect(Bun.peek.status(retry)).toBe('fulfilled');
    expect(timers.size).toBe(0);
  });

  it('rejects held attempts when signed out', async () => {
    const { driver } = drive();
    driver.dispatch({ type: 'signed-in', isOnline: false });
    const attempt = driver.waitToConnect();
    driver.dispatch({ type: 'signed-out' });
    await expect(attempt).rejects.toThrow('Signed out');
  });

  it('tells live listeners now and at every return to live', () => {
    const { driver, calls } = drive();
    driver.dispatch({ type: 'signed-in', isOnline: true });
    driver.dispatch({ type: 'connected' });
    let late = 0;
    driver.whenLive(() => late++);
    driver.dispatch({ type: 'went-offline' });
    driver.dispatch({ type: 'went-online' });
    driver.dispatch({ type: 'connected' });
    expect({ resumed: calls.resumed, late, dropSocket: calls.dropSocket }).toEqual({
      resumed: 2,
      late: 2,
      dropSocket: 1,
    });
  });

  it('renews the token when refused, and lets the next attempt through with it', async () => {
    const { driver, calls } = drive('renewed');
    driver.dispatch({ type: 'signed-in', isOnline: true });
    driver.dispatch({ type: 'connected' });
    driver.dispatch({ type: 'auth-rejected' });
    const retry = driver.waitToConnect();
    expect(Bun.peek.status(retry)).toBe('pending');
    // Let through once the renewal's answer is dispatched.
    await retry;
    expect(calls.renewAuth).toBe(1);
  });

  it('stops when the renewal finds the session ended', async () => {
    const { driver } = drive('signed-out');
    const stopped = new Promise<void>((resolve) =>
      driver.subscribe((state) => {
        if (state.status === 'stopped') resolve();
      }),
    );
    driver.dispatch({ type: 'signed-in', isOnline: true });
    driver.dispatch({ type: 'auth-rejected' });
    expect(driver.state.status).toBe('renewing-auth');
    await stopped;
    expect(driver.state).toEqual(STOPPED);
  });
});

describe('listenToBrowser', () => {
  it('turns online, offline and the page being shown into events', () => {
    const window = new EventTarget();
    const document = Object.assign(new EventTarget(), { visibilityState: 'hidden' as DocumentVisibilityState });
    const events: string[] = [];
    const stop = listenToBrowser((event) => events.push(event.type), { window, document });
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
    document.dispatchEvent(new Event('visibilitychange'));
    document.visibilityState = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    stop();
    window.dispatchEvent(new Event('online'));
    expect(events).toEqual(['went-offline', 'went-online', 'page-visible']);
  });
});
