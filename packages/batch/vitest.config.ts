// The shared base (timeouts sized for a loaded machine); this package's own settings go here.
import { defineProject, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

export default mergeConfig(shared, defineProject({ test: {} }));
