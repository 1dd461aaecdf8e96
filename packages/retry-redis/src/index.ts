export { createRedisStore, type RedisScriptClient, type RedisStoreOptions } from "./redis-store.js";
export { RetryRedisError, RetryRedisOptionsError, isRetryRedisError } from "./errors.js";
