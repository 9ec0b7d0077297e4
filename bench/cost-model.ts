/**
 * The cost model: what a month of the service costs per 1,000 employees, for each stage's configuration,
 * at 1,000 / 100,000 / 1,000,000 employees. A stated workload per employee (WORKLOAD) is multiplied out
 * from figures measured in the same benchmark run — DynamoDB read/write units and handler durations per
 * route (the cost meter of the local runtime), per analysis of a batch (the ingest benchmark), per
 * source item of the stream aggregator (the analytics benchmark), module init per function (the bundle
 * benchmark), what each stage deploys (the build benchmark's synthesis) — at the list prices of PRICES.
 * Everything the model assumes beyond the measurements is named in ASSUMPTIONS. See docs/cost-model.md.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { ANALYSIS_TYPES } from '../shared/contract/analysis.ts';
import { RISK_REASONS } from '../shared/contract/risk-alert.ts';
import { INSTRUMENT_IDS } from '../shared/contract/survey.ts';
import { INSTRUMENTS } from '../shared/domain/instruments/index.ts';
import { ACCESS_LOG_FIELDS } from '../lib/constructs/api.ts';
import type { AggregatorCost } from './analytics.ts';
import type { StageFacts } from './build.ts';
import type { RouteCost } from './dynamodb-cost.ts';

/**
 * List prices, us-east-1, as known on the date below. Sources: the AWS pricing pages of Lambda, API
 * Gateway, DynamoDB, EventBridge (Pipes), CloudWatch, X-Ray, WAF, KMS, Secrets Manager and Cognito.
 * Written from memory without network access: check every figure against the pricing pages before
 * quoting a number from this model.
 */
export const PRICES = {
  asOf: '2026-12-04',
  region: 'us-east-1',
  sources:
    'aws.amazon.com/{lambda,api-gateway,dynamodb,eventbridge,cloudwatch,xray,waf,kms,secrets-manager,cognito}/pricing',
  lambda: {
    perMillionRequests: 0.2,
    /** arm64, per GB-second, by monthly tier (the first 7.5 billion, the next 11.25 billion, above). */
    arm64GbSecondTiers: [
      { upTo: 7.5e9, price: 0.0000133334 },
      { upTo: 18.75e9, price: 0.0000120001 },
      { upTo: Infinity, price: 0.0000106667 },
    ],
  },
  apiGateway: {
    /** REST API requests, per million, by monthly tier. */
    restPerMillionTiers: [
      { upTo: 333e6, price: 3.5 },
      { upTo: 1e9, price: 2.8 },
      { upTo: 20e9, price: 2.38 },
      { upTo: Infinity, price: 1.51 },
    ],
  },
  dynamodb: {
    /** On-demand. */
    perMillionWriteUnits: 0.625,
    perMillionReadUnits: 0.125,
    storagePerGbMonth: 0.25,
    pitrPerGbMonth: 0.2,
    /** GetRecords by consumers other than Lambda triggers (the pipe), per 100,000 calls. */
    streamReadsPer100k: 0.02,
  },
  eventBridge: { customEventsPerMillion: 1.0, pipesPerMillionRequests: 0.4 },
  cloudWatch: {
    logsIngestionPerGb: 0.5,
    logsStoragePerGbMonth: 0.03,
    customMetricPerMonth: 0.3,
    alarmPerMonth: 0.1,
    dashboardPerMonth: 3.0,
  },
  xray: { tracesPerMillion: 5.0, freeTracesPerMonth: 100_000 },
  waf: { webAclPerMonth: 5.0, rulePerMonth: 1.0, perMillionRequests: 0.6 },
  kms: { keyPerMonth: 1.0 },
  secretsManager: { secretPerMonth: 0.4 },
  cognito: {
    /** Per monthly active user beyond the free users, by feature plan. */
    plans: {
      LITE: { freeMau: 10_000, perMau: 0.0055 },
      ESSENTIALS: { freeMau: 10_000, perMau: 0.015 },
      PLUS: { freeMau: 0, perMau: 0.02 },
    } as Record<string, { freeMau: number; perMau: number }>,
    /** Client-credentials (machine-to-machine): per app client and per token request. */
    m2mAppClientPerMonth: 6.0,
    m2mPerThousandTokens: 2.25,
  },
} as const;

