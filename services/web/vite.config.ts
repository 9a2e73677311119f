import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// The workspace packages are read from their TypeScript sources (the "source" export condition), as in tests.
export default defineConfig({
  plugins: [preact()],
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2020" },
  server: { proxy: { "/v1": "http://127.0.0.1:8080" } },
});
