import { defineConfig } from "vite";

// Preact's JSX runtime through esbuild (tsconfig's jsxImportSource); no plugin needed.
// `npm run dev` proxies the API and the stream to a parleyd started with scripts/run.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    target: "es2020",
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    // The web app must stay small for cheap phones on slow networks (issue 6: ≤ 100 KB gzip).
    chunkSizeWarningLimit: 100,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", ws: true },
    },
  },
});
