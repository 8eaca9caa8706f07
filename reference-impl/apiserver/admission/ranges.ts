// The ranges services allocate from: an IPv4 service CIDR (the network and broadcast addresses are
// never handed out) and a node port range. Each range numbers its items 0..size-1 and reserves a
// lower "static" band (upstream's ServiceIPStaticSubrange / ServiceNodePortStaticSubrange): random
// allocation draws from above it first, so explicitly requested values rarely collide.

export interface AllocationRange {
  /** Number of allocatable items. */
  readonly size: number;
  /** Items [0, offset) are the static band, used by random allocation only when the rest is full. */
  readonly offset: number;
  /** The range as messages print it ("10.96.0.0/12", "30000-32767"). */
  readonly description: string;
  itemAt(index: number): string;
  /** The index of an item, or undefined when it is not in the range. */
  indexOf(item: string): number | undefined;
}

export class RangeParseError extends Error {}

/** A dotted-quad IPv4 address as a number; undefined when `s` is not one. */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    // net.ParseIP accepts up to three decimal digits per octet (leading zeros allowed by ParseIPSloppy).
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Whether `s` looks like an IPv6 address (has a colon); such addresses are not served here. */
export function isIPv6(s: string): boolean {
  return s.includes(":");
}

/** An IPv4 service CIDR such as 10.96.0.0/12. */
export class ServiceIPRange implements AllocationRange {
  readonly size: number;
  readonly offset: number;
  readonly description: string;
  /** The network address as a number. */
  readonly network: number;
  readonly prefixLength: number;

  constructor(cidr: string) {
    const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr);
    const ip = m === null ? undefined : parseIPv4(m[1] ?? "");
    const prefix = m === null ? NaN : Number(m[2]);
    if (ip === undefined || !(prefix >= 0 && prefix <= 32)) throw new RangeParseError(`invalid IPv4 CIDR ${JSON.stringify(cidr)}`);
    const total = 2 ** (32 - prefix);
    this.network = ip - (ip % total);
    this.prefixLength = prefix;
    this.description = `${formatIPv4(this.network)}/${prefix}`;
    // Neither the network ("0") address nor the broadcast address is ever allocated.
    this.size = Math.max(0, total - 2);
    this.offset = staticBand(total, 16, 256, 16);
  }

  /** The first address of the range (.1 of the network): the `kubernetes` service's. */
  get firstIP(): string {
    return this.itemAt(0);
  }

  itemAt(index: number): string {
    return formatIPv4(this.network + 1 + index);
  }

  indexOf(item: string): number | undefined {
    const ip = parseIPv4(item);
    if (ip === undefined) return undefined;
    const index = ip - this.network - 1;
    return index >= 0 && index < this.size ? index : undefined;
  }

  contains(item: string): boolean {
    return this.indexOf(item) !== undefined;
  }
}

/** A node port range such as 30000-32767 (both ends included). */
export class NodePortRange implements AllocationRange {
  readonly size: number;
  readonly offset: number;
  readonly description: string;
  readonly base: number;

  constructor(spec: string) {
    const m = /^([0-9]+)-([0-9]+)$/.exec(spec);
    const lo = Number(m?.[1]);
    const hi = Number(m?.[2]);
    if (m === null || !(lo >= 1 && hi <= 65535 && lo <= hi)) throw new RangeParseError(`invalid port range ${JSON.stringify(spec)}`);
    this.base = lo;
    this.size = hi - lo + 1;
    this.description = `${lo}-${hi}`;
    this.offset = staticBand(this.size, 16, 128, 32);
  }

  itemAt(index: number): string {
    return String(this.base + index);
  }

  indexOf(item: string): number | undefined {
    if (!/^[0-9]+$/.test(item)) return undefined;
    const index = Number(item) - this.base;
    return index >= 0 && index < this.size ? index : undefined;
  }
}

/** calculateRangeOffset: min(max(min, size/step), max), and 0 for ranges of `min` or fewer. */
function staticBand(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/12";
export const DEFAULT_SERVICE_NODE_PORT_RANGE = "30000-32767";
