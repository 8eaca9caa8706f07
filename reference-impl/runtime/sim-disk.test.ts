import { describe, expect, it } from "vitest";
import { SeededRng } from "./rng.ts";
import { SimDisk } from "./sim-disk.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

async function diskWithDir(): Promise<SimDisk> {
  const disk = new SimDisk();
  await disk.mkdirp("/data/wal");
  return disk;
}

describe("SimDisk", () => {
  it("reads see unsynced appends at once", async () => {
    const disk = await diskWithDir();
    await disk.append("/data/wal/0.log", bytes("abc"));
    await disk.append("/data/wal/0.log", bytes("def"));
    expect(text(await disk.read("/data/wal/0.log"))).toBe("abcdef");
    expect(await disk.read("/data/wal/missing")).toBeUndefined();
  });

  it("a crash keeps synced bytes and loses unsynced ones", async () => {
    const disk = await diskWithDir();
    await disk.append("/data/wal/0.log", bytes("one;"));
    await disk.sync("/data/wal/0.log");
    await disk.append("/data/wal/0.log", bytes("two;"));
    expect(text(disk.durableContents("/data/wal/0.log"))).toBe("one;");
    disk.crash();
    expect(text(await disk.read("/data/wal/0.log"))).toBe("one;");
    // After the crash the file goes on from its durable contents.
    await disk.append("/data/wal/0.log", bytes("three;"));
    await disk.sync("/data/wal/0.log");
    disk.crash();
    expect(text(await disk.read("/data/wal/0.log"))).toBe("one;three;");
    expect(disk.crashes).toBe(2);
  });

  it("a file never synced vanishes in a crash", async () => {
    const disk = await diskWithDir();
    await disk.append("/data/wal/new.log", bytes("x"));
    expect(await disk.list("/data/wal")).toEqual(["new.log"]);
    disk.crash();
    expect(await disk.read("/data/wal/new.log")).toBeUndefined();
    expect(await disk.list("/data/wal")).toEqual([]);
  });

  it("writeAtomic is durable at once and replaces the whole file", async () => {
    const disk = await diskWithDir();
    await disk.append("/data/snap", bytes("old unsynced"));
    await disk.writeAtomic("/data/snap", bytes("snapshot-1"));
    disk.crash();
    expect(text(await disk.read("/data/snap"))).toBe("snapshot-1");
  });

  it("truncate is volatile until sync, and extends with zeros", async () => {
    const disk = await diskWithDir();
    const p = "/data/wal/0.log";
    await disk.append(p, bytes("0123456789"));
    await disk.sync(p);
    await disk.truncate(p, 4);
    expect(text(await disk.read(p))).toBe("0123");
    disk.crash();
    expect(text(await disk.read(p))).toBe("0123456789");
    await disk.truncate(p, 4);
    await disk.append(p, bytes("xy"));
    await disk.sync(p);
    disk.crash();
    expect(text(await disk.read(p))).toBe("0123xy");
    await disk.truncate(p, 8);
    expect(Array.from((await disk.read(p))!.slice(6))).toEqual([0, 0]);
    await expect(disk.truncate("/data/none", 0)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("a crash with a tear Rng keeps a random prefix of the unsynced appends", async () => {
    const synced = "synced;";
    const unsynced = "0123456789abcdefghij";
    const kept = new Set<string>();
    const tearRng = SeededRng.fromSeed(1).fork("tear");
    for (let i = 0; i < 50; i++) {
      const disk = await diskWithDir();
      await disk.append("/data/wal/0.log", bytes(synced));
      await disk.sync("/data/wal/0.log");
      await disk.append("/data/wal/0.log", bytes(unsynced.slice(0, 10)));
      await disk.append("/data/wal/0.log", bytes(unsynced.slice(10)));
      disk.crash({ tearRng });
      const after = text(await disk.read("/data/wal/0.log"))!;
      expect(after.startsWith(synced)).toBe(true);
      expect(unsynced.startsWith(after.slice(synced.length))).toBe(true);
      kept.add(after);
    }
    // Torn at many different points, including (likely) mid-append.
    expect(kept.size).toBeGreaterThan(10);
  });

  it("tearing never resurrects bytes a truncate removed", async () => {
    const disk = await diskWithDir();
    const p = "/data/wal/0.log";
    await disk.append(p, bytes("abcdef"));
    await disk.sync(p);
    await disk.truncate(p, 2);
    await disk.append(p, bytes("XYZ"));
    disk.crash({ tearRng: SeededRng.fromSeed(2) });
    expect(text(await disk.read(p))).toBe("abcdef");
  });

  it("the same tear Rng seed tears the same way", async () => {
    const tornAt = async (seed: number) => {
      const disk = await diskWithDir();
      await disk.append("/data/a", bytes("x".repeat(1000)));
      disk.crash({ tearRng: SeededRng.fromSeed(seed) });
      return (await disk.read("/data/a"))?.length ?? 0;
    };
    expect(await tornAt(9)).toBe(await tornAt(9));
  });

  it("needs the parent directory, like a real file system", async () => {
    const disk = new SimDisk();
    await expect(disk.append("/nodir/f", bytes("x"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(disk.writeAtomic("/nodir/f", bytes("x"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(disk.sync("/nodir/f")).rejects.toMatchObject({ code: "ENOENT" });
    await disk.mkdirp("/nodir");
    await disk.sync("/nodir"); // a directory fsync, as after creating a file in it
    await disk.append("/nodir/f", bytes("x"));
    await expect(disk.append("/nodir", bytes("x"))).rejects.toMatchObject({ code: "EISDIR" });
    await expect(disk.mkdirp("/nodir/f/g")).rejects.toMatchObject({ code: "EEXIST" });
  });

  it("lists names directly inside a directory, sorted, and removes files and trees", async () => {
    const disk = new SimDisk();
    await disk.mkdirp("/d/sub/deeper");
    await disk.writeAtomic("/d/b", bytes("b"));
    await disk.append("/d/a", bytes("a"));
    await disk.writeAtomic("/d/sub/c", bytes("c"));
    expect(await disk.list("/d")).toEqual(["a", "b", "sub"]);
    expect(await disk.list("/d/")).toEqual(["a", "b", "sub"]);
    expect(await disk.list("/missing")).toEqual([]);
    await disk.remove("/d/a");
    await disk.remove("/d/a");
    expect(await disk.list("/d")).toEqual(["b", "sub"]);
    await disk.remove("/d/sub");
    expect(await disk.list("/d")).toEqual(["b"]);
    expect(await disk.read("/d/sub/c")).toBeUndefined();
    disk.crash();
    expect(await disk.list("/d")).toEqual(["b"]);
  });

  it("copies data in and out, so callers cannot change stored bytes", async () => {
    const disk = await diskWithDir();
    const buf = bytes("abc");
    await disk.append("/data/f", buf);
    buf[0] = 0x7a;
    const read = (await disk.read("/data/f"))!;
    read[1] = 0x7a;
    expect(text(await disk.read("/data/f"))).toBe("abc");
  });
});
