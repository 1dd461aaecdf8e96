import { compileOperations, type CompiledOperation } from "./operations.js";
import { basePath, type OpenAPIDocument } from "./spec.js";
import { SpecValidator } from "./validate.js";

/** A spec made ready to serve: operations compiled into matchers, validators compiled lazily. */
export interface Engine {
  readonly doc: OpenAPIDocument;
  readonly ops: readonly CompiledOperation[];
  readonly base: string;
  readonly validator: SpecValidator;
}

// Compiling validators is the expensive part of start-up; servers sharing a spec share it.
const engines = new WeakMap<object, Engine>();

/** The engine for a spec document, shared by every server that serves the same object. */
export function engineFor(doc: OpenAPIDocument): Engine {
  let engine = engines.get(doc);
  if (!engine) {
    engine = {
      doc,
      ops: compileOperations(doc),
      base: basePath(doc),
      validator: new SpecValidator(doc),
    };
    engines.set(doc, engine);
  }
  return engine;
}
