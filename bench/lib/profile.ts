/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by package / area and the
 * hottest functions. Busy time excludes `(idle)`; percentages are of busy time.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A time window in µs of the monotonic clock (`process.hrtime`), which V8's profiler uses too. */
export interface Window {
  start: number;
  end: number;
}

/** Now on the monotonic clock, in µs (comparable with .cpuprofile sample times). */
export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return url.includes('internal/deps/undici') ? 'undici' : 'node internals';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = url.indexOf('/src/');
  if (src >= 0)
    return `gateway ${url
      .slice(src + 1)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  return url.replace(/^file:\/\//, '');
}

/** `windows`: only samples inside them count (e.g. the measured runs, not the start-up). */
export function summariseProfile(file: string, windows: Window[] = [], top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (windows.length && !windows.some((w) => t >= w.start && t <= w.end)) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let busy = 0;
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${area}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const scope = windows.length ? `in ${windows.length} measured runs` : 'in the whole profile';
  const lines = [`busy main-thread CPU ${scope}: ${(busy / 1e6).toFixed(1)} s`, '', 'self time by area:'];
  for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 20))
    lines.push(`  ${pct(us)}  ${area}`);
  lines.push('', `top ${top} functions by self time:`);
  for (const [fn, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`  ${pct(us)}  ${fn}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${summariseProfile(process.argv[2]!)}\n`);
}
