import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RealDisk } from "./real-disk.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

describe("RealDisk", () => {
  let dir: string;
  let disk: RealDisk;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "plumbline-real-disk-"));
    disk = new RealDisk({ maxOpenFiles: 2 });
  });

  afterEach(async () => {
    await disk.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("appends in order, syncs and reads back", async () => {
    const p = join(dir, "wal.log");
    // Not awaited one by one: the order of calls must still be the order on disk.
    await Promise.all(Array.from({ length: 200 }, (_, i) => disk.append(p, bytes(`${i};`))));
    await disk.sync(p);
    const expected = Array.from({ length: 200 }, (_, i) => `${i};`).join("");
    expect(text(await disk.read(p))).toBe(expected);
    expect(await readFile(p, "utf8")).toBe(expected);
    expect(await disk.read(join(dir, "missing"))).toBeUndefined();
  });

  it("keeps working past its open-handle limit", async () => {
    const files = ["a", "b", "c", "d"].map((n) => join(dir, n));
    for (let round = 0; round < 3; round++) {
      for (const f of files) await disk.append(f, bytes(String(round)));
    }
    for (const f of files) await disk.sync(f);
    for (const f of files) expect(text(await disk.read(f))).toBe("012");
  });

  it("writeAtomic replaces a file, even one open for appending, and leaves no temp file", async () => {
    const p = join(dir, "snap");
    await disk.append(p, bytes("old"));
    await disk.writeAtomic(p, bytes("new contents"));
    expect(text(await disk.read(p))).toBe("new contents");
    await disk.append(p, bytes("+more"));
    expect(text(await disk.read(p))).toBe("new contents+more");
    expect(await disk.list(dir)).toEqual(["snap"]);
  });

  it("truncates, lists sorted, makes directories and removes", async () => {
    const p = join(dir, "log");
    await disk.append(p, bytes("0123456789"));
    await disk.truncate(p, 4);
    await disk.append(p, bytes("ab"));
    await disk.sync(p);
    expect(text(await disk.read(p))).toBe("0123ab");
    await disk.mkdirp(join(dir, "sub", "deeper"));
    await disk.mkdirp(join(dir, "sub", "deeper"));
    await writeFile(join(dir, "sub", "x"), "x");
    await disk.writeAtomic(join(dir, "b"), bytes("b"));
    expect(await disk.list(dir)).toEqual(["b", "log", "sub"]);
    expect(await disk.list(join(dir, "sub"))).toEqual(["deeper", "x"]);
    expect(await disk.list(join(dir, "missing"))).toEqual([]);
    await disk.remove(p);
    await disk.remove(p);
    await disk.remove(join(dir, "sub"));
    expect(await disk.list(dir)).toEqual(["b"]);
  });

  it("reports a sync or truncate of a missing file as ENOENT", async () => {
    await expect(disk.sync(join(dir, "none"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(disk.truncate(join(dir, "none"), 0)).rejects.toMatchObject({ code: "ENOENT" });
    // A failed operation does not block later ones on the same path.
    await disk.append(join(dir, "none"), bytes("now"));
    expect(text(await disk.read(join(dir, "none")))).toBe("now");
  });
});
