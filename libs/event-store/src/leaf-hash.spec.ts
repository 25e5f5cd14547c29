import { canonicalJson, hashLeafText, leafHashOf, leafText } from './leaf-hash';

describe('RFC 8785 canonical JSON', () => {
  it('serialises the RFC 8785 §3.2.2 example: literals, numbers and string escapes', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts members by UTF-16 code units, as the RFC 8785 §3.2.3 example', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read from the text: a parsed object would list the integer-like name "1" first.
    const names = [...canonicalJson(input).matchAll(/"((?:[^"\\]|\\.)*)":"/g)].map((m) =>
      JSON.parse(`"${m[1]}"`),
    );
    expect(names).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    expect(canonicalJson(input).startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).toBe(
      true,
    );
  });

  it('writes numbers as RFC 8785 Appendix B does', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [Number.MIN_VALUE, '5e-324'],
      [-Number.MIN_VALUE, '-5e-324'],
      [Number.MAX_VALUE, '1.7976931348623157e+308'],
      [9007199254740992, '9007199254740992'],
      [-9007199254740992, '-9007199254740992'],
      [295147905179352830000, '295147905179352830000'],
      [9.999999999999997e22, '9.999999999999997e+22'],
      [1e23, '1e+23'],
      [1e21, '1e+21'],
      [999999999999999900000, '999999999999999900000'],
      [0.000001, '0.000001'],
      [9.999999999999997e-7, '9.999999999999997e-7'],
      [1e-7, '1e-7'],
      [333333333.3333332, '333333333.3333332'],
    ];
    for (const [value, text] of cases) expect(canonicalJson(value)).toBe(text);
    expect(() => canonicalJson(NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });

  it('drops what JSON.stringify drops, so a value and its stored JSON read back hash alike', () => {
    const value = { b: undefined, a: [undefined, () => 1, new Date(0)], c: { toJSON: () => 'x' } };
    expect(canonicalJson(value)).toBe('{"a":[null,null,"1970-01-01T00:00:00.000Z"],"c":"x"}');
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
    expect(canonicalJson({})).toBe('{}');
    // Index-like names, which objects enumerate numerically, still come in code-unit order.
    expect(canonicalJson({ a: 3, '1603': 1, '16': 2, '9': 0 })).toBe('{"16":2,"1603":1,"9":0,"a":3}');
    expect(canonicalJson({ z: [{ '2': 'b', '10': 'a' }] })).toBe('{"z":[{"10":"a","2":"b"}]}');
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(canonicalJson([])).toBe('[]');
  });

  it('a leaf text is the canonical JSON of the event fields, so either way of hashing agrees', () => {
    const event = {
      streamId: 'enrollment-1',
      revision: 2,
      position: 17,
      type: 'EnrollmentApproved',
      data: { z: [1, { y: 'é', x: null }], a: 'ok' },
      metadata: { schemaVersion: 1, eventId: 'e', occurredAt: '2026-01-01T00:00:00.000Z' },
      recordedAt: '2026-01-01T00:00:00.000Z',
    };
    const text = leafText(event, canonicalJson(event.data), canonicalJson(event.metadata));
    expect(text).toBe(
      canonicalJson({
        stream: event.streamId,
        revision: 2,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        position: 17,
      }),
    );
    expect(leafHashOf(event).equals(hashLeafText(text))).toBe(true);
    // Another spelling of the same JSON (member order, spacing) has the same leaf hash.
    const respelled = {
      ...event,
      data: JSON.parse('{ "a" : "ok", "z" : [1, {"x": null, "y": "\\u00e9"}] }'),
    };
    expect(leafHashOf(respelled).equals(leafHashOf(event))).toBe(true);
    expect(leafHashOf({ ...event, position: 18 }).equals(leafHashOf(event))).toBe(false);
  });
});
