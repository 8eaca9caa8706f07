// The deterministic runtime: clocks, random streams, disks, the simulation loop and its trace.
export { DEFAULT_EPOCH_MS, VirtualClock, type FiredTimer, type PendingTimer, type VirtualClockOptions } from "./virtual-clock.ts";
export { RealClock, type RealClockOptions } from "./real-clock.ts";
export { SeededRng } from "./rng.ts";
export { Trace, DEFAULT_TRACE_CAPACITY, type TraceEvent, type TraceOptions } from "./trace.ts";
export {
  Simulation,
  SimulationError,
  DEFAULT_MAX_EVENTS_PER_RUN,
  type RunUntilIdleOptions,
  type SimulationOptions,
} from "./simulation.ts";
export { SimDisk, type CrashOptions } from "./sim-disk.ts";
export { RealDisk, type RealDiskOptions } from "./real-disk.ts";
