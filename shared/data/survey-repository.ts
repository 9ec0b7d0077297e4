import { isDeepStrictEqual } from 'node:util';
import { GetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dropIfUnused } from '#contract/lazy.ts';
import type { RiskAlert } from '#contract/risk-alert.ts';
import {
  INSTRUMENT_IDS,
  isAnswerText,
  type InstrumentId,
  type SurveyResponse,
  type SurveyScores,
} from '#contract/survey.ts';
import type { AuditRecord, AuditRequestContext } from '#domain/audit.ts';
import type { BurnoutObservation } from '#domain/burnout-trend.ts';
import type { Clock } from '#domain/clock.ts';
import { EMPTY_SURVEY_STATE, surveyStateOf, withResponse, type SurveyState } from '#domain/survey-state.ts';
import { auditPut } from './audit-repository.ts';
import { documentClient, tableName } from './client.ts';
import {
  array,
  count,
  isString,
  malformed,
  nullable,
  number,
  object,
  record,
  string,
  withDefault,
  type Parse,
} from './item-parse.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { queryAll } from './dynamodb/query.ts';
import { transaction, TransactionFailedError } from './dynamodb/transaction.ts';
import { alertTransactItems } from './risk-alerts.ts';

/**
 * Survey responses live in their user's partition (keys.surveyResponse: by instrument, then time) and
 * are indexed across instruments by time (GSI1 SURVEYS#<sub>). A response is put once, never changed.
 */

type Item = Record<string, unknown>;

export const surveyItem = (response: SurveyResponse) => ({
  ...keys.surveyResponse(response.userId, response.instrument, response.submittedAt, response.id),
  ...keys.surveyResponseByTime(response.userId, response.submittedAt, response.id),
  entityType: 'SURVEY_RESPONSE',
  ...response,
  createdAt: response.submittedAt,
  updatedAt: response.submittedAt,
});

/**
 * Stores a scored response, its audit record, the alerts it raised (each with its own audit record) and
 * the user's new survey state in ONE transaction: no response without its alert, no alert without its
 * audit, and a state that always matches the responses. The state put is conditional on the version the
 * caller computed from; false = another response of the same user got there first (re-read, re-score
 * the safety rules against it, try again).
 */
export const storeSurveyResponse = async (
  response: SurveyResponse,
  audit: AuditRecord,
  alerts: readonly RiskAlert[],
  state: { previous: SurveyState; next: SurveyState },
  context: AuditRequestContext,
  clock: Clock,
): Promise<boolean> => {
  const tx = transaction()
    .put('response', { Item: surveyItem(response), ConditionExpression: 'attribute_not_exists(PK)' })
    .add('audit', auditPut(audit))
    .addAll(
      'alert',
      alerts.flatMap((alert) => alertTransactItems(alert, context, clock)),
    )
    .add('surveyState', surveyStatePut(response.userId, state.next, state.previous.version, clock.now()));
  try {
    await tx.send();
    return true;
  } catch (error) {
    // Only the state's version lost a race (a response stored meanwhile): the caller reads again.
    if (error instanceof TransactionFailedError && error.failedConditions[0] === 'surveyState') return false;
    throw error;
  }
};

/** The Put of a user's survey state, conditional on the version it replaces (0 = none yet). */
export const surveyStatePut = (sub: string, state: SurveyState, previousVersion: number, now: Date) => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.surveyState(sub),
      entityType: 'SURVEY_STATE',
      userId: sub,
      version: state.version,
      latest: state.latest,
      cbiSeries: state.cbiSeries,
      cbiCount: state.cbiCount,
      updatedAt: now.toISOString(),
    },
    ...(previousVersion === 0
      ? { ConditionExpression: 'attribute_not_exists(PK)' }
      : {
          ConditionExpression: 'version = :previous',
          ExpressionAttributeValues: { ':previous': previousVersion },
        }),
  },
});

/**
 * The stored survey state (keys.surveyState) and stored responses, parsed: the severity-jump alerts
 * compare against the state's `latest` and the burnout trend reads its `cbiSeries`, so a row that is not
 * what this module writes fails loudly rather than feeding a clinical rule (or a reader) a wrong value.
 *
 * Written out (item-parse.ts) rather than zod objects: the record, enum, nullable and default kinds they needed
 * travelled into the user summary and the burnout trend for the state's parse alone (4.1 KB off each of
 * their bundles, this parse included), and the response's parse kept the record, union, enum and
 * nullable kinds in the submission for its Idempotency-Key replay alone. Each answers as the schema it
 * replaced (the state's) or stands beside (the contract's `SurveyResponse`) does, rule for rule — what
 * is accepted, the defaults of absent fields, unknown fields left out, `__proto__` skipped — and
 * test/unit/survey-state.test.ts holds each to that schema with a fast-check property.
 */
