import { describe, expect, it } from "vitest";
import { ApiError, type KubeObject, type Status } from "../../../spec/interfaces/api-client.ts";
import { GENERATED_NAME_ALPHABET } from "../../../spec/semantics/validation.ts";
import { makePod } from "../testing.ts";
import { serviceAccount, tokenVolumeSource } from "./service-account.ts";
import { FakeClient, attrs, testClockAndRng } from "./testing.ts";

type Json = Record<string, unknown>;

function sa(name: string, extra: Json = {}, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: annotations === undefined ? { name, namespace: "default" } : { name, namespace: "default", annotations }, ...extra };
}

function setup(accounts: KubeObject[] = [sa("default")], opts: { requireServiceAccount?: boolean } = {}) {
  const client = new FakeClient();
  for (const a of accounts) client.add("serviceaccounts", a);
  return serviceAccount(client, testClockAndRng().rng, opts);
}

function spec(pod: KubeObject): Json {
  return pod.spec as Json;
}

async function outcome(p: Promise<void>): Promise<Status | "admitted"> {
  try {
    await p;
    return "admitted";
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

async function admitAndValidate(plugin: ReturnType<typeof setup>, pod: KubeObject): Promise<Status | "admitted"> {
  const a = attrs("CREATE", "pods", { object: pod });
  const first = await outcome(plugin.admit!(a));
  return first === "admitted" ? outcome(plugin.validate!(a)) : first;
}

describe("ServiceAccount", () => {
  it("runs pods as `default` and mounts the kube-api-access projected volume in every container", async () => {
    const plugin = setup();
    const pod = makePod("web");
    spec(pod).initContainers = [{ name: "init", image: "busybox" }];
    expect(await admitAndValidate(plugin, pod)).toBe("admitted");
    expect(spec(pod).serviceAccountName).toBe("default");
    const volumes = spec(pod).volumes as Json[];
    expect(volumes).toHaveLength(1);
    const name = volumes[0]!.name as string;
    expect(name).toMatch(new RegExp(`^kube-api-access-[${GENERATED_NAME_ALPHABET}]{5}$`));
    expect(volumes[0]!.projected).toEqual(tokenVolumeSource());
    expect(tokenVolumeSource()).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
      ],
    });
    const mount = { name, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" };
    for (const key of ["containers", "initContainers"]) expect((spec(pod)[key] as Json[])[0]!.volumeMounts).toEqual([mount]);
  });

  it("refuses a pod whose service account does not exist, unless configured not to", async () => {
    const status = await admitAndValidate(setup([]), makePod("web"));
    expect(status).toMatchObject({
      code: 403,
      reason: "Forbidden",
      message: 'pods "web" is forbidden: error looking up service account default/default: serviceaccount "default" not found',
    });
    const named = makePod("api");
    spec(named).serviceAccountName = "builder";
    expect(await admitAndValidate(setup(), named)).toMatchObject({
      message: 'pods "api" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found',
    });
    const lax = makePod("web");
    expect(await admitAndValidate(setup([], { requireServiceAccount: false }), lax)).toBe("admitted");
    expect((spec(lax).volumes as Json[]).length).toBe(1);
  });

  it("does not mount the token when the pod, or else the account, turns automount off", async () => {
    const podOff = makePod("a");
    spec(podOff).automountServiceAccountToken = false;
    await admitAndValidate(setup([sa("default", { automountServiceAccountToken: true })]), podOff);
    expect(spec(podOff).volumes).toBeUndefined();
    const saOff = makePod("b");
    await admitAndValidate(setup([sa("default", { automountServiceAccountToken: false })]), saOff);
    expect(spec(saOff).volumes).toBeUndefined();
    const podOn = makePod("c");
    spec(podOn).automountServiceAccountToken = true;
    await admitAndValidate(setup([sa("default", { automountServiceAccountToken: false })]), podOn);
    expect((spec(podOn).volumes as Json[]).length).toBe(1);
  });

  it("keeps a container's own mount at the token path and reuses an existing kube-api-access volume", async () => {
    const pod = makePod("web");
    spec(pod).containers = [
      { name: "a", image: "x", volumeMounts: [{ name: "mine", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }] },
      { name: "b", image: "x" },
    ];
    spec(pod).volumes = [{ name: "mine", emptyDir: {} }, { name: "kube-api-access-abcde", projected: { sources: [] } }];
    await admitAndValidate(setup(), pod);
    const containers = spec(pod).containers as Json[];
    expect(containers[0]!.volumeMounts).toEqual([{ name: "mine", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }]);
    expect(containers[1]!.volumeMounts).toEqual([{ name: "kube-api-access-abcde", readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }]);
    expect((spec(pod).volumes as Json[]).length).toBe(2);
  });

  it("copies the account's imagePullSecrets to a pod that has none", async () => {
    const plugin = setup([sa("default", { imagePullSecrets: [{ name: "regcred" }] })]);
    const pod = makePod("web");
    await admitAndValidate(plugin, pod);
    expect(spec(pod).imagePullSecrets).toEqual([{ name: "regcred" }]);
    const own = makePod("own");
    spec(own).imagePullSecrets = [{ name: "mine" }];
    await admitAndValidate(plugin, own);
    expect(spec(own).imagePullSecrets).toEqual([{ name: "mine" }]);
  });

  it("keeps mirror pods unchanged and refuses their use of service accounts and secrets", async () => {
    const plugin = setup();
    const mirror = makePod("static-web");
    mirror.metadata!.annotations = { "kubernetes.io/config.mirror": "hash" };
    expect(await admitAndValidate(plugin, mirror)).toBe("admitted");
    expect(spec(mirror).serviceAccountName).toBeUndefined();
    expect(spec(mirror).volumes).toBeUndefined();
    const withSA = structuredClone(mirror);
    spec(withSA).serviceAccountName = "default";
    expect(await admitAndValidate(plugin, withSA)).toMatchObject({ message: 'pods "static-web" is forbidden: a mirror pod may not reference service accounts' });
    const withSecret = structuredClone(mirror);
    spec(withSecret).volumes = [{ name: "s", secret: { secretName: "top" } }];
    expect(await admitAndValidate(plugin, withSecret)).toMatchObject({ message: 'pods "static-web" is forbidden: a mirror pod may not reference secrets' });
    const withToken = structuredClone(mirror);
    spec(withToken).volumes = [{ name: "t", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } }];
    expect(await admitAndValidate(plugin, withToken)).toMatchObject({
      message: 'pods "static-web" is forbidden: a mirror pod may not use ServiceAccountToken volume projections',
    });
  });

  it("limits secret references when the account enforces mountable secrets", async () => {
    const plugin = setup([sa("default", { secrets: [{ name: "allowed" }] }, { "kubernetes.io/enforce-mountable-secrets": "true" })]);
    const ok = makePod("ok");
    spec(ok).volumes = [{ name: "s", secret: { secretName: "allowed" } }];
    expect(await admitAndValidate(plugin, ok)).toBe("admitted");
    const vol = makePod("vol");
    spec(vol).volumes = [{ name: "s", secret: { secretName: "other" } }];
    expect(await admitAndValidate(plugin, vol)).toMatchObject({
      message: 'pods "vol" is forbidden: volume with secret.secretName="other" is not allowed because service account default does not reference that secret',
    });
    const env = makePod("env");
    spec(env).containers = [{ name: "app", image: "x", env: [{ name: "PW", valueFrom: { secretKeyRef: { name: "other", key: "k" } } }] }];
    expect(await admitAndValidate(plugin, env)).toMatchObject({
      message: 'pods "env" is forbidden: container app with envVar PW referencing secret.secretName="other" is not allowed because service account default does not reference that secret',
    });
    const pull = makePod("pull");
    spec(pull).imagePullSecrets = [{ name: "regcred" }];
    expect(await admitAndValidate(plugin, pull)).toMatchObject({
      message: 'pods "pull" is forbidden: imagePullSecrets[0].name="regcred" is not allowed because service account default does not reference that imagePullSecret',
    });
  });

  it("ignores updates, subresources and other kinds", async () => {
    const plugin = setup([]);
    const pod = makePod("web");
    await plugin.admit!(attrs("UPDATE", "pods", { object: pod, oldObject: pod }));
    await plugin.admit!(attrs("CREATE", "pods", { object: pod, subresource: "binding" }));
    await plugin.validate!(attrs("UPDATE", "pods", { object: pod, oldObject: pod }));
    expect(spec(pod).serviceAccountName).toBeUndefined();
  });
});
