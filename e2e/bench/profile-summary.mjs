// The summary both profilers print (bench/profile-slider.mjs, bench/profile-load.mjs): self and
// total time per function name of a CDP `Profiler` profile.

/**
 * Self and total (self + descendants, counted once per stack) milliseconds per function name, as
 * printable lines, the largest first.
 * @param {object} profile a CDP Profiler.Profile
 * @param {{top?: number, root?: string, grep?: string}} options top: lines per list; root: only
 *   samples under a function whose name contains it; grep: only names containing it
 * @returns {{self: string[], total: string[]}}
 */
export function summariseProfile(profile, { top = 40, root, grep } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => n.callFrame.functionName || `(anonymous ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber})`;
  const stack = (id) => {
    const names = [];
    for (let at = id; at !== undefined; at = parent.get(at)) names.push(name(byId.get(at)));
    return names;
  };
  const self = new Map();
  const total = new Map();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const names = stack(id);
    if (root && !names.some((n) => n.includes(root))) return;
    self.set(names[0], (self.get(names[0]) ?? 0) + ms);
    for (const n of new Set(names)) total.set(n, (total.get(n) ?? 0) + ms);
  });
  const lines = (m) =>
    [...m.entries()]
      .filter(([n]) => !grep || n.includes(grep))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([n, ms]) => `${ms.toFixed(1).padStart(9)} ms  ${n.slice(0, 150)}`);
  return { self: lines(self), total: lines(total) };
}
