import { defineConfig } from "vitest/config";

// Four projects so each kind of test can run alone:
//   unit         — foo.test.ts: fast, in-process, deterministic
//   property     — foo.property.test.ts: fast-check properties
//   integration  — foo.integration.test.ts: real processes (store server, etcd, docker, etcdctl)
//   scenario     — scenarios run as tests (added with the scenario engine)
const shared = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    reporters: ["default"],
    projects: [
      {
        test: {
          ...shared,
          name: "unit",
          include: ["{spec,reference-impl,harness,bench}/**/*.test.ts"],
          exclude: ["**/*.property.test.ts", "**/*.integration.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: { ...shared, name: "property", include: ["{spec,reference-impl,harness}/**/*.property.test.ts"] },
      },
      {
        test: {
          ...shared,
          name: "integration",
          include: ["{spec,reference-impl,harness}/**/*.integration.test.ts"],
          // Real processes and ports: keep files from fighting over the 2 cores.
          fileParallelism: false,
          testTimeout: 180_000,
        },
      },
    ],
  },
});