/** What the model assumes where nothing was measured; each is stated in the benchmark page. */
export const ASSUMPTIONS = {
  workdaysPerMonth: 21,
  /** The hours of the working day the traffic falls in (for arrival rates and trace sampling). */
  activeHoursPerDay: 10,
  /** How long Lambda keeps an idle execution environment (not published by AWS; a common observation). */
  warmMinutes: 7,
  /** Runtime start-up billed with a cold start besides the measured module init. */
  runtimeInitMs: 100,
  /** Stream records per aggregator invocation (batching window 1 s, batch size 100). */
  recordsPerAggregatorInvocation: 10,
  /** Months of data kept in the table at steady state (audit records stay six years; raw text 30 days). */
  storedMonths: 12,
  /** Bytes stored per write unit of a transactional write (2 units per KB written). */
  bytesPerTransactionalWriteUnit: 512,
  /** Shards of the table stream the pipe polls, and how often it polls each. */
  streamShards: 2,
  pipePollsPerShardPerSecond: 4,
  /** Shares that raise a risk alert. */
  alertsPerAnalysis: 0.002,
  alertsPerSurvey: 0.02,
  /** One uptime check of GET /health per minute per stage. */
  healthChecksPerMonth: 43_200,
  /** Token requests of each pipeline client (a token lasts an hour). */
  machineTokensPerMonth: 720,
  /** The Lambda platform's START, END and REPORT lines of one invocation. */
  platformLogBytes: 320,
} as const;

/** Calls of a route per employee per month, and why. */
export interface WorkloadEntry {
  readonly route: string;
  readonly perEmployeeMonth: number;
  readonly why: string;
}

const workdays = ASSUMPTIONS.workdaysPerMonth;

/** Analyses per employee per month, by type, delivered by the pipelines in batches of 100. */
export const ANALYSES_PER_EMPLOYEE_MONTH = { chat: 3 * workdays, speech: workdays, video: workdays } as const;
const analysesPerMonth = Object.values(ANALYSES_PER_EMPLOYEE_MONTH).reduce((a, b) => a + b, 0);
/** WHO-5 weekly, PHQ-9, GAD-7 and CBI monthly, PSS-10 quarterly. */
const surveysPerMonth = 52 / 12 + 1 + 1 + 1 + 1 / 3;
const emoSessionsPerMonth = 4;
const alertsPerMonth =
  analysesPerMonth * ASSUMPTIONS.alertsPerAnalysis + surveysPerMonth * ASSUMPTIONS.alertsPerSurvey;

