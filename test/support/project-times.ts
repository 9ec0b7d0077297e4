import type { Reporter, TestModule } from 'vitest/node';

interface ProjectTimes {
  files: number;
  tests: number;
  failed: number;
  /** When its first file started and its last file ended (ms since the run started). */
  firstStart: number;
  lastEnd: number;
  /** Worker time: setting up, importing (synthesis and the like happen there) and running each file. */
  busy: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Prints, after the default reporter, how long each vitest project took: `npm test` runs the projects
 * side by side in one pool, so each gets the span from the run's start to its last file's end (when it
 * was done) and its worker time (what its files cost, summed over workers). The slowest project is the
 * one to look at when the suite gets slow.
 */
export default class ProjectTimesReporter implements Reporter {
  private runStart = performance.now();
  private readonly projects = new Map<string, ProjectTimes>();

  onTestRunStart(): void {
    this.runStart = performance.now();
    this.projects.clear();
  }

  private of(module: TestModule): ProjectTimes {
    const name = module.project.name || 'default';
    let times = this.projects.get(name);
    if (!times) {
      times = { files: 0, tests: 0, failed: 0, firstStart: Infinity, lastEnd: 0, busy: 0 };
      this.projects.set(name, times);
    }
    return times;
  }

  onTestModuleStart(module: TestModule): void {
    const times = this.of(module);
    times.firstStart = Math.min(times.firstStart, performance.now() - this.runStart);
  }

  onTestModuleEnd(module: TestModule): void {
    const times = this.of(module);
    const diagnostic = module.diagnostic();
    times.files += 1;
    times.lastEnd = Math.max(times.lastEnd, performance.now() - this.runStart);
    times.busy +=
      diagnostic.environmentSetupDuration +
      diagnostic.prepareDuration +
      diagnostic.collectDuration +
      diagnostic.setupDuration +
      diagnostic.duration;
    for (const test of module.children.allTests()) {
      times.tests += 1;
      if (test.result().state === 'failed') times.failed += 1;
    }
  }

  onTestRunEnd(): void {
    if (this.projects.size === 0) return;
    const rows = [...this.projects].sort((a, b) => b[1].lastEnd - a[1].lastEnd);
    const width = Math.max(...rows.map(([name]) => name.length));
    const lines = rows.map(
      ([name, t]) =>
        `  ${name.padEnd(width)}  done after ${seconds(t.lastEnd).padStart(8)}  worker time ${seconds(t.busy).padStart(8)}  ${t.files} files, ${t.tests} tests${t.failed ? `, ${t.failed} failed` : ''}`,
    );
    process.stdout.write(
      `\nTime per vitest project (they run side by side; "done after" counts from the start of the run):\n${lines.join('\n')}\n`,
    );
  }
}
