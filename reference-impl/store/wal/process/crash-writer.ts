// A store process for the kill -9 test (../crash.integration.test.ts): opens the durable store in
// a data dir on the real disk (segments written as in live mode) and writes puts from several
// concurrent clients, printing each key to stdout once its put is acknowledged, until killed (or
// until `limit` puts).
//
// Usage: node --import tsx crash-writer.ts <data-dir> <key-prefix> [clients=16] [limit=200000]
import { RealClock } from "../../../runtime/real-clock.ts";
import { RealDisk } from "../../../runtime/real-disk.ts";
import { SeededRng } from "../../../runtime/rng.ts";
import { openDurableKv } from "../durable-store.ts";
import { RealSegmentFiles } from "../real-segment-files.ts";

const [dir, prefix, clientsArg, limitArg] = process.argv.slice(2);
if (!dir || !prefix) {
  process.stderr.write("usage: crash-writer.ts <data-dir> <key-prefix> [clients] [limit]\n");
  process.exit(2);
}
const clients = Number(clientsArg ?? 16);
const limit = Number(limitArg ?? 200_000);
const enc = new TextEncoder();

const kv = await openDurableKv({
  disk: new RealDisk(),
  dir,
  // As `plumbline component store` writes its log: preallocated segments, O_DSYNC appends.
  segmentFiles: new RealSegmentFiles({ preallocateChunkBytes: 8 * 1024 }),
  clock: new RealClock(),
  rng: SeededRng.fromSeed(1),
  // Small, so a short run also takes snapshots, cuts segments and removes old ones.
  snapshotEveryCommands: 300,
  segmentBytes: 32 * 1024,
});
process.stderr.write(`ready at revision ${kv.store.revision}\n`);

let next = 0;
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (next < limit) {
      const key = `${prefix}${next++}`;
      await kv.put({ key: enc.encode(key), value: enc.encode(`value of ${key}`) });
      // Synchronous on a pipe: once written, the key is the test's to check.
      process.stdout.write(`${key}\n`);
    }
  }),
);
await kv.close();
