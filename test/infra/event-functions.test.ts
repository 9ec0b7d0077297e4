import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  eventFunctionTable,
  eventFunctions,
  type EventFunctionDefinition,
} from '../../shared/contract/event-functions.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { ENV } from '../../shared/contract/runtime-env.ts';
import { serviceFunctionEntries } from '../../lib/build/function-bundles.ts';
import { functionNameFor } from '../../lib/constructs/api-function.ts';
import { OVERDUE_ALERTS_JOB_INTERVAL_MS, PURGE_JOB_INTERVAL_MS } from '../../lib/local/runtime.ts';
import { AGGREGATOR_ENTRY, STREAM_POLL_INTERVAL_MS } from '../../lib/local/stream-poller.ts';
import {
  environmentOf,
  getAttTo,
  grantedStatementsOf,
  refTo,
  resourcesOf,
  scheduledFunctionIdsOf,
  serviceFunctionsOf,
  STAGES,
  synthStage,
  triggerFunctionIdsOf,
  WRITE_ACTIONS,
} from './synth.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

/**
 * The event function table (shared/contract/event-functions.ts) against every synthesized stage, entry by
 * entry, as the route matrices check the route table: each entry becomes exactly the function it
 * declares (name, handler bundle, timeout, memory, environment, table and Cognito access, trigger), and
 * the stage has no event function the table does not list.
 */
const entryCases = eventFunctionTable.map((definition) => [definition.id, definition] as const);

/** `rate(…)` as the CDK writes Schedule.rate: whole days, else whole hours, else minutes. */
const rateExpression = (minutes: number): string => {
  const [value, unit] =
    minutes % 1440 === 0
      ? [minutes / 1440, 'day']
      : minutes % 60 === 0
        ? [minutes / 60, 'hour']
        : [minutes, 'minute'];
  return `rate(${value} ${unit}${value === 1 ? '' : 's'})`;
};

const COGNITO_TRIGGER_KEYS = {
  preSignUp: 'PreSignUp',
  postConfirmation: 'PostConfirmation',
  customMessage: 'CustomMessage',
} as const;