/** The workload of one employee in one month (managers and clinicians are shares of the employees). */
export const WORKLOAD: readonly WorkloadEntry[] = [
  { route: 'auth.login', perEmployeeMonth: 8, why: 'signs in about twice a week' },
  { route: 'auth.refresh', perEmployeeMonth: 40, why: 'the web app refreshes its hour-long token' },
  { route: 'auth.me', perEmployeeMonth: workdays, why: 'once per working day' },
  { route: 'auth.logout', perEmployeeMonth: 2, why: '' },
  { route: 'users.get', perEmployeeMonth: 2, why: 'own profile' },
  { route: 'privacy.accessLog', perEmployeeMonth: 0.5, why: '' },
  { route: 'privacy.getConsents', perEmployeeMonth: 1, why: '' },
  { route: 'privacy.updateConsents', perEmployeeMonth: 0.1, why: '' },
  { route: 'users.update', perEmployeeMonth: 0.1, why: '' },
  { route: 'privacy.export', perEmployeeMonth: 0.01, why: 'one export per employee every eight years' },
  {
    route: 'analyses.storeBatch',
    perEmployeeMonth: analysesPerMonth / 100,
    why: `${analysesPerMonth} analyses (chat 3, speech 1, video 1 per working day) in batches of 100`,
  },
  { route: 'analyses.listChat', perEmployeeMonth: 1, why: '' },
  { route: 'analyses.listSpeech', perEmployeeMonth: 0.5, why: '' },
  { route: 'analyses.listVideo', perEmployeeMonth: 0.5, why: '' },
  {
    route: 'surveys.submit',
    perEmployeeMonth: surveysPerMonth,
    why: 'WHO-5 weekly; PHQ-9, GAD-7, CBI monthly; PSS-10 quarterly',
  },
  { route: 'surveys.instruments', perEmployeeMonth: 2, why: '' },
  { route: 'surveys.listByUser', perEmployeeMonth: 2, why: '' },
  { route: 'surveys.burnoutTrend', perEmployeeMonth: 2, why: '' },
  { route: 'emo-buddy.startSession', perEmployeeMonth: emoSessionsPerMonth, why: '4 sessions a month' },
  { route: 'emo-buddy.postMessage', perEmployeeMonth: emoSessionsPerMonth * 8, why: '8 messages each' },
  { route: 'emo-buddy.endSession', perEmployeeMonth: emoSessionsPerMonth, why: '' },
  { route: 'emo-buddy.listMessages', perEmployeeMonth: emoSessionsPerMonth, why: '' },
  { route: 'emo-buddy.listSessions', perEmployeeMonth: 2, why: '' },
  { route: 'analytics.userSummary', perEmployeeMonth: 4, why: 'own summary weekly' },
  { route: 'analytics.overview', perEmployeeMonth: 0.8, why: 'a manager per 10 employees, 8 views a month' },
  { route: 'alerts.list', perEmployeeMonth: workdays / 1000, why: 'a clinician per 1,000 employees, daily' },
  { route: 'alerts.update', perEmployeeMonth: 2 * alertsPerMonth, why: 'acknowledge and resolve each alert' },
];

/** Source items the stream aggregator rolls up per employee per month: analyses, responses, sessions. */
const aggregatedPerEmployeeMonth = analysesPerMonth + surveysPerMonth + emoSessionsPerMonth;

/** Custom metric series each stage publishes: every business metric with its dimension values, and ColdStart per API function. */
export const customMetricSeries = (apiFunctions: number): number => {
  const bands = Object.values(INSTRUMENTS).reduce((sum, instrument) => sum + instrument.bands.length, 0);
  const perDimension = RISK_REASONS.length + ANALYSIS_TYPES.length + INSTRUMENT_IDS.length + bands;
  // Metrics recorded without a dimension of their own (login outcomes, EmoBuddy counts, batch sizes, …).
  const undimensioned = 15;
  return perDimension + undimensioned + apiFunctions;
};

