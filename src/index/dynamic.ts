/**
 * Whether an sdist's PKG-INFO can stand in for the metadata a build would produce. Since
 * Metadata 2.2 (PEP 643) a field not listed as Dynamic is final, so Requires-Dist is trustworthy
 * unless declared dynamic; older PKG-INFO files promise nothing.
 */
export function sdistMetadataIsDynamic(text: string): boolean {
  const headers = headerBlock(text);
  const version = headers.find((h) => h.name === 'metadata-version')?.value ?? '';
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (!(major > 2 || (major === 2 && minor >= 2))) return true;
  return headers.some((h) => h.name === 'dynamic' && h.value.toLowerCase() === 'requires-dist');
}

// TODO: replace with parseCoreMetadata (src/python/metadata.ts) once it lands; this reads only
// the two header fields needed above.
function headerBlock(text: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (m) out.push({ name: m[1]!.toLowerCase(), value: m[2]!.trim() });
  }
  return out;
}
