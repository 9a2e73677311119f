/**
 * Reference data the entry form needs (the chart of accounts, the members) kept from the last time it was
 * read, so that entries can be made without a network. Only what the page could read anyway is kept.
 */
import { ApiError } from "../api/client.js";

const PREFIX = "bukubesar.cache.";

export const cachedRead = async <T>(key: string, read: () => Promise<T>): Promise<T> => {
  try {
    const value = await read();
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
    return value;
  } catch (error) {
    const kept = localStorage.getItem(PREFIX + key);
    if (error instanceof ApiError && error.problem.code === "offline" && kept !== null)
      return JSON.parse(kept) as T;
    throw error;
  }
};
