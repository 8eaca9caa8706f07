// Volumes, volume mounts and downward API references inside a pod spec.
import { describe, expect, it } from "vitest";
import { fieldErrorString } from "../../../spec/semantics/field-errors.ts";
import { container, pod } from "./fixtures.ts";
import { validatePodCreate } from "./pod.ts";

type Obj = Record<string, unknown>;

function create(spec: Obj): string[] {
  return validatePodCreate(pod({}, spec)).map(fieldErrorString);
}

describe("volumes", () => {
  it.each<[string, Obj[], string[]]>([
    ["secret without a name", [{ name: "s", secret: {} }], ["spec.volumes[0].secret.secretName: Required value"]],
    [
      "config map item escaping the volume",
      [{ name: "c", configMap: { name: "cm", items: [{ key: "k", path: "../etc/passwd" }] } }],
      ['spec.volumes[0].configMap.items[0].path: Invalid value: "../etc/passwd": must not contain \'..\''],
    ],
    [
      "file mode too large",
      [{ name: "c", configMap: { name: "cm", defaultMode: 1000 } }],
      ["spec.volumes[0].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive"],
    ],
    [
      "host path type",
      [{ name: "h", hostPath: { path: "/var/log", type: "Folder" } }],
      [
        'spec.volumes[0].hostPath.type: Unsupported value: "Folder": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      ],
    ],
    [
      "downward API field",
      [{ name: "d", downwardAPI: { items: [{ path: "node", fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } }] } }],
      [
        'spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
      ],
    ],
    [
      "projected duplicate paths",
      [
        {
          name: "p",
          projected: {
            sources: [
              { configMap: { name: "a", items: [{ key: "k", path: "x" }] } },
              { secret: { name: "b", items: [{ key: "k", path: "x" }] } },
            ],
          },
        },
      ],
      ['spec.volumes[0].projected: Invalid value: "b": conflicting duplicate paths'],
    ],
    [
      "PVC name derived from an ephemeral volume",
      [{ name: "Data", ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } } }],
      [
        `spec.volumes[0].name: Invalid value: "Data": PVC name "web-Data": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        `spec.volumes[0].name: Invalid value: "Data": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
  ])("%s", (_name, volumes, expected) => {
    expect(create({ volumes })).toEqual(expected);
  });

  it("checks mounts against the volumes", () => {
    const spec = {
      volumes: [{ name: "data", emptyDir: {} }],
      containers: [
        container("a", {
          volumeMounts: [
            { name: "data", mountPath: "/data" },
            { name: "data", mountPath: "/data", subPath: "/abs" },
          ],
        }),
      ],
    };
    expect(create(spec)).toEqual([
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
      'spec.containers[0].volumeMounts.subPath: Invalid value: "/abs": must be a relative path',
    ]);
  });
});

describe("env", () => {
  it.each<[string, Obj[], string[]]>([
    [
      "unsupported downward API field",
      [{ name: "A", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.phase" } } }],
      [
        'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ],
    ],
    [
      "unknown field label",
      [{ name: "A", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.foo" } } }],
      ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.foo": error converting fieldPath: field label not supported: spec.foo'],
    ],
    [
      "value and valueFrom",
      [{ name: "A", value: "x", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }],
      ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
    ],
    [
      "resource field",
      [{ name: "A", valueFrom: { resourceFieldRef: { resource: "limits.gpu" } } }],
      [
        'spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
      ],
    ],
  ])("%s", (_name, env, expected) => {
    expect(create({ containers: [container("a", { env })] })).toEqual(expected);
  });

  it("requires a source in envFrom", () => {
    expect(create({ containers: [container("a", { envFrom: [{ prefix: "X_" }] })] })).toEqual([
      'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    ]);
  });
});
