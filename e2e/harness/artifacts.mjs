// Hardhat artifacts of Aave V3 (core v3.0.2 = @aave/core-v3@1.19.3, periphery 3.0.1), read
// straight from node_modules. They are BUSL-licensed: used at test time, never committed.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const ROOTS = ["@aave/core-v3", "@aave/periphery-v3"].map((pkg) =>
  path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "artifacts", "contracts"),
);

let index;
function buildIndex() {
  index = new Map();
  const walk = (dir) => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith(".json") && !f.endsWith(".dbg.json")) {
        const name = f.slice(0, -".json".length);
        // Core is indexed first and wins over periphery's copies of shared helpers.
        if (!index.has(name)) index.set(name, p);
      }
    }
  };
  ROOTS.forEach(walk);
}

/** @returns {{contractName: string, abi: any[], bytecode: string, linkReferences: object}} */
export function loadArtifact(name) {
  if (!index) buildIndex();
  const p = index.get(name);
  if (!p) throw new Error(`no Aave artifact named ${name}`);
  return JSON.parse(readFileSync(p, "utf8"));
}

/**
 * Replace the `__$…$__` placeholders of linked libraries with their addresses, using the
 * artifact's linkReferences (byte offsets into the creation code).
 * @param {object} artifact
 * @param {Record<string, string>} libraries library name -> deployed address
 */
export function linkBytecode(artifact, libraries) {
  let code = artifact.bytecode.slice(2);
  for (const [file, libs] of Object.entries(artifact.linkReferences ?? {})) {
    for (const [lib, refs] of Object.entries(libs)) {
      const addr = libraries[lib];
      if (!addr) throw new Error(`${artifact.contractName} needs library ${lib} (${file})`);
      const hex = addr.toLowerCase().replace(/^0x/, "");
      for (const { start, length } of refs) {
        code = code.slice(0, start * 2) + hex + code.slice((start + length) * 2);
      }
    }
  }
  if (code.includes("__$")) throw new Error(`${artifact.contractName}: unlinked placeholder left`);
  return `0x${code}`;
}
