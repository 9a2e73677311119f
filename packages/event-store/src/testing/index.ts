/**
 * The store's test kit at `@bukubesar/event-store/testing`: the conformance suite every adapter passes. It
 * is written with vitest, so it stays off the main entry point and vitest stays a dev dependency.
 */
export { eventStoreConformance } from "../conformance.js";