describe('the event function table', () => {
  it('names each function once, apart from the route ids, with its handler in the folder of its kind', () => {
    const ids = eventFunctionTable.map((definition) => definition.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(routeTable.map((route) => route.id)).not.toContain(id);
    const folderOfKind = { streams: 'streams', job: 'jobs', trigger: 'triggers' } as Record<string, string>;
    for (const { id, entry } of eventFunctionTable) {
      const kind = id.split('.')[0] ?? '';
      expect(folderOfKind[kind], id).toBeDefined();
      expect(entry, id).toMatch(new RegExp(`^functions/${folderOfKind[kind]}/[a-z0-9-]+\\.ts$`));
      expect(readFileSync(path.join(REPO_ROOT, entry), 'utf8'), entry).toMatch(/export const handler\b/);
    }
  });

  it('is what the bundling pass builds besides the route handlers', () => {
    const routeEntries = new Set(routeTable.map((route) => route.handler));
    expect(serviceFunctionEntries().filter((entry) => !routeEntries.has(entry))).toEqual(
      eventFunctionTable.map((definition) => definition.entry).sort(),
    );
  });

  it('is what the local runtime runs: the aggregator on its stream mapping, the jobs at their rates', () => {
    expect(AGGREGATOR_ENTRY).toBe(eventFunctions.aggregateRollups.entry);
    expect(STREAM_POLL_INTERVAL_MS).toBe(
      eventFunctions.aggregateRollups.trigger.mapping.maxBatchingWindowSeconds * 1000,
    );
    expect(PURGE_JOB_INTERVAL_MS).toBe(eventFunctions.purgeErasedUsers.trigger.rateMinutes * 60_000);
    expect(OVERDUE_ALERTS_JOB_INTERVAL_MS).toBe(
      eventFunctions.countOverdueAlerts.trigger.rateMinutes * 60_000,
    );
  });
});

describe.each(STAGES)('event functions of stage %s', (stage) => {
  const { template, config } = synthStage(stage);
  // The service's functions: not the CDK's upload handler of the console (CloudFormation runs it).
  const functions = serviceFunctionsOf(template);
  const [tableId] = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'));
  const [poolId] = Object.keys(resourcesOf(template, 'AWS::Cognito::UserPool'));
  const idOf = (definition: EventFunctionDefinition): string => {
    const found = Object.entries(functions).find(
      ([, fn]) => fn.Properties.FunctionName === functionNameFor(stage, definition.id),
    );
    if (!found) throw new Error(`no function ${definition.id} in stage ${stage}`);
    return found[0];
  };

  it('has no function that is neither a route nor an entry of the table', () => {
    const names = new Set([
      ...routeTable.map((route) => functionNameFor(stage, route.id)),
      ...eventFunctionTable.map((definition) => functionNameFor(stage, definition.id)),
    ]);
    for (const fn of Object.values(functions)) expect(names).toContain(fn.Properties.FunctionName);
  });

  it.each(entryCases)('%s runs its entry with its timeout and memory', (_id, definition) => {
    const fn = functions[idOf(definition)]!.Properties;
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Handler).toBe('index.handler');
    expect(fn.Timeout).toBe(definition.timeoutSeconds ?? config.lambda.timeoutSeconds);
    expect(fn.MemorySize).toBe(definition.memoryMb ?? config.lambda.memoryMb);
    expect(String(fn.Description)).toBe(definition.description);
  });

  it.each(entryCases)('%s gets the stage and exactly the settings it lists', (_id, definition) => {
    const env = environmentOf(template, idOf(definition));
    const expected = new Set<string>([
      ENV.stage,
      ...definition.settings.map((setting) => ENV[setting]),
      ...(definition.table === 'none' ? [] : [ENV.tableName]),
    ]);
    const contract = new Set<string>(Object.values(ENV));
    expect(
      Object.keys(env)
        .filter((name) => contract.has(name))
        .sort(),
    ).toEqual([...expected].sort());
    expect(env[ENV.stage]).toBe(stage);
    if (definition.table !== 'none') expect(refTo(env[ENV.tableName])).toBe(tableId);
  });

  it.each(entryCases)('%s gets the table access it declares', (_id, definition) => {
    const statements = grantedStatementsOf(template, idOf(definition));
    const dynamo = statements.flatMap((s) => s.actions).filter((a) => a.startsWith('dynamodb:'));
    const unconditional = statements.filter((s) => s.condition === undefined).flatMap((s) => s.actions);
    switch (definition.table) {
      case 'none':
        expect(dynamo).toEqual([]);
        break;
      case 'put':
        expect(dynamo).toEqual(['dynamodb:PutItem']);
        break;
      case 'read':
        expect(dynamo).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
        for (const write of WRITE_ACTIONS) expect(unconditional).not.toContain(write);
        break;
      case 'read-write':
        expect(dynamo).toEqual(
          expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', ...WRITE_ACTIONS]),
        );
        break;
    }
  });

  it.each(entryCases)('%s may make exactly its Cognito admin calls, on the stage pool', (_id, definition) => {
    const cognito = grantedStatementsOf(template, idOf(definition)).filter((s) =>
      s.actions.some((a) => a.startsWith('cognito-idp:')),
    );
    expect(cognito.flatMap((s) => s.actions).sort()).toEqual(
      (definition.cognitoAdmin ?? []).map((action) => `cognito-idp:${action}`).sort(),
    );
    for (const statement of cognito) expect(getAttTo(statement.resource)).toBe(poolId);
  });

  it.each(entryCases)('%s is invoked by the trigger it declares', (_id, definition) => {
    const id = idOf(definition);
    const { trigger } = definition;
    switch (trigger.kind) {
      case 'stream': {
        const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter(
          (mapping) => refTo(mapping.Properties.FunctionName) === id,
        );
        expect(mappings).toHaveLength(1);
        const { mapping } = trigger;
        expect(getAttTo(mappings[0]?.Properties.EventSourceArn)).toBe(tableId);
        expect(mappings[0]?.Properties).toMatchObject({
          BatchSize: mapping.batchSize,
          MaximumBatchingWindowInSeconds: mapping.maxBatchingWindowSeconds,
          BisectBatchOnFunctionError: mapping.bisectBatchOnError,
          FunctionResponseTypes: mapping.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
          MaximumRetryAttempts: mapping.retryAttempts,
          MaximumRecordAgeInSeconds: mapping.maxRecordAgeSeconds,
          ParallelizationFactor: mapping.parallelizationFactor,
          StartingPosition: mapping.startingPosition,
        });
        break;
      }
      case 'schedule': {
        const rules = Object.entries(scheduledFunctionIdsOf(template)).filter(([, targets]) =>
          targets.includes(id),
        );
        expect(rules).toHaveLength(1);
        const rule = resourcesOf(template, 'AWS::Events::Rule')[rules[0]![0]]!;
        expect(rule.Properties.ScheduleExpression).toBe(rateExpression(trigger.rateMinutes));
        const [target] = rule.Properties.Targets as { RetryPolicy?: Record<string, unknown> }[];
        expect(target?.RetryPolicy).toEqual({
          MaximumRetryAttempts: trigger.deliveryRetries,
          MaximumEventAgeInSeconds: trigger.maxEventAgeMinutes * 60,
        });
        break;
      }
      case 'cognito':
        expect(triggerFunctionIdsOf(template)[COGNITO_TRIGGER_KEYS[trigger.operation]]).toBe(id);
        break;
      default:
        throw new Error(`unknown trigger ${String(trigger satisfies never)}`);
    }
  });
});
