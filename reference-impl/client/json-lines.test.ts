import { describe, expect, it } from "vitest";
import { LineDecoder, LineTooLongError } from "./json-lines.ts";

const events = [
  '{"type":"ADDED","object":{"metadata":{"name":"café-ü"}}}',
  '{"type":"MODIFIED","object":{"metadata":{"name":"日本語"}}}',
  '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}',
];
const bytes = Buffer.from(events.map((e) => `${e}\n`).join(""), "utf8");

describe("LineDecoder", () => {
  it("gives the same lines however the stream is cut, even inside a UTF-8 character", () => {
    for (let size = 1; size <= 17; size++) {
      const d = new LineDecoder();
      const lines: string[] = [];
      for (let i = 0; i < bytes.length; i += size) lines.push(...d.push(bytes.subarray(i, i + size)));
      lines.push(...d.end());
      expect(lines).toEqual(events);
    }
  });

  it("cuts at every possible pair of boundaries", () => {
    for (let a = 1; a < bytes.length; a++) {
      const b = Math.min(bytes.length, a + 7);
      const d = new LineDecoder();
      const lines = [...d.push(bytes.subarray(0, a)), ...d.push(bytes.subarray(a, b)), ...d.push(bytes.subarray(b)), ...d.end()];
      expect(lines).toEqual(events);
    }
  });

  it("skips blank lines, strips CR, and returns a last line without newline at the end", () => {
    const d = new LineDecoder();
    expect(d.push(Buffer.from('\n\r\n{"a":1}\r\n{"b"'))).toEqual(['{"a":1}']);
    expect(d.push(Buffer.from(":2}"))).toEqual([]);
    expect(d.end()).toEqual(['{"b":2}']);
    expect(d.end()).toEqual([]);
  });

  it("does not keep a reference to the caller's chunk", () => {
    const d = new LineDecoder();
    const chunk = Buffer.from('{"x":');
    d.push(chunk);
    chunk.fill(0x20);
    expect(d.push(Buffer.from("1}\n"))).toEqual(['{"x":1}']);
  });

  it("refuses a line longer than its bound", () => {
    const d = new LineDecoder(8);
    expect(d.push(Buffer.from("12345\n"))).toEqual(["12345"]);
    d.push(Buffer.from("12345"));
    expect(() => d.push(Buffer.from("6789"))).toThrow(LineTooLongError);
  });
});