const isInstrument = (name: unknown): name is InstrumentId => INSTRUMENT_IDS.includes(name as InstrumentId);

/** A response's scores, as the state's latest and the response itself keep them. */
const scoresParse = () =>
  object<SurveyScores>({ total: nullable(number), raw: number, subscales: record(isString, number) }, [
    'raw',
    'subscales',
  ]);

/** Built by a pure-marked call: the functions that import this module and never read a state drop it. */
const surveyStateItemOf = /* @__PURE__ */ dropIfUnused(() => {
  const scores = scoresParse();
  return object<SurveyState>({
    version: withDefault(count, () => 0),
    latest: withDefault(
      record(
        isInstrument,
        object<SurveyState['latest'][InstrumentId]>({
          id: string,
          submittedAt: string,
          version: string,
          scores,
          band: nullable(string),
        }),
      ),
      () => ({}),
    ),
    cbiSeries: withDefault(
      array(
        object<BurnoutObservation>(
          { responseId: string, at: string, work: number, personal: number, client: number },
          ['client'],
        ),
      ),
      () => [],
    ),
    cbiCount: withDefault(count, () => 0),
  });
});

/** A stored survey state item as the domain type (none = the empty state). */
export const surveyStateFrom = (item: Item | undefined): SurveyState =>
  item ? surveyStateItemOf(item, 'survey state: item') : EMPTY_SURVEY_STATE;

/** Built by a pure-marked call: the functions that import this module and never read a response drop it. */
const surveyResponseItemOf = /* @__PURE__ */ dropIfUnused(() => {
  /** An answer: a number, or a string of at most MAX_ANSWER_LENGTH (the contract's `AnswerValue`). */
  const answer: Parse<number | string> = (value, path) => (isAnswerText(value) ? value : number(value, path));
  return object<SurveyResponse>(
    {
      id: string,
      userId: string,
      instrument: (value, path) => (isInstrument(value) ? value : malformed(path)),
      version: string,
      answers: record(isString, answer),
      scores: scoresParse(),
      band: nullable(string),
      flags: array(string),
      subscaleBands: record(isString, string),
      submittedAt: string,
    },
    ['subscaleBands'],
  );
});

/** A stored response item as the contract's `SurveyResponse` (its keys and bookkeeping fields left out). */
export const surveyResponseFrom = (item: Item): SurveyResponse => {
  const { entityType: _type, createdAt: _created, updatedAt: _updated, ...rest } = keys.stripKeys(item);
  return surveyResponseItemOf(rest, 'survey response: item');
};

/**
 * Stores a response that raised no alert, re-reading the state until its transaction wins: for seeding
 * and tools that store responses outside the API (the API's submit re-scores its safety rules on each
 * try, see functions/surveys/submit-response.ts).
 */
export const appendSurveyResponse = async (
  response: SurveyResponse,
  audit: AuditRecord,
  context: AuditRequestContext,
  clock: Clock,
): Promise<void> => {
  for (let attempt = 1; attempt <= 10; attempt++) {
    const previous = await getSurveyState(response.userId);
    const next = withResponse(previous, response);
    if (await storeSurveyResponse(response, audit, [], { previous, next }, context, clock)) return;
  }
  throw new Error(`the survey state of ${response.userId} kept changing`);
};

/** The user's survey state, strongly consistent (the safety rules compare against its latest). */
export const getSurveyState = async (sub: string): Promise<SurveyState> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.surveyState(sub), ConsistentRead: true }),
  );
  return surveyStateFrom(Item);
};

/** Where a stored response is: enough to read it back (an Idempotency-Key record keeps only this). */
export interface SurveyResponseRef {
  userId: string;
  instrument: InstrumentId;
  submittedAt: string;
  id: string;
}

export const getSurveyResponse = async (ref: SurveyResponseRef): Promise<SurveyResponse | undefined> => {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.surveyResponse(ref.userId, ref.instrument, ref.submittedAt, ref.id),
      ConsistentRead: true,
    }),
  );
  return Item ? surveyResponseFrom(Item) : undefined;
};

/**
 * Whether the response raised a risk alert: its alert was stored in the same transaction, in the same
 * partition, created at the response's submission time (keys.riskAlert: ALERT#<createdAt>#<alert id>).
 */
