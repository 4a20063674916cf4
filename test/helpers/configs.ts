/**
 * refinery.yml for tests that build in the local s390x image (scripts/setup-s390x-env.sh): a lock
 * file, Python 3.11 on plain linux, one loopback index, and a preset of that image with no hints
 * (the builds need nothing from apt), followed by the test's own lines.
 */
export function localImageConfig(o: { indexUrl: string; preset: string; lines: readonly string[] }): string {
  return [
    'requirements:',
    '  - lock: lock.txt',
    'targets:',
    '  python: ["3.11"]',
    '  platform: linux',
    `indexes:\n  primary: ${o.indexUrl}`,
    `preset: ${o.preset}`,
    'presets:',
    `  ${o.preset}:`,
    '    image: refinery/debian-s390x:bookworm',
    '    packageManager: apt',
    '    platform: linux',
    '    python: { "3.11": /usr/bin/python3 }',
    ...o.lines,
    '',
  ].join('\n');
}
