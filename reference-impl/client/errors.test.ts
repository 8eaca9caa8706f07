import { describe, expect, it } from "vitest";
import { ApiError, type Status } from "../../spec/interfaces/api-client.ts";
import {
  ConnectionError,
  asFailureStatus,
  genericServerResponse,
  isConnectionError,
  isExpiredError,
  isNotFound,
  isTooLargeResourceVersionError,
  isTooManyRequests,
  watchDecodingError,
} from "./errors.ts";

const status = (s: Partial<Status>): ApiError => new ApiError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", code: 500, ...s });

describe("genericServerResponse (NewGenericServerResponse)", () => {
  const pods = { group: "", resource: "pods" };
  it("has upstream's reason and message per code, with the request appended", () => {
    const cases: [number, string, string | undefined, string][] = [
      [409, "POST", "AlreadyExists", "the server reported a conflict (post pods web)"],
      [409, "PUT", "Conflict", "the server reported a conflict (put pods web)"],
      [404, "GET", "NotFound", "the server could not find the requested resource (get pods web)"],
      [400, "GET", "BadRequest", "the server rejected our request for an unknown reason (get pods web)"],
      [401, "GET", "Unauthorized", "the server has asked for the client to provide credentials (get pods web)"],
      [403, "GET", "Forbidden", "text (get pods web)"],
      [405, "GET", "MethodNotAllowed", "the server does not allow this method on the requested resource (get pods web)"],
      [422, "GET", "Invalid", "the server rejected our request due to an error in our request (get pods web)"],
      [429, "GET", "TooManyRequests", "the server has received too many requests and has asked us to try again later (get pods web)"],
      [503, "GET", "ServiceUnavailable", "the server is currently unable to handle the request (get pods web)"],
      [504, "GET", "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request (get pods web)"],
      [500, "GET", "InternalError", 'an error on the server ("text") has prevented the request from succeeding (get pods web)'],
      [418, "GET", undefined, "the server responded with the status code 418 but did not return more information (get pods web)"],
    ];
    for (const [code, method, reason, message] of cases) {
      const s = genericServerResponse({ code, method, resource: pods, name: "web", serverMessage: "text", isUnexpectedResponse: true });
      expect([s.code, s.reason, s.message]).toEqual([code, reason, message]);
    }
  });

  it("fills details as client-go does", () => {
    const s = genericServerResponse({ code: 429, method: "GET", resource: { group: "apps", resource: "deployments" }, serverMessage: "slow down", retryAfterSeconds: 3, isUnexpectedResponse: true });
    expect(s).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the server has received too many requests and has asked us to try again later (get deployments.apps)",
      reason: "TooManyRequests",
      details: { group: "apps", kind: "deployments", causes: [{ reason: "UnexpectedServerResponse", message: "slow down" }], retryAfterSeconds: 3 },
      code: 429,
    });
    expect(genericServerResponse({ code: 406, method: "GET", serverMessage: "unknown", isUnexpectedResponse: false }).message).toBe(
      "the server was unable to respond with a content type that the client supports",
    );
  });

  it("reports an undecodable watch stream as client-go's ErrorReporter does", () => {
    expect(watchDecodingError("bad json").status).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'an error on the server ("unable to decode an event from the watch stream: bad json") has prevented the request from succeeding',
      reason: "InternalError",
      details: {
        causes: [
          { reason: "UnexpectedServerResponse", message: "unable to decode an event from the watch stream: bad json" },
          { reason: "ClientWatchDecoding", message: "unable to decode an event from the watch stream: bad json" },
        ],
      },
      code: 500,
    });
  });
});

describe("error predicates", () => {
  it("match reasons, and codes only for reasons apimachinery does not know", () => {
    expect(isNotFound(status({ code: 404, reason: "NotFound" }))).toBe(true);
    expect(isNotFound(status({ code: 404, reason: "SomethingNew" }))).toBe(true);
    // StatusReasonUnknown is "" and counts as known: a reason-less 404 is not NotFound upstream either.
    expect(isNotFound(status({ code: 404 }))).toBe(false);
    expect(isExpiredError(status({ code: 410, reason: "Expired" }))).toBe(true);
    expect(isExpiredError(status({ code: 410, reason: "Gone" }))).toBe(true);
    expect(isTooManyRequests(status({ code: 429 }))).toBe(true);
    expect(isTooLargeResourceVersionError(status({ code: 504, reason: "Timeout", details: { causes: [{ reason: "ResourceVersionTooLarge" }] } }))).toBe(true);
    expect(isTooLargeResourceVersionError(status({ code: 504, reason: "Timeout", message: "Timeout: Too large resource version: 9, current: 3" }))).toBe(true);
    expect(isTooLargeResourceVersionError(status({ code: 504, reason: "Timeout", message: "slow" }))).toBe(false);
    expect(isNotFound(new Error("x"))).toBe(false);
  });

  it("tell connection errors apart from answers", () => {
    const err = new ConnectionError("refused", "connect: connection refused");
    expect(err).toBeInstanceOf(ApiError);
    expect(isConnectionError(err)).toBe(true);
    expect(err.code).toBe(0);
    expect(isConnectionError(status({}))).toBe(false);
  });

  it("recognise a failed Status body", () => {
    expect(asFailureStatus({ kind: "Status", status: "Failure", code: 409, reason: "Conflict" })).toMatchObject({ code: 409 });
    expect(asFailureStatus({ kind: "Status", status: "Success", code: 200 })).toBeUndefined();
    expect(asFailureStatus({ kind: "Pod" })).toBeUndefined();
    expect(asFailureStatus("text")).toBeUndefined();
  });
});
