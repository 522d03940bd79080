import { defineConfig } from "vite";
import { inlineEntry, precompress } from "./plugins/first-screen.mjs";

// Preact's JSX runtime through esbuild (tsconfig's jsxImportSource); no plugin needed.
// `npm run dev` proxies the API and the stream to a parleyd started with scripts/run.
export default defineConfig({
  // The first screen in one request, and compressed copies of every file (see the plugins).
  plugins: [inlineEntry(), precompress()],
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    target: "es2020",
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    // The web app must stay small for cheap phones on slow networks (issue 6: ≤ 100 KB gzip).
    chunkSizeWarningLimit: 100,
    modulePreload: { polyfill: false },
    // The entry is inlined into index.html; its file becomes the small module that hands the
    // entry's exports to lazy chunks (plugins/first-screen.mjs), a name no earlier build used.
    rollupOptions: { output: { entryFileNames: "assets/[name]-exports-[hash].js" } },
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", ws: true },
    },
  },
});
