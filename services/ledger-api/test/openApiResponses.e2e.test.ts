/**
 * The OpenAPI document describes what each operation really answers: its success statuses with body
 * schemas, its problems as application/problem+json, the headers that come with them; its examples
 * succeed against the demo cooperative; `redocly lint` finds no error; /docs is titled bukubesar.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStore, type Harness, startHarness } from "./harness.js";

const redocly = fileURLToPath(new URL("../../../node_modules/.bin/redocly", import.meta.url));
const METHODS = ["get", "post", "put", "patch", "delete"];

describe("the OpenAPI document's responses", () => {
  let harness: Harness;
  let cleanup: () => Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: the document is inspected field by field
  let spec: any;

  beforeAll(async () => {
    const store = await freshStore("sqlite");
    cleanup = store.cleanup;
    harness = await startHarness(store.url);
    spec = (await harness.call("GET", "/openapi.json", { token: null })).body;
  });
  afterAll(async () => {
    await harness?.stop();
    await cleanup?.();
  });

  // biome-ignore lint/suspicious/noExplicitAny: the document is inspected field by field
  const operations = (): [string, string, any][] =>
    Object.entries(spec.paths).flatMap(([path, item]) =>
      // biome-ignore lint/suspicious/noExplicitAny: the document is inspected field by field
      METHODS.filter((method) => (item as any)[method] !== undefined).map(
        // biome-ignore lint/suspicious/noExplicitAny: the document is inspected field by field
        (method) => [path, method, (item as any)[method]] as [string, string, any],
      ),
    );

  it("gives every operation an operationId, a success and its problems as problem+json", () => {
    const ids = new Set<string>();
    for (const [path, method, operation] of operations()) {
      const where = `${method} ${path}`;
      expect(operation.operationId, where).toMatch(/^[a-z]+[A-Za-z0-9]*$/);
      ids.add(operation.operationId);
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((status) => status.startsWith("2")),
        where,
      ).toBe(true);
      expect(statuses).not.toContain("default");
      for (const status of statuses.filter((candidate) => /^[45]/.test(candidate))) {
        const schema = operation.responses[status].content["application/problem+json"].schema;
        expect(schema.required, `${where} ${status}`).toEqual(["type", "title", "status", "detail", "code"]);
      }
    }
    expect(ids.size).toBe(operations().length);
  });

  it("documents a journal entry's 201 and 202, replay header, conflicts and retries", () => {
    const post = spec.paths["/v1/cooperatives/{coopId}/journal-entries"].post;
    for (const status of ["201", "202"]) {
      const response = post.responses[status];
      expect(response.content["application/json"].schema.required).toContain("entryId");
      expect(Object.keys(response.headers)).toContain("Idempotent-Replayed");
    }
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(["400", "401", "403", "404", "409", "413", "415", "422", "429", "503"]),
    );
    expect(Object.keys(post.responses["503"].headers)).toEqual(["Retry-After"]);
    const report = spec.paths["/v1/cooperatives/{coopId}/trial-balance"].get.responses["200"].content;
    expect(Object.keys(report)).toEqual(["application/json", "text/csv", "application/pdf"]);
    expect(spec.paths["/v1/tokens/{principalId}"].delete.responses["204"].content).toBeUndefined();
  });

  it("has examples that succeed against the demo cooperative", async () => {
    await harness.call("POST", "/v1/cooperatives", {
      body: { id: "kkmp-mangunharjo", name: "KKMP Mangunharjo", regionCode: "35.74.03.1002", chart: "kkmp" },
    });
    await harness.call("POST", "/v1/cooperatives/kkmp-mangunharjo/members", {
      body: { memberId: "A-0001", name: "Anggota Satu", joinedOn: "2025-01-02", role: "member" },
    });
    const post = spec.paths["/v1/cooperatives/{coopId}/journal-entries"].post;
    const coopId = post.parameters.find((parameter: { name: string }) => parameter.name === "coopId").example;
    const key = post.parameters.find((parameter: { name: string }) => parameter.name === "idempotency-key");
    const posted = await harness.call("POST", `/v1/cooperatives/${coopId}/journal-entries`, {
      body: post.requestBody.content["application/json"].example,
      headers: { "idempotency-key": key.example },
    });
    expect(posted.status).toBe(201);
    const member =
      spec.paths["/v1/cooperatives/{coopId}/members"].post.requestBody.content["application/json"];
    expect(
      (await harness.call("POST", `/v1/cooperatives/${coopId}/members`, { body: member.example })).status,
    ).toBe(201);
  });

  it("passes redocly lint with no error", async () => {
    const directory = mkdtempSync(join(tmpdir(), "bukubesar-openapi-"));
    try {
      const file = join(directory, "openapi.json");
      writeFileSync(file, JSON.stringify(spec));
      const run = await promisify(execFile)(redocly, ["lint", file, "--format=summary"]).catch(
        (failure: { stdout: string; stderr: string }) => ({ ...failure, failed: true }),
      );
      expect("failed" in run ? `${run.stdout}${run.stderr}` : "", "redocly lint").toBe("");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("titles the /docs page bukubesar", async () => {
    const page = await harness.call("GET", "/docs/static/index.html", { token: null });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<title>bukubesar<\/title>/);
  });
});
