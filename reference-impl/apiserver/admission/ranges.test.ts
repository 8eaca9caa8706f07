import { describe, expect, it } from "vitest";
import { NodePortRange, RangeParseError, ServiceIPRange, formatIPv4, parseIPv4 } from "./ranges.ts";

describe("ServiceIPRange", () => {
  it("numbers the addresses between the network and broadcast addresses", () => {
    const r = new ServiceIPRange("10.96.0.0/12");
    expect(r.description).toBe("10.96.0.0/12");
    expect(r.size).toBe(2 ** 20 - 2);
    expect(r.firstIP).toBe("10.96.0.1");
    expect(r.itemAt(r.size - 1)).toBe("10.111.255.254");
    expect(r.indexOf("10.96.0.1")).toBe(0);
    expect(r.indexOf("10.96.0.0")).toBeUndefined();
    expect(r.indexOf("10.111.255.255")).toBeUndefined();
    expect(r.indexOf("10.112.0.1")).toBeUndefined();
    expect(r.indexOf("not-an-ip")).toBeUndefined();
  });

  it("reserves upstream's static band: min(max(16, size/16), 256), none for /28 and smaller", () => {
    expect(new ServiceIPRange("10.96.0.0/12").offset).toBe(256);
    expect(new ServiceIPRange("10.0.0.0/24").offset).toBe(16);
    expect(new ServiceIPRange("10.0.0.0/22").offset).toBe(64);
    expect(new ServiceIPRange("10.0.0.0/27").offset).toBe(16);
    expect(new ServiceIPRange("10.0.0.0/28").offset).toBe(0);
  });

  it("normalizes the CIDR to its network and refuses malformed ones", () => {
    expect(new ServiceIPRange("10.96.3.4/12").description).toBe("10.96.0.0/12");
    expect(() => new ServiceIPRange("10.96.0.0")).toThrow(RangeParseError);
    expect(() => new ServiceIPRange("10.96.0.256/12")).toThrow(RangeParseError);
    expect(() => new ServiceIPRange("10.96.0.0/33")).toThrow(RangeParseError);
  });

  it("parses and formats dotted quads", () => {
    expect(parseIPv4("10.96.0.1")).toBe(0x0a600001);
    expect(formatIPv4(0x0a600001)).toBe("10.96.0.1");
    expect(parseIPv4("1.2.3")).toBeUndefined();
    expect(parseIPv4("1.2.3.1000")).toBeUndefined();
  });
});

describe("NodePortRange", () => {
  it("covers both ends and reserves min(max(16, size/32), 128) ports", () => {
    const r = new NodePortRange("30000-32767");
    expect(r.size).toBe(2768);
    expect(r.offset).toBe(86);
    expect(r.itemAt(0)).toBe("30000");
    expect(r.indexOf("32767")).toBe(2767);
    expect(r.indexOf("32768")).toBeUndefined();
    expect(r.indexOf("29999")).toBeUndefined();
    expect(new NodePortRange("30000-30015").offset).toBe(0);
    expect(() => new NodePortRange("3-2")).toThrow(RangeParseError);
  });
});