export const surveyResponseRaisedAlert = async (ref: SurveyResponseRef): Promise<boolean> => {
  const { PK, SK } = keys.riskAlert(ref.userId, ref.submittedAt, ref.id);
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeNames: { '#source': 'source' },
      ExpressionAttributeValues: { ':pk': PK, ':prefix': SK.slice(0, SK.lastIndexOf('#') + 1) },
      ProjectionExpression: '#source',
      ConsistentRead: true,
    }),
  );
  return Items.some((item) => (item.source as { id?: unknown } | undefined)?.id === ref.id);
};

export interface SurveyListQuery {
  instrument?: InstrumentId | undefined;
  /** Inclusive ISO bounds (UTC). */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  startKey: Record<string, unknown> | undefined;
}

/**
 * A user's responses, newest first: one instrument from the base table (strongly consistent), or every
 * instrument through GSI1 SURVEYS#<sub>.
 */
export const listSurveyResponses = async (sub: string, query: SurveyListQuery) => {
  const input: Omit<QueryCommandInput, 'TableName'> = query.instrument
    ? {
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': partitions.user(sub),
          ':from': `${keys.surveyResponsePrefix(query.instrument)}${query.from ?? ''}`,
          ':to': `${keys.surveyResponsePrefix(query.instrument)}${query.to ?? ''}~`,
        },
        ConsistentRead: true,
      }
    : {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': partitions.surveyResponsesByTime(sub),
          ':from': query.from ?? '0',
          ':to': `${query.to ?? '9'}~`,
        },
      };
  const result = await documentClient.send(
    new QueryCommand({
      ...input,
      TableName: tableName(),
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: query.startKey,
    }),
  );
  return { items: (result.Items ?? []).map(surveyResponseFrom), lastEvaluatedKey: result.LastEvaluatedKey };
};

/** Upper bound of items one trend read takes from a series (a weekly CBI for ~10 years). */
const MAX_SERIES = 500;

/**
 * A user's CBI observations in [from, to], oldest first (at most the latest MAX_SERIES), read from the
 * responses themselves: for a trend window older than the series the survey state keeps. Only the
 * fields an observation needs are read (a projection; no schema parse of whole responses).
 */
export const cbiSeriesBetween = async (
  sub: string,
  from: string,
  to: string,
): Promise<BurnoutObservation[]> => {
  const prefix = keys.surveyResponsePrefix('cbi');
  const newestFirst = await queryAll(
    {
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#id': 'id', '#at': 'submittedAt', '#scores': 'scores' },
      ExpressionAttributeValues: {
        ':pk': partitions.user(sub),
        ':from': `${prefix}${from}`,
        ':to': `${prefix}${to}~`,
      },
      ProjectionExpression: '#id, #at, #scores',
      ScanIndexForward: false,
      ConsistentRead: true,
    },
    MAX_SERIES,
  );
  return newestFirst
    .map((item) => {
      const subscales = (item.scores as { subscales?: Record<string, unknown> } | undefined)?.subscales;
      const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
      const work = number(subscales?.work);
      const client = number(subscales?.client);
      return work === undefined
        ? undefined
        : {
            responseId: String(item.id),
            at: String(item.submittedAt),
            work,
            personal: number(subscales?.personal) ?? 0,
            ...(client !== undefined ? { client } : {}),
          };
    })
    .filter((o): o is BurnoutObservation => o !== undefined)
    .reverse();
};

/**
 * Recomputes a user's survey state from their stored responses (the rebuild's step for users whose
 * state predates it or went wrong). Written only when it differs, conditional on the version read, so
 * a response stored meanwhile wins; returns whether it wrote.
 */
export const rebuildSurveyState = async (
  sub: string,
  responseItems: readonly Item[],
  now: Date,
): Promise<'unchanged' | 'written' | 'conflict'> => {
  const current = await getSurveyState(sub);
  const responses = responseItems.flatMap((item) => {
    try {
      return [surveyResponseFrom(item)];
    } catch {
      return []; // an unreadable item is not a response (counted by the rollup rebuild as malformed)
    }
  });
  const rebuilt = surveyStateOf(responses, current.version + 1);
  // Deep equality regardless of key order (DynamoDB maps come back in any order).
  if (isDeepStrictEqual({ ...rebuilt, version: 0 }, { ...current, version: 0 })) return 'unchanged';
  try {
    await documentClient.send(new PutCommand(surveyStatePut(sub, rebuilt, current.version, now).Put));
    return 'written';
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return 'conflict';
    throw error;
  }
};
