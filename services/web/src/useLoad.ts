import { useCallback, useEffect, useState } from "preact/hooks";
import { type Problem, problemOf } from "./api/client.js";

export interface Loaded<T> {
  readonly data: T | null;
  readonly problem: Problem | null;
  readonly reload: () => void;
}

/** Loads data when the component appears and whenever `keys` change; `reload` loads it again. */
export const useLoad = <T>(load: () => Promise<T>, keys: readonly unknown[]): Loaded<T> => {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setProblem(null);
      },
      (error: unknown) => {
        if (!current) return;
        setProblem(problemOf(error));
      },
    );
    return () => {
      current = false;
    };
  }, [...keys, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, problem, reload };
};
