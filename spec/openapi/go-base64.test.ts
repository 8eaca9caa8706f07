import { expect, test } from "vitest";
import { decodeGoBase64, encodeGoBase64 } from "./go-base64.ts";

const text = (s: string) => {
  const result = decodeGoBase64(s);
  return result.ok ? new TextDecoder().decode(result.bytes) : result.message;
};

test.each<[string, string]>([
  ["aGVsbG8=", "hello"],
  ["", ""],
  ["aGVs\nbG8=\r\n", "hello"],
  ["aQ=\n=", "i"],
])("decodes %j as Go's StdEncoding does", (input, expected) => {
  expect(text(input)).toBe(expected);
});

// Offsets as Go's decodeQuantum reports them.
test.each<[string, number]>([
  ["aGVsbG8", 4], // missing padding: the short quantum's start
  ["a", 0],
  ["a===", 1],
  ["aQ=", 3],
  ["aGVs!G8=", 4],
  ["aGVsbG8=x", 8], // trailing garbage after padding
  ["YQ==YQ==", 4],
  ["é", 0],
])("refuses %j at byte %i", (input, offset) => {
  expect(text(input)).toBe(`illegal base64 data at input byte ${offset}`);
});

test("writes standard padded base64", () => {
  expect(encodeGoBase64(new TextEncoder().encode("hello"))).toBe("aGVsbG8=");
  expect(encodeGoBase64(new Uint8Array([0xff, 0xfe]))).toBe("//4=");
});
