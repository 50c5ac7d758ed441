// The first module `npm start` and the CLI load. Plain JavaScript that imports nothing, so that it runs
// on any Node.js: an older one gets one clear line here instead of a crash in a native module later.
// 22.18 is the first Node.js 22 that runs TypeScript sources by itself (type stripping on by default).
export const REQUIRED_NODE = '22.18.0';

/** True when `version` (e.g. "22.18.0") is at least REQUIRED_NODE. */
export function nodeVersionSupported(version) {
  const have = version.split('.').map(Number);
  const need = REQUIRED_NODE.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    if ((have[i] || 0) !== need[i]) return (have[i] || 0) > need[i];
  }
  return true;
}

/** Stops the process with one line naming the version needed and how to get it. */
export function requireSupportedNode(version = process.versions.node) {
  if (nodeVersionSupported(version)) return;
  console.error(
    `portvagt: Node.js ${REQUIRED_NODE} or newer is needed (this is ${version}); ` +
      'install Node.js 24 LTS from https://nodejs.org/ or with a version manager (e.g. `nvm install 24`).',
  );
  process.exit(1);
}