/** Bytes of one EMF line as Powertools Metrics prints it for a request that recorded one metric. */
export const measureEmfLineBytes = (): number => {
  const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const metrics = new Metrics({
    namespace: 'MentalHealthAnalytics',
    serviceName: 'mha-api',
    defaultDimensions: { stage: 'prod' },
  });
  let bytes = 0;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return true;
  }) as typeof process.stdout.write;
  try {
    metrics.addMetric('SurveyResponses', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  } finally {
    process.stdout.write = write;
    if (disabled === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = disabled;
  }
  if (bytes === 0) throw new Error('Powertools Metrics printed no EMF line');
  return bytes;
};

/** Bytes of one API Gateway access log line in the stage's format, with values of typical length. */
export const accessLogLineBytes = (): number => {
  const sample: Record<string, string> = {
    requestId: '8d9b6f3c-2a1e-4c7b-9f0e-1a2b3c4d5e6f',
    extendedRequestId: 'Xk3JtHcTIAMFZ1w=',
    requestTime: '04/Dec/2026:10:15:30 +0000',
    ip: '203.0.113.42',
    caller: '-',
    sub: '6f1c2d3e-4b5a-4978-8c6d-5e4f3a2b1c0d',
    clientId: '-',
    method: 'POST',
    resourcePath: '/emo-buddy/sessions/{session_uuid}/messages',
    path: '/prod/emo-buddy/sessions/6f1c2d3e-4b5a-4978-8c6d-5e4f3a2b1c0d/messages',
    protocol: 'HTTP/1.1',
    status: '201',
    responseLength: '412',
    latency: '48',
    integrationLatency: '41',
    integrationStatus: '200',
    integrationError: '-',
    errorType: '-',
    errorMessage: '-',
  };
  const line = Object.fromEntries(Object.keys(ACCESS_LOG_FIELDS).map((key) => [key, sample[key] ?? '-']));
  return Buffer.byteLength(JSON.stringify(line)) + 1;
};

export interface CostInputs {
  readonly routes: readonly RouteCost[];
  readonly ingest: {
    readonly perAnalysis: { readonly readUnits: number; readonly writeUnits: number };
    readonly batchHandlerMsMedian: number;
  };
  readonly aggregator: AggregatorCost;
  /** Module init per route (ms), from the bundle benchmark; routes without one get the median. */
  readonly initMs: Readonly<Record<string, number>>;
  readonly stages: readonly StageFacts[];
  readonly emfLineBytes: number;
  readonly accessLogLineBytes: number;
}

export const COMPONENTS = [
  'Lambda',
  'API Gateway',
  'DynamoDB',
  'Streams, pipe, events',
  'CloudWatch',
  'X-Ray',
  'WAF',
  'Keys and secrets',
] as const;
export type Component = (typeof COMPONENTS)[number];

export interface StageCost {
  stage: string;
  employees: number;
  /** Dollars per month, by component, and the identity (Cognito) beside them. */
  monthly: Record<Component, number>;
  identity: number;
  total: number;
  /** Per 1,000 employees per month. */
  perThousand: Record<Component, number>;
  identityPerThousand: number;
  totalPerThousand: number;
}

const tiered = (quantity: number, tiers: readonly { upTo: number; price: number }[], unit = 1): number => {
  let cost = 0;
  let below = 0;
  for (const tier of tiers) {
    const inTier = Math.max(0, Math.min(quantity, tier.upTo) - below);
    cost += (inTier / unit) * tier.price;
    below = tier.upTo;
    if (quantity <= tier.upTo) break;
  }
  return cost;
};

/** What one employee-month of the workload costs in units, before prices and stage settings. */
const usagePerEmployee = (inputs: CostInputs) => {
  const byRoute = new Map(inputs.routes.map((route) => [route.route, route]));
  const initValues = Object.values(inputs.initMs).sort((a, b) => a - b);
  const medianInit = initValues[Math.floor(initValues.length / 2)] ?? 150;
  const calls = WORKLOAD.map((entry) => {
    const measured = byRoute.get(entry.route);
    const batch = entry.route === 'analyses.storeBatch';
    return {
      ...entry,
      readUnits: batch ? inputs.ingest.perAnalysis.readUnits * 100 : (measured?.maxReadUnits ?? 0),
      writeUnits: batch ? inputs.ingest.perAnalysis.writeUnits * 100 : (measured?.maxWriteUnits ?? 0),
      ms: batch ? inputs.ingest.batchHandlerMsMedian : (measured?.medianMs ?? 0),
      initMs: (inputs.initMs[entry.route] ?? medianInit) + ASSUMPTIONS.runtimeInitMs,
      // Writes record business metrics: one EMF line each.
      emf: measured?.data === 'read-write' || batch,
    };
  });
  const requests = calls.reduce((sum, c) => sum + c.perEmployeeMonth, 0);
  return {
    calls,
    requests,
    readUnits:
      calls.reduce((sum, c) => sum + c.perEmployeeMonth * c.readUnits, 0) +
      aggregatedPerEmployeeMonth * inputs.aggregator.readUnitsPerRecord,
    writeUnits:
      calls.reduce((sum, c) => sum + c.perEmployeeMonth * c.writeUnits, 0) +
      aggregatedPerEmployeeMonth * inputs.aggregator.writeUnitsPerRecord,
    /** Table growth: what the routes write (rollups are updated in place). */
    storedBytes:
      calls.reduce((sum, c) => sum + c.perEmployeeMonth * c.writeUnits, 0) *
      ASSUMPTIONS.bytesPerTransactionalWriteUnit,
    aggregatorMs: aggregatedPerEmployeeMonth * inputs.aggregator.msPerRecord,
    aggregatorInvocations: aggregatedPerEmployeeMonth / ASSUMPTIONS.recordsPerAggregatorInvocation,
    logBytes: calls.reduce(
      (sum, c) =>
        sum +
        c.perEmployeeMonth *
          (ASSUMPTIONS.platformLogBytes + inputs.accessLogLineBytes + (c.emf ? inputs.emfLineBytes : 0)),
      0,
    ),
  };
};

/** The monthly cost of `employees` employees in one stage's configuration. */
export const stageCost = (inputs: CostInputs, facts: StageFacts, employees: number): StageCost => {
  const usage = usagePerEmployee(inputs);
  const activeSeconds = ASSUMPTIONS.workdaysPerMonth * ASSUMPTIONS.activeHoursPerDay * 3600;
  const gb = facts.memoryMb / 1024;
  const billedMs = (ms: number) => Math.max(1, Math.ceil(ms));

  // Lambda: invocations, handler time, and cold starts (the INIT phase is billed): a function idle for
  // longer than the warm window starts cold; with Poisson arrivals that is a share exp(-rate × window).
  let gbSeconds = 0;
  for (const call of usage.calls) {
    const monthly = call.perEmployeeMonth * employees;
    const rate = monthly / activeSeconds;
    const coldShare = Math.exp(-rate * ASSUMPTIONS.warmMinutes * 60);
    gbSeconds += (monthly * (billedMs(call.ms) + coldShare * call.initMs) * gb) / 1000;
  }
  gbSeconds += (usage.aggregatorMs * employees * gb) / 1000;
  const healthChecks = ASSUMPTIONS.healthChecksPerMonth;
  const apiRequests = usage.requests * employees + healthChecks;
  const invocations = apiRequests + usage.aggregatorInvocations * employees;
  const lambda =
    (invocations / 1e6) * PRICES.lambda.perMillionRequests +
    tiered(gbSeconds, PRICES.lambda.arm64GbSecondTiers);

  const apiGateway = tiered(apiRequests, PRICES.apiGateway.restPerMillionTiers, 1e6);

  const storedGb = (usage.storedBytes * employees * ASSUMPTIONS.storedMonths) / 1e9;
  const dynamodb =
    ((usage.readUnits * employees) / 1e6) * PRICES.dynamodb.perMillionReadUnits +
    ((usage.writeUnits * employees) / 1e6) * PRICES.dynamodb.perMillionWriteUnits +
    storedGb *
      (PRICES.dynamodb.storagePerGbMonth + (facts.pointInTimeRecovery ? PRICES.dynamodb.pitrPerGbMonth : 0));

  const alerts = alertsPerMonth * employees;
  const pipePolls =
    facts.pipes * ASSUMPTIONS.streamShards * ASSUMPTIONS.pipePollsPerShardPerSecond * 30 * 86_400;
  const streams =
    (pipePolls / 1e5) * PRICES.dynamodb.streamReadsPer100k +
    (alerts / 1e6) * (PRICES.eventBridge.customEventsPerMillion + PRICES.eventBridge.pipesPerMillionRequests);

  const logGb = (usage.logBytes * employees + usage.aggregatorInvocations * employees * 320) / 1e9;
  const storedLogMonths = Math.min(facts.logRetentionDays / 30, 12);
  const cloudWatch =
    logGb * PRICES.cloudWatch.logsIngestionPerGb +
    logGb * storedLogMonths * PRICES.cloudWatch.logsStoragePerGbMonth +
    customMetricSeries(facts.functions - 5) * PRICES.cloudWatch.customMetricPerMonth +
    facts.alarms * PRICES.cloudWatch.alarmPerMonth +
    facts.dashboards * PRICES.cloudWatch.dashboardPerMonth;

  // X-Ray's default sampling: the first request each second, then 5 % of the rest.
  const reservoir = Math.min(apiRequests, activeSeconds);
  const traced = reservoir + 0.05 * (apiRequests - reservoir);
  const xray = facts.tracing
    ? (Math.max(0, traced - PRICES.xray.freeTracesPerMonth) / 1e6) * PRICES.xray.tracesPerMillion
    : 0;

  const waf =
    facts.webAclRules > 0
      ? PRICES.waf.webAclPerMonth +
        facts.webAclRules * PRICES.waf.rulePerMonth +
        (apiRequests / 1e6) * PRICES.waf.perMillionRequests
      : 0;

  const keys = facts.kmsKeys * PRICES.kms.keyPerMonth + facts.secrets * PRICES.secretsManager.secretPerMonth;

  const plan = PRICES.cognito.plans[facts.featurePlan] ?? PRICES.cognito.plans.ESSENTIALS!;
  const identity =
    Math.max(0, employees - plan.freeMau) * plan.perMau +
    facts.machineClients *
      (PRICES.cognito.m2mAppClientPerMonth +
        (ASSUMPTIONS.machineTokensPerMonth / 1000) * PRICES.cognito.m2mPerThousandTokens);

  const monthly: Record<Component, number> = {
    Lambda: lambda,
    'API Gateway': apiGateway,
    DynamoDB: dynamodb,
    'Streams, pipe, events': streams,
    CloudWatch: cloudWatch,
    'X-Ray': xray,
    WAF: waf,
    'Keys and secrets': keys,
  };
  const total = Object.values(monthly).reduce((a, b) => a + b, 0);
  const perThousand = (dollars: number) => dollars / (employees / 1000);
  return {
    stage: facts.stage,
    employees,
    monthly,
    identity,
    total,
    perThousand: Object.fromEntries(
      Object.entries(monthly).map(([component, dollars]) => [component, perThousand(dollars)]),
    ) as Record<Component, number>,
    identityPerThousand: perThousand(identity),
    totalPerThousand: perThousand(total),
  };
};

export const SCALES = [1_000, 100_000, 1_000_000] as const;
export const GOAL_PER_THOUSAND = 5;

export interface CostModelResult {
  prices: typeof PRICES;
  assumptions: typeof ASSUMPTIONS;
  workload: readonly WorkloadEntry[];
  perEmployeeMonth: { requests: number; readUnits: number; writeUnits: number; logBytes: number };
  measured: Omit<CostInputs, 'routes' | 'stages' | 'initMs'>;
  costs: StageCost[];
}

export const costModel = (inputs: CostInputs): CostModelResult => {
  const usage = usagePerEmployee(inputs);
  return {
    prices: PRICES,
    assumptions: ASSUMPTIONS,
    workload: WORKLOAD,
    perEmployeeMonth: {
      requests: usage.requests,
      readUnits: usage.readUnits,
      writeUnits: usage.writeUnits,
      logBytes: usage.logBytes,
    },
    measured: {
      ingest: inputs.ingest,
      aggregator: inputs.aggregator,
      emfLineBytes: inputs.emfLineBytes,
      accessLogLineBytes: inputs.accessLogLineBytes,
    },
    // The local stage is the local runtime (and LocalStack), never billed by AWS.
    costs: inputs.stages
      .filter((facts) => facts.stage !== 'local')
      .flatMap((facts) => SCALES.map((employees) => stageCost(inputs, facts, employees))),
  };
};

const dollars = (value: number) =>
  value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3);

