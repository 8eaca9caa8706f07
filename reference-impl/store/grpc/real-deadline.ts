// gRPC deadlines are wall-clock instants, so computing one reads the wall clock. This lives apart
// (real-*.ts) because gRPC calls only happen in live mode, never in simulation.

/** The wall-clock deadline `timeoutMs` from now, as gRPC takes it. */
export function deadlineAfter(timeoutMs: number): Date {
  return new Date(Date.now() + timeoutMs);
}
