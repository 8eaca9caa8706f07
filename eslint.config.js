import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Determinism (DESIGN.md, "The two worlds"): simulation code takes time and randomness only from the
// Clock and Rng interfaces. Only the real Clock/Rng implementations and live-process code may touch
// wall time, timers or global randomness.
const determinism = {
  "no-restricted-properties": [
    "error",
    { object: "Date", property: "now", message: "Use the Clock interface (simulation must be deterministic)." },
    { object: "Math", property: "random", message: "Use the Rng interface (simulation must be deterministic)." },
    { object: "performance", property: "now", message: "Use the Clock interface (simulation must be deterministic)." },
  ],
  "no-restricted-globals": [
    "error",
    { name: "setTimeout", message: "Use Clock.setTimer (simulation must be deterministic)." },
    { name: "setInterval", message: "Use Clock.setRepeatingTimer (simulation must be deterministic)." },
  ],
  "no-restricted-syntax": [
    "error",
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: "new Date() reads the wall clock: use new Date(clock.now()).",
    },
  ],
};

export default tseslint.config(
  { ignores: ["node_modules/**", "reports/**", "coverage/**", ".tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["reference-impl/**/*.ts", "harness/**/*.ts"],
    ignores: [
      "**/*.test.ts",
      "**/real-clock.ts",
      "**/real-rng.ts",
      "**/real-*.ts",
      "**/live/**",
      "**/process/**",
      "**/process-*.ts",
    ],
    rules: determinism,
  },
);
