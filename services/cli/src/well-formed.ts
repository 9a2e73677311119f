/**
 * Where a JSON value holds a string (a key or a value) that is not well-formed Unicode, i.e. has a lone
 * surrogate: RFC 8785 canonicalizers refuse such a string, so an event holding one has a hash that no
 * tool but ours can recompute. Returns a JSON Pointer to the first one, or null when every string is sound.
 */
export const firstIllFormedString = (value: unknown, path = ""): string | null => {
  if (typeof value === "string") return value.isWellFormed() ? null : path === "" ? "/" : path;
  if (typeof value !== "object" || value === null) return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = firstIllFormedString(item, `${path}/${index}`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyPath = `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    if (!key.isWellFormed()) return keyPath;
    const found = firstIllFormedString(item, keyPath);
    if (found !== null) return found;
  }
  return null;
};
