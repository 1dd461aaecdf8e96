import type { OpenAPIDocument } from "../src/index.js";

/** A small OpenAPI 3.1 document exercising the engine (routing, validation, multipart, examples). */
export const miniSpec: OpenAPIDocument = {
  openapi: "3.1.0",
  servers: [{ url: "https://example.test/v1" }],
  paths: {
    "/things": {
      post: {
        operationId: "createThing",
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { $ref: "#/components/schemas/CreateThingRequest" } },
          },
        },
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: { type: "object" },
                example: { id: "thing-1", object: "thing" },
              },
            },
          },
        },
      },
    },
    "/things/{thing_id}": {
      parameters: [{ name: "thing_id", in: "path", required: true, schema: { type: "string" } }],
      get: {
        operationId: "getThing",
        parameters: [
          { name: "stream", in: "query", schema: { type: "boolean" } },
          { $ref: "#/components/parameters/Limit" },
        ],
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/Thing" },
                examples: { one: { value: { id: "thing-2", object: "thing" } } },
              },
            },
          },
        },
      },
      delete: {
        operationId: "deleteThing",
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
          },
        },
      },
    },
    "/things/{thing_id}/parts": {
      get: {
        operationId: "listParts",
        parameters: [{ name: "thing_id", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["object", "data"],
                  properties: {
                    object: { type: "string", enum: ["list"] },
                    data: { type: "array", items: { $ref: "#/components/schemas/Thing" } },
                  },
                },
              },
            },
          },
        },
      },
    },
    "/uploads": {
      post: {
        operationId: "uploadThing",
        requestBody: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                required: ["file", "purpose"],
                properties: {
                  file: { type: "string", format: "binary" },
                  purpose: { type: "string" },
                  n: { type: ["integer", "null"], minimum: 1, maximum: 10 },
                  tags: { type: "array", items: { type: "string" } },
                },
              },
            },
          },
        },
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { example: { uploaded: true } } },
          },
        },
      },
    },
  },
  components: {
    parameters: {
      Limit: { name: "limit", in: "query", schema: { type: "integer", minimum: 1 } },
    },
    schemas: {
      Thing: {
        type: "object",
        required: ["id", "object"],
        properties: { id: { type: "string" }, object: { type: "string", enum: ["thing"] } },
      },
      Message: {
        type: "object",
        required: ["role"],
        properties: {
          role: { type: "string", enum: ["system", "user", "assistant", "function"] },
          content: { type: ["string", "null"] },
        },
      },
      CreateThingRequest: {
        type: "object",
        required: ["model", "messages"],
        additionalProperties: false,
        properties: {
          model: { type: "string" },
          messages: { type: "array", minItems: 1, items: { $ref: "#/components/schemas/Message" } },
          temperature: { type: ["number", "null"], minimum: 0, maximum: 2, default: 1 },
          stop: {
            oneOf: [
              { type: "string" },
              { type: "array", items: { type: "string" }, maxItems: 4 },
              { type: "null" },
            ],
          },
          max_tokens: { type: "integer" },
          stream: { type: "boolean" },
        },
      },
    },
  },
};
