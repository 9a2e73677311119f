import type { ComponentChildren } from "preact";
import type { Problem } from "../api/client.js";
import { problemSentence, useWords } from "../i18n.js";

/** An API problem as a sentence, announced to screen readers. */
export const ProblemMessage = ({ problem }: { problem: Problem | null }) => {
  const { language } = useWords();
  if (problem === null) return null;
  return (
    <p class="problem" role="alert">
      {problemSentence(language, problem.code)}
    </p>
  );
};

/** A field path as a JSON Pointer, whether the API wrote `lines[0].debit` or `/lines/0/debit`. */
const asPointer = (path: string): string =>
  path.startsWith("/")
    ? path
    : `/${path
        .replaceAll(/\[(\d+)\]/g, ".$1")
        .split(".")
        .filter((part) => part !== "")
        .join("/")}`;

export const Section = ({ title, children }: { title: string; children: ComponentChildren }) => (
  <section class="card">
    <h2>{title}</h2>
    {children}
  </section>
);

export const Loading = () => {
  const { t } = useWords();
  return <p aria-busy="true">{t("loading")}</p>;
};

/** The field error at `path` (a JSON Pointer) as a sentence a treasurer understands, shown next to the field. */
export const FieldProblem = ({ problem, path }: { problem: Problem | null; path: string }) => {
  const { language } = useWords();
  const error = problem?.errors?.find((candidate) => {
    const pointer = asPointer(candidate.path);
    return pointer === path || pointer.startsWith(`${path}/`);
  });
  if (error === undefined) return null;
  return (
    <span class="field-problem" role="alert">
      {problemSentence(language, error.code)}
    </span>
  );
};
