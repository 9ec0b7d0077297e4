import { bundleFunctions } from '../lib/build/function-bundles.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const pass = bundleFunctions(['bench/fixtures/floor.ts'], { buildDir: mkdtempSync(join(tmpdir(), 'floor-')) });
const fm = JSON.parse(readFileSync(pass.metafilePath, 'utf8'));
const mm = JSON.parse(readFileSync('.build/functions/metafile.json', 'utf8'));
const get = (m: any, e: string) => Object.values(m.outputs).find((o: any) => o.entryPoint === e && o.bytes > 1000) as any;
const f = get(fm, 'bench/fixtures/floor.ts'), r = get(mm, process.argv[2]!);
console.log('floor', f.bytes, 'route', r.bytes);
const norm = (i: string) => i.replace(/^.*node_modules\//, 'nm/');
const fi = new Map(Object.entries(f.inputs).map(([i, v]: any) => [norm(i), v.bytesInOutput]));
const rows = Object.entries(r.inputs).map(([i, v]: any) => [norm(i), v.bytesInOutput - (fi.get(norm(i)) ?? 0)] as [string, number]).filter((x) => Math.abs(x[1]) > 100).sort((a, b) => b[1] - a[1]);
let sum = 0; for (const [i, d] of rows) { sum += d; console.log(String(d).padStart(7), i); }
console.log('sum', sum);
