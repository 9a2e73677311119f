/**
 * Reads a QR code from the camera: the browser's own BarcodeDetector where it reads QR codes (Android's
 * Chrome), else the `qr` package's decoder on the video's frames, loaded only when the camera opens. The
 * camera is released as soon as a code is read or the scanner closes.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { useWords, type WordKey } from "../i18n.js";

/** How often a frame is looked at: often enough to feel instant, rarely enough for a cheap phone. */
const SCAN_INTERVAL_MS = 200;

type Detect = (video: HTMLVideoElement) => Promise<string | null>;

interface NativeBarcodeDetector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface NativeBarcodeDetectorClass {
  new (options: { formats: string[] }): NativeBarcodeDetector;
  getSupportedFormats(): Promise<string[]>;
}

const nativeDetector = async (): Promise<Detect | null> => {
  const Native = (globalThis as { BarcodeDetector?: NativeBarcodeDetectorClass }).BarcodeDetector;
  if (Native === undefined) return null;
  const formats: string[] = await Native.getSupportedFormats().catch(() => []);
  if (!formats.includes("qr_code")) return null;
  const detector = new Native({ formats: ["qr_code"] });
  return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
};

const libraryDetector = async (): Promise<Detect> => {
  const { default: decodeQR } = await import("qr/decode.js");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    if (context === null || video.videoWidth === 0) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0);
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    try {
      return decodeQR({ width: frame.width, height: frame.height, data: frame.data });
    } catch {
      // No code in this frame (or not yet sharp): the next frame is tried.
      return null;
    }
  };
};

const cameraProblemOf = (error: unknown): WordKey =>
  error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "SecurityError")
    ? "cameraRefused"
    : "cameraMissing";

export const QrScanner = ({ onRead, onClose }: { onRead: (text: string) => void; onClose: () => void }) => {
  const { t } = useWords();
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<WordKey | null>(null);
  const [detectorKind, setDetectorKind] = useState<"native" | "library" | null>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    const stop = () => {
      stopped = true;
      clearInterval(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    // Not awaited (an effect cannot be async); every failure is caught inside and shown as the problem.
    void (async () => {
      try {
        if (navigator.mediaDevices?.getUserMedia === undefined) throw new Error("no camera");
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
          audio: false,
        });
        const element = video.current;
        if (stopped || element === null) return stop();
        element.srcObject = stream;
        await element.play();
        const native = await nativeDetector();
        const detect = native ?? (await libraryDetector());
        setDetectorKind(native === null ? "library" : "native");
        let busy = false;
        timer = setInterval(async () => {
          if (busy || stopped) return;
          busy = true;
          const text = await detect(element).catch(() => null);
          busy = false;
          if (text !== null && text !== "" && !stopped) {
            stop();
            onRead(text);
          }
        }, SCAN_INTERVAL_MS);
      } catch (error) {
        stop();
        setProblem(cameraProblemOf(error));
      }
    })();
    return stop;
  }, []);
  return (
    <div class="scanner" data-detector={detectorKind ?? undefined}>
      {/* The camera's picture only helps aim the code; it has no sound and nothing to caption. */}
      <video ref={video} muted playsInline aria-label={t("cameraView")} />
      <p class="muted">{problem === null ? t("scanHelp") : t(problem)}</p>
      <button type="button" class="secondary" onClick={onClose}>
        {t("cancel")}
      </button>
    </div>
  );
};
