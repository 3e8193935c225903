import { describe, expect, it } from 'vitest';
import { AdmissionController, type Priority } from './admission.ts';
import { canonicalJson, decide, requestHash, type KeyState } from './idempotency.ts';

describe('requestHash', () => {
  it.each([
    [{ a: 1, b: [1, { y: 2, x: 1 }] }, { b: [1, { x: 1, y: 2 }], a: 1 }, true],
    [{ a: 1, c: undefined }, { a: 1 }, true],
    [{ subject: '退款' }, { subject: '退款 ' }, false],
    [{ tags: ['a', 'b'] }, { tags: ['b', 'a'] }, false],
    [{ a: 1 }, { a: '1' }, false],
  ])('%j vs %j → same: %s', (left, right, same) => {
    expect(requestHash(left) === requestHash(right)).toBe(same);
  });

  it('writes canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: 'x' } })).toBe('{"a":{"c":"x","d":null},"b":1}');
  });
});

describe('idempotency decision table', () => {
  const stored: KeyState = { kind: 'stored', requestHash: 'h1', status: 201, response: { id: 't1' } };
  it.each<[string, KeyState, string, ReturnType<typeof decide>]>([
    ['an absent key creates', { kind: 'absent' }, 'h1', { action: 'create' }],
    [
      'a stored key with the same body replays',
      stored,
      'h1',
      { action: 'replay', status: 201, response: { id: 't1' } },
    ],
    [
      'a stored key with another body is refused',
      stored,
      'h2',
      { action: 'reject', code: 'IDEMPOTENCY_KEY_REUSED' },
    ],
    [
      'a stored error is replayed too',
      { kind: 'stored', requestHash: 'h1', status: 404, response: { code: 'TEAM_NOT_FOUND' } },
      'h1',
      { action: 'replay', status: 404, response: { code: 'TEAM_NOT_FOUND' } },
    ],
  ])('%s', (_name, state, hash, expected) => {
    expect(decide(state, hash)).toEqual(expected);
  });
});

describe('AdmissionController', () => {
  function fill(controller: AdmissionController, priority: Priority, count: number): number {
    let admitted = 0;
    for (let i = 0; i < count; i++) if (controller.tryAdmit(priority).admitted) admitted += 1;
    return admitted;
  }

  it.each<[Priority, number]>([
    ['low', 5],
    ['normal', 8],
    ['critical', 10],
  ])('admits %s requests up to its share of the limit (%i of 10)', (priority, expected) => {
    expect(fill(new AdmissionController(10), priority, 20)).toBe(expected);
  });

  it('sheds low first: with 6 in flight, low is refused, normal and critical are admitted', () => {
    const controller = new AdmissionController(10);
    fill(controller, 'critical', 6);
    expect(controller.tryAdmit('low')).toEqual({ admitted: false, retryAfterSeconds: 5 });
    expect(controller.tryAdmit('normal').admitted).toBe(true);
    expect(controller.tryAdmit('critical').admitted).toBe(true);
  });

  it('admits again after release', () => {
    const controller = new AdmissionController(2);
    fill(controller, 'critical', 2);
    expect(controller.tryAdmit('critical')).toEqual({ admitted: false, retryAfterSeconds: 1 });
    controller.release();
    expect(controller.tryAdmit('critical').admitted).toBe(true);
    expect(controller.current).toBe(2);
  });
});
