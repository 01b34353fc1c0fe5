import { describe, expect, it } from 'bun:test';
import { createTypingSignals, describeTypists, stillTyping, withSignal } from './typing.ts';

describe('typists shown', () => {
  const SHOWN_MS = 6_000;

  it('shows a typist until the signal runs out, renewed by the next one', () => {
    let typists = withSignal({}, { userId: 'ada', isTyping: true }, 1_000, SHOWN_MS);
    expect(stillTyping(typists, 6_999)).toEqual({ ada: 7_000 });
    typists = withSignal(typists, { userId: 'ada', isTyping: true }, 4_000, SHOWN_MS);
    expect(Object.keys(stillTyping(typists, 9_000))).toEqual(['ada']);
    expect(stillTyping(typists, 10_000)).toEqual({});
  });

  it('drops a typist at once when they stop', () => {
    const typists = withSignal({}, { userId: 'ada', isTyping: true }, 0, SHOWN_MS);
    expect(withSignal(typists, { userId: 'ada', isTyping: false }, 1, SHOWN_MS)).toEqual({});
  });

  it('puts who is typing in words', () => {
    expect(describeTypists([])).toBeUndefined();
    expect(describeTypists(['Ada'])).toBe('Ada is typing…');
    expect(describeTypists(['Ada', 'Bob'])).toBe('Ada and Bob are typing…');
    expect(describeTypists(['Ada', 'Bob', 'Cat'])).toBe('Several people are typing…');
  });
});

describe('createTypingSignals', () => {
  function signalsAt() {
    const sent: [string, boolean][] = [];
    let now = 0;
    const signals = createTypingSignals({
      send: (conversationId, isTyping) => sent.push([conversationId, isTyping]),
      now: () => now,
      renewMs: 3_000,
    });
    return { signals, sent, at: (ms: number) => (now = ms) };
  }

  it('says "typing" once per renewal period while text is written', () => {
    const t = signalsAt();
    t.signals.changed('c1', 'H');
    t.at(1_000);
    t.signals.changed('c1', 'He');
    t.at(3_000);
    t.signals.changed('c1', 'Hel');
    expect(t.sent).toEqual([
      ['c1', true],
      ['c1', true],
    ]);
  });

  it('says "stopped" when the field is emptied or the writer leaves, only after saying "typing"', () => {
    const t = signalsAt();
    t.signals.changed('c1', '  ');
    t.signals.stop();
    expect(t.sent).toEqual([]);
    t.signals.changed('c1', 'Hi');
    t.signals.changed('c1', '');
    t.signals.changed('c1', 'Hi again');
    t.signals.changed('c2', 'Elsewhere');
    t.signals.stop();
    t.signals.stop();
    expect(t.sent).toEqual([
      ['c1', true],
      ['c1', false],
      ['c1', true],
      ['c1', false],
      ['c2', true],
      ['c2', false],
    ]);
  });
});