/** The markdown of the cost section: per stage, each component per 1,000 employees at each scale. */
export const costModelMarkdown = (result: CostModelResult): { summary: string; markdown: string } => {
  const stages = [...new Set(result.costs.map((c) => c.stage))];
  const at = (stage: string, employees: number) =>
    result.costs.find((c) => c.stage === stage && c.employees === employees)!;
  const tables = stages.map((stage) => {
    const rows = COMPONENTS.map(
      (component) =>
        `| ${component} | ${SCALES.map((n) => dollars(at(stage, n).perThousand[component])).join(' | ')} |`,
    );
    return `### ${stage}

| $ per 1,000 employees per month | ${SCALES.map((n) => `${n.toLocaleString('en-US')} employees`).join(' | ')} |
|---|${SCALES.map(() => '---:').join('|')}|
${rows.join('\n')}
| **total without identity** | ${SCALES.map((n) => `**${dollars(at(stage, n).totalPerThousand)}**`).join(' | ')} |
| identity (Cognito, beside) | ${SCALES.map((n) => dollars(at(stage, n).identityPerThousand)).join(' | ')} |
| whole month, all employees ($) | ${SCALES.map((n) => dollars(at(stage, n).total + at(stage, n).identity)).join(' | ')} |
`;
  });
  const prod = (n: number) => at('prod', n);
  const largest = (n: number) =>
    COMPONENTS.map((c) => [c, prod(n).perThousand[c]] as const).sort((a, b) => b[1] - a[1])[0]!;
  const meets = SCALES.filter((n) => prod(n).totalPerThousand <= GOAL_PER_THOUSAND);
  const p = result.perEmployeeMonth;
  return {
    summary: `cost (prod): $${dollars(prod(1_000).totalPerThousand)} / $${dollars(prod(100_000).totalPerThousand)} / $${dollars(prod(1_000_000).totalPerThousand)} per 1,000 employees per month at 1k / 100k / 1M employees without identity (goal ≤ $${GOAL_PER_THOUSAND}), identity $${dollars(prod(100_000).identityPerThousand)} beside at 100k`,
    markdown: `## Cost model

Dollars per month for a stated workload, multiplied out from the figures measured in this run, at list
prices of ${result.prices.region} as of ${result.prices.asOf} (written without network access from the AWS
pricing pages: check them before quoting). The workload, prices and assumptions are in
[docs/cost-model.md](../cost-model.md) and in results.json (\`costModel\`).

Per employee per month: ${p.requests.toFixed(0)} API requests, ${p.readUnits.toFixed(0)} DynamoDB read units and
${p.writeUnits.toFixed(0)} write units (rollups included), ${(p.logBytes / 1024).toFixed(0)} KB of logs. Measured here:
${result.measured.ingest.perAnalysis.writeUnits.toFixed(2)} write units per analysis of a batch,
${result.measured.aggregator.writeUnitsPerRecord.toFixed(2)} write units per item rolled up by the stream aggregator,
a ${result.measured.emfLineBytes}-byte EMF line, a ${result.measured.accessLogLineBytes}-byte access log line.

Goal: ≤ $${GOAL_PER_THOUSAND} per 1,000 employees per month without identity. In prod it is ${
      meets.length
        ? `met at ${meets.map((n) => n.toLocaleString('en-US')).join(' and ')} employees`
        : 'not met at any of the three scales'
    }. What dominates in prod: ${SCALES.map(
      (n) => `${largest(n)[0]} at ${n.toLocaleString('en-US')} ($${dollars(largest(n)[1])})`,
    ).join(', ')}.

${tables.join('\n')}`,
  };
};
