/**
 * A QR code of a text as an SVG drawn from the code's modules (the `qr` package encodes; it is loaded
 * only when a code is shown, so it costs nothing on the first load).
 */
import { useEffect, useState } from "preact/hooks";

/** The quiet zone around the code, in modules, that scanners need (ISO/IEC 18004 asks for four). */
const QUIET_ZONE_MODULES = 4;
/** How large the code is drawn, in CSS pixels: large enough for a phone's camera across a desk. */
const DRAWN_SIZE_PX = 264;

/** One SVG path of every dark module, row by row. */
const pathOf = (modules: readonly (readonly boolean[])[]): string =>
  modules
    .flatMap((row, y) =>
      row.flatMap((dark, x) =>
        dark ? [`M${x + QUIET_ZONE_MODULES} ${y + QUIET_ZONE_MODULES}h1v1h-1z`] : [],
      ),
    )
    .join("");

export const QrCode = ({ text, label }: { text: string; label: string }) => {
  const [modules, setModules] = useState<boolean[][] | null>(null);
  useEffect(() => {
    let current = true;
    void import("qr").then(({ encodeQR }) => {
      if (current) setModules(encodeQR(text, "raw", { ecc: "medium", border: QUIET_ZONE_MODULES }));
    });
    return () => {
      current = false;
    };
  }, [text]);
  if (modules === null) return <div class="qr" aria-busy="true" />;
  // The modules include the quiet zone (light) around the code.
  const side = modules.length;
  return (
    <svg
      class="qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${side} ${side}`}
      width={DRAWN_SIZE_PX}
      height={DRAWN_SIZE_PX}
      shape-rendering="crispEdges"
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={pathOf(modules)} fill="#000" />
    </svg>
  );
};
