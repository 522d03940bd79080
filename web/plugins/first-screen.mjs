// Build steps for slow networks (issue 6: a usable first screen within 3 s on Slow 3G, where
// every request costs a 2 s round trip; docs/benchmarks.md has the figures).
//
// inlineEntry(): index.html carries the entry chunk and its CSS inline, so the first screen
// needs one request. parleyd's Content-Security-Policy allows exactly these inline elements by
// their SHA-256 hashes, read from the page it serves (src/http/static_files.cpp). Chunks loaded
// later with import() still share the entry's modules (one Preact, one chat store): the entry
// hands its exports to them through a tiny module left at the entry's old URL, which re-exports
// them from a global the inline entry sets. Those exports are functions, classes and objects
// set once at start-up, so handing over their values is the same as importing them.
//
// precompress(): a .gz and a .br copy of every text file, kept where smaller; parleyd sends
// one instead of the file when the request's Accept-Encoding allows it.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const HANDOFF = "__parleyEntry";

// `export{a as b,c};` at the end of a chunk → [["a","b"],["c","c"]].
function exportList(code) {
  const match = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(code);
  if (!match) return { body: code, names: [] };
  const names = match[1]
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const [local, exported = local] = item.split(/\s+as\s+/);
      return [local.trim(), exported.trim()];
    });
  return { body: code.slice(0, match.index), names };
}

// A script element's content must not end it early or switch the parser's script states.
function checkInlinable(code, name) {
  if (/<\/script|<!--|<script/i.test(code)) throw new Error(`${name} cannot be inlined: it contains "</script", "<script" or "<!--"`);
}

export function inlineEntry() {
  return {
    name: "parley-inline-entry",
    apply: "build",
    enforce: "post",
    // After Vite's own generateBundle steps (they fill in the preload helper's placeholders).
    generateBundle: { order: "post", handler: inline },
  };
}

function inline(_options, bundle) {
  const page = bundle["index.html"];
  if (!page) return;
  let html = String(page.source);
  for (const [fileName, chunk] of Object.entries(bundle)) {
    if (chunk.type === "chunk" && chunk.isEntry) {
      const { body, names } = exportList(chunk.code);
      let code = body;
      // Relative URLs of other chunks were relative to the entry's file, now to the page.
      for (const other of [...chunk.imports, ...chunk.dynamicImports]) {
        const base = other.slice(other.lastIndexOf("/") + 1);
        code = code.split(`"./${base}"`).join(`"/${other}"`);
      }
      if (chunk.imports.length) throw new Error(`the entry chunk imports ${chunk.imports.join(", ")}: it cannot be inlined`);
      if (names.length) {
        code += `globalThis.${HANDOFF}={${names.map(([local, exported]) => `${JSON.stringify(exported)}:${local}`).join(",")}};`;
        // The module later chunks import the entry's exports from.
        // The local is named after the global: minified export names (a, m, _…) never are.
        chunk.code = `const ${HANDOFF}=globalThis.${HANDOFF};export const ${names.map(([, exported]) => `${exported}=${HANDOFF}[${JSON.stringify(exported)}]`).join(",")};`;
      } else {
        delete bundle[fileName];
      }
      checkInlinable(code, fileName);
      const tag = new RegExp(`<script type="module" crossorigin src="/${fileName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"></script>`);
      if (!tag.test(html)) throw new Error(`no script tag for ${fileName} in index.html`);
      html = html.replace(tag, () => `<script type="module">${code}</script>`);
    }
  }
  for (const [fileName, asset] of Object.entries(bundle)) {
    if (asset.type !== "asset" || !fileName.endsWith(".css")) continue;
    const link = `<link rel="stylesheet" crossorigin href="/${fileName}">`;
    if (!html.includes(link)) continue; // a lazy chunk's CSS stays a file
    const css = String(asset.source);
    if (/<\/style/i.test(css)) throw new Error(`${fileName} cannot be inlined`);
    html = html.replace(link, () => `<style>${css}</style>`);
    // The file stays: lazy chunks list it among their preload dependencies (Vite's
    // __vite__mapDeps) and fail to load if it is missing. Loading it again changes nothing.
  }
  page.source = html;
}

const TEXT = /\.(html|js|mjs|css|svg|json|txt|webmanifest)$/;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

export function precompress() {
  let outDir = "dist";
  return {
    name: "parley-precompress",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir.startsWith("/") ? config.build.outDir : join(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const path of files(outDir)) {
        if (!TEXT.test(path)) continue;
        const raw = readFileSync(path);
        const gz = gzipSync(raw, { level: 9 });
        const br = brotliCompressSync(raw, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
        });
        if (gz.length < raw.length) writeFileSync(path + ".gz", gz);
        if (br.length < raw.length) writeFileSync(path + ".br", br);
      }
    },
  };
}
