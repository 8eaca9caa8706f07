import { describe, expect, it } from "vitest";
import { Trace } from "./trace.ts";

function traceAt(capacity?: number) {
  let nowMs = 1_000;
  const trace = new Trace({ now: () => nowMs, capacity });
  return { trace, setNow: (t: number) => (nowMs = t) };
}

describe("Trace", () => {
  it("formats one stable line per event, times relative to the origin", () => {
    const { trace, setNow } = traceAt();
    trace.record("scheduler", "bind", "default/web -> node-1");
    setNow(13_346);
    trace.record("kubelet/node-1", "start", "default/web");
    expect(trace.format()).toBe("+0.000s scheduler bind default/web -> node-1\n+12.346s kubelet/node-1 start default/web\n");
    expect(trace.events()[1]).toEqual({ timeMs: 13_346, component: "kubelet/node-1", kind: "start", summary: "default/web" });
  });

  it("escapes newlines so every event stays one line", () => {
    const { trace } = traceAt();
    trace.record("c", "k", "two\nlines\\ and\r");
    expect(trace.format()).toBe("+0.000s c k two\\nlines\\\\ and\\r\n");
  });

  it("keeps the newest events up to its capacity and counts the dropped ones", () => {
    const { trace } = traceAt(3);
    for (let i = 0; i < 7; i++) trace.record("c", "n", String(i));
    expect(trace.recorded).toBe(7);
    expect(trace.dropped).toBe(4);
    expect(trace.events().map((e) => e.summary)).toEqual(["4", "5", "6"]);
    expect(trace.last(2).map((e) => e.summary)).toEqual(["5", "6"]);
    expect(trace.last(10).map((e) => e.summary)).toEqual(["4", "5", "6"]);
    expect(trace.last(0)).toEqual([]);
    expect(trace.format()).toBe("(4 earlier events dropped)\n+0.000s c n 4\n+0.000s c n 5\n+0.000s c n 6\n");
  });

  it("rejects a capacity below one", () => {
    expect(() => new Trace({ now: () => 0, capacity: 0 })).toThrow(RangeError);
  });
});
