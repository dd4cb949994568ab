import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.js';

describe('SseParser', () => {
  it('parses named events with JSON data', () => {
    const parser = new SseParser();
    expect(parser.push('event: status\ndata: {"a":1}\n\nevent: changed\ndata: {"b":2}\n\n')).toEqual([
      { event: 'status', data: '{"a":1}' },
      { event: 'changed', data: '{"b":2}' },
    ]);
  });

  it('reassembles an event split across chunks at any character', () => {
    const text = 'event: orderArrived\ndata: {"type":"orderArrived","orders":[]}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new SseParser();
      const got = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(got, `cut at ${cut}`).toEqual([{ event: 'orderArrived', data: '{"type":"orderArrived","orders":[]}' }]);
    }
  });

  it('handles CRLF split between chunks, comments, multi-line data and events without data', () => {
    const parser = new SseParser();
    const got = [
      ...parser.push(': keep-alive\r'),
      ...parser.push('\nevent: x\r\ndata: one\r\ndata: two\r'),
      ...parser.push('\n\r\nevent: empty\n\n'),
    ];
    expect(got).toEqual([{ event: 'x', data: 'one\ntwo' }]);
  });

  it('names an event without an event field "message"', () => {
    expect(new SseParser().push('data: hi\n\n')).toEqual([{ event: 'message', data: 'hi' }]);
  });
});
