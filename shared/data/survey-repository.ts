import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { RiskAlert } from '#contract/risk-alert.ts';
import { SurveyResponse, type InstrumentId } from '#contract/survey.ts';
import type { AuditRecord, AuditRequestContext } from '#domain/audit.ts';
import type { AnalysisSignalSource } from '#domain/burnout-risk.ts';
import type { Clock } from '#domain/clock.ts';
import { auditPut } from './audit-repository.ts';
import { documentClient, tableName } from './client.ts';
import { ANALYSIS_TYPES, keys, stripKeys, type AnalysisType } from './keys.ts';
import { queryAll } from './query-all.ts';
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

const toResponse = (item: Item): SurveyResponse => {
  const { entityType: _type, createdAt: _created, updatedAt: _updated, ...rest } = stripKeys(item);
  return SurveyResponse.parse(rest);
};

/**
 * Stores a scored response, its audit record and the alerts it raised (each with its own audit record)
 * in ONE transaction: no response without its alert, no alert without its audit.
 */
export const storeSurveyResponse = async (
  response: SurveyResponse,
  audit: AuditRecord,
  alerts: readonly RiskAlert[],
  context: AuditRequestContext,
  clock: Clock,
): Promise<void> => {
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: surveyItem(response),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        auditPut(audit),
        ...alerts.flatMap((alert) => alertTransactItems(alert, context, clock)),
      ],
    }),
  );
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
  return Item ? toResponse(Item) : undefined;
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

/** The user's latest response to an instrument (strongly consistent: the safety rules compare to it). */
export const latestSurveyResponse = async (
  sub: string,
  instrument: InstrumentId,
): Promise<SurveyResponse | undefined> => {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.userProfile(sub).PK,
        ':prefix': keys.surveyResponsePrefix(instrument),
      },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return Items[0] ? toResponse(Items[0]) : undefined;
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
          ':pk': keys.userProfile(sub).PK,
          ':from': `${keys.surveyResponsePrefix(query.instrument)}${query.from ?? ''}`,
          ':to': `${keys.surveyResponsePrefix(query.instrument)}${query.to ?? ''}~`,
        },
        ConsistentRead: true,
      }
    : {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.surveyResponseByTime(sub, '-', '-').GSI1PK,
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
  return { items: (result.Items ?? []).map(toResponse), lastEvaluatedKey: result.LastEvaluatedKey };
};

/** Upper bound of items one trend read takes from a series (a weekly CBI for ~10 years). */
const MAX_SERIES = 500;

/** A user's responses to one instrument in [from, to], oldest first (at most the latest MAX_SERIES). */
export const surveySeries = async (
  sub: string,
  instrument: InstrumentId,
  from: string,
  to: string,
): Promise<SurveyResponse[]> => {
  const prefix = keys.surveyResponsePrefix(instrument);
  const newestFirst = await queryAll(
    {
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.userProfile(sub).PK,
        ':from': `${prefix}${from}`,
        ':to': `${prefix}${to}~`,
      },
      ScanIndexForward: false,
      ConsistentRead: true,
    },
    MAX_SERIES,
  );
  return newestFirst.map(toResponse).reverse();
};

/** Upper bound of analyses of one type read for the burnout signals (30 days). */
const MAX_ANALYSES = 2000;

/**
 * The user's analyses of the last days, as far as the burnout model reads them (sentiment, emotions).
 * Analyses are written by the analyses routes (keys.analysis: `<TYPE>#<isoTs>#<id>` in the user's
 * partition); none, or items without those fields, simply give no signal. Expired items (TTL
 * `expiresAt` in the past, not yet deleted by DynamoDB) are left out.
 */
export const recentAnalysisSignals = async (
  sub: string,
  since: Date,
  now: Date,
): Promise<Record<AnalysisType, AnalysisSignalSource[]>> => {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const read = async (type: AnalysisType) => {
    const prefix = keys.analysisPrefix(type);
    const items = await queryAll(
      {
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.userProfile(sub).PK,
          ':from': `${prefix}${since.toISOString()}`,
          ':to': `${prefix}${now.toISOString()}~`,
        },
        ProjectionExpression: 'sentiment, emotions, expiresAt',
      },
      MAX_ANALYSES,
    );
    return items
      .filter((item) => typeof item.expiresAt !== 'number' || item.expiresAt > nowSeconds)
      .map((item) => ({
        sentiment: item.sentiment as AnalysisSignalSource['sentiment'],
        emotions: item.emotions as AnalysisSignalSource['emotions'],
      }));
  };
  const [chat, speech, video] = await Promise.all(ANALYSIS_TYPES.map(read));
  return { chat: chat ?? [], speech: speech ?? [], video: video ?? [] };
};
