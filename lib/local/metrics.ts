/**
 * LOCAL ONLY: `GET /metrics` in Prometheus text format. In AWS the handlers' Powertools metrics go to
 * CloudWatch as EMF log lines and the dashboard shows them; locally the same EMF documents are captured
 * in-process (installMetricsCapture) and kept here, next to the gateway's own request counts and
 * latencies (what API Gateway's Count and Latency metrics are in AWS) and the process's resources.
 */

/** Prometheus's default latency buckets, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

type Labels = Readonly<Record<string, string>>;

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

interface Family {
  help: string;
  type: 'counter' | 'histogram';
  series: Map<string, { labels: Labels; value: number; histogram?: Histogram }>;
}

/** The parts of an EMF document (CloudWatch embedded metric format) that Powertools writes. */
interface EmfDocument {
  _aws?: {
    CloudWatchMetrics?: Array<{
      Dimensions?: string[][];
      Metrics?: Array<{ Name: string; Unit?: string }>;
    }>;
  };
  [key: string]: unknown;
}

/** `LoginFailed` → `login_failed`; anything outside Prometheus's name alphabet becomes `_`. */
export const snakeCase = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase();

const escapeLabel = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const labelText = (labels: Labels): string => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
};

const seriesKey = (labels: Labels): string => JSON.stringify(Object.entries(labels).sort());

/** Seconds for a duration unit, or undefined for units that are not durations. */
const SECONDS_PER: Readonly<Record<string, number>> = { Seconds: 1, Milliseconds: 0.001, Microseconds: 1e-6 };

export class LocalMetrics {
  private readonly families = new Map<string, Family>();
  private readonly startedAt = Date.now();

  constructor(private readonly resources: () => Record<string, number> = () => ({})) {}

  private family(name: string, type: Family['type'], help: string): Family {
    let family = this.families.get(name);
    if (!family) {
      family = { help, type, series: new Map() };
      this.families.set(name, family);
    }
    return family;
  }

  private count(name: string, help: string, labels: Labels, value: number): void {
    const series = this.family(name, 'counter', help).series;
    const key = seriesKey(labels);
    const entry = series.get(key) ?? { labels, value: 0 };
    entry.value += value;
    series.set(key, entry);
  }

  private observe(name: string, help: string, labels: Labels, seconds: number): void {
    const series = this.family(name, 'histogram', help).series;
    const key = seriesKey(labels);
    const entry = series.get(key) ?? {
      labels,
      value: 0,
      histogram: { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 },
    };
    const histogram = entry.histogram!;
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) histogram.buckets[i]! += 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
    series.set(key, entry);
  }

  /**
   * One EMF document as Powertools prints it: every metric with its dimensions as labels. Counts become
   * counters (`mha_<name>_total`), durations histograms in seconds, anything else a counter of its sum.
   */
  recordEmf(document: EmfDocument): void {
    for (const directive of document._aws?.CloudWatchMetrics ?? []) {
      const dimensionNames = [...new Set((directive.Dimensions ?? []).flat())];
      const labels = Object.fromEntries(
        dimensionNames
          .filter((name) => typeof document[name] === 'string')
          .map((name) => [snakeCase(name), document[name] as string]),
      );
      for (const metric of directive.Metrics ?? []) {
        const raw = document[metric.Name];
        const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === 'number');
        const unit = metric.Unit ?? 'None';
        const base = `mha_${snakeCase(metric.Name)}`;
        const help = `${metric.Name} (Powertools metric, unit ${unit})`;
        const scale = SECONDS_PER[unit];
        for (const value of values) {
          if (scale !== undefined) this.observe(`${base}_seconds`, help, labels, value * scale);
          else this.count(`${base}_total`, help, labels, value);
        }
      }
    }
  }

  /** A request the local gateway answered: what API Gateway's Count and Latency metrics are in AWS. */
  recordRequest(request: { route: string; method: string; status: number; ms: number }): void {
    const labels = { route: request.route, method: request.method, status: String(request.status) };
    this.count('mha_http_requests_total', 'Requests answered by the local gateway', labels, 1);
    this.observe(
      'mha_http_request_duration_seconds',
      'Time from request to response in the local gateway (handler included)',
      { route: request.route, method: request.method },
      request.ms / 1000,
    );
  }

  /** The Prometheus text exposition (format 0.0.4) of everything recorded, then the process gauges. */
  render(): string {
    const lines: string[] = [];
    for (const [name, family] of [...this.families].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      for (const { labels, value, histogram } of family.series.values()) {
        if (!histogram) {
          lines.push(`${name}${labelText(labels)} ${value}`);
          continue;
        }
        BUCKETS.forEach((bound, i) =>
          lines.push(`${name}_bucket${labelText({ ...labels, le: String(bound) })} ${histogram.buckets[i]}`),
        );
        lines.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${histogram.count}`);
        lines.push(`${name}_sum${labelText(labels)} ${histogram.sum}`);
        lines.push(`${name}_count${labelText(labels)} ${histogram.count}`);
      }
    }
    const gauges: Record<string, [help: string, value: number]> = {
      process_start_time_seconds: ['Start of the local runtime, Unix time', this.startedAt / 1000],
      process_resident_memory_bytes: ['Resident memory of the local runtime', process.memoryUsage().rss],
      nodejs_heap_used_bytes: ['V8 heap in use', process.memoryUsage().heapUsed],
    };
    for (const [name, value] of Object.entries(this.resources())) gauges[name] = [name, value];
    for (const [name, [help, value]] of Object.entries(gauges))
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
    return `${lines.join('\n')}\n`;
  }
}

/** What the local runtime needs of a Powertools Metrics instance. */
interface CapturedMetrics {
  console: { log: (line: string) => void };
  singleMetric: () => CapturedMetrics;
}

/**
 * Points the handlers' Powertools Metrics instance at `metrics` instead of stdout: Powertools writes
 * each EMF document with `console.log` of its own Console, which the local runtime replaces. A
 * `singleMetric()` (a metric with its own dimensions, such as AnalysesStored by analysis type or the
 * cold start) is a new instance with a Console of its own, so each one is pointed there too.
 */
export const installMetricsCapture = (powertools: CapturedMetrics, metrics: LocalMetrics): void => {
  const capture = {
    log: (line: string) => {
      try {
        metrics.recordEmf(JSON.parse(line) as EmfDocument);
      } catch {
        // not an EMF document: nothing to count
      }
    },
  };
  powertools.console = capture;
  const singleMetric = powertools.singleMetric.bind(powertools);
  powertools.singleMetric = () => {
    const single = singleMetric();
    single.console = capture;
    return single;
  };
};
