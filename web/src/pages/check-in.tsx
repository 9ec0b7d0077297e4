import { useEffect, useRef, useState } from 'preact/hooks';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';
import { formatBand, Loaded, Page, Problem, useAction, useResource } from '../ui/kit.tsx';

type Catalogue = paths['/surveys/instruments']['get']['responses'][200]['content']['application/json'];
type Instrument = Catalogue['instruments'][number];
type Submitted = paths['/surveys/responses']['post']['responses'][201]['content']['application/json'];

/** The stand-in anchors where an instrument has no shared scale (custom surveys are not offered here). */
const scaleOf = (instrument: Instrument, item: Instrument['items'][number]) => item.scale ?? instrument.scale;

export const CrisisPanel = ({ resources }: { resources: NonNullable<Submitted['crisisResources']> }) => {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => panel.current?.focus(), []);
  return (
    <div class="crisis" role="alert" tabIndex={-1} ref={panel} aria-labelledby="crisis-title">
      <h2 id="crisis-title">Help is available now</h2>
      <p>{resources.message}</p>
      <ul>
        {resources.contacts.map((contact) => (
          <li key={contact.name}>
            <strong>{contact.name}</strong>
            {contact.phone ? (
              <>
                {' '}
                — call <a href={`tel:${contact.phone.replace(/\s+/g, '')}`}>{contact.phone}</a>
              </>
            ) : null}
            {contact.url ? (
              <>
                {' '}
                —{' '}
                <a href={contact.url} rel="noopener noreferrer" target="_blank">
                  {contact.url}
                </a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
};

const Questionnaire = ({
  instrument,
  onDone,
}: {
  instrument: Instrument;
  onDone: (result: Submitted) => void;
}) => {
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const items = instrument.items.filter((item) => scaleOf(instrument, item));
  const submit = useAction(async () => {
    const result = await unwrap(
      api().POST('/surveys/responses', {
        body: { instrument: instrument.id, version: instrument.version, answers },
      }),
    );
    onDone(result);
  });
  const missing = items.filter((item) => !item.optional && answers[item.id] === undefined);
  return (
    <form
      class="questionnaire"
      onSubmit={(event) => {
        event.preventDefault();
        void submit.run();
      }}
    >
      <p>
        {instrument.measures}
        {instrument.period ? ` Thinking about ${instrument.period}:` : ''}
      </p>
      {items.map((item, index) => {
        const scale = scaleOf(instrument, item)!;
        return (
          <fieldset key={item.id} class="item">
            <legend>
              {index + 1}. {item.label}
              {item.optional ? ' (optional)' : ''}
            </legend>
            <div class="anchors">
              {scale.anchors.map((anchor, offset) => {
                const value = scale.min + offset;
                const id = `${instrument.id}-${item.id}-${value}`;
                return (
                  <label key={id} for={id} class="anchor">
                    <input
                      id={id}
                      type="radio"
                      name={`${instrument.id}-${item.id}`}
                      value={value}
                      checked={answers[item.id] === value}
                      onChange={() => setAnswers({ ...answers, [item.id]: value })}
                    />
                    <span>{anchor}</span>
                  </label>
                );
              })}
            </div>
          </fieldset>
        );
      })}
      <Problem error={submit.error} />
      <p class="hint">{missing.length > 0 ? `${missing.length} question(s) left.` : 'All answered.'}</p>
      <button type="submit" disabled={submit.busy || missing.length > 0}>
        {submit.busy ? 'Sending…' : 'Send my answers'}
      </button>
    </form>
  );
};

const Result = ({
  result,
  instrument,
  again,
}: {
  result: Submitted;
  instrument: Instrument;
  again: () => void;
}) => {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!result.crisisResources) heading.current?.focus();
  }, [result]);
  const range = instrument.scoring.range;
  return (
    <div class="result">
      {result.crisisResources ? <CrisisPanel resources={result.crisisResources} /> : null}
      <h2 tabIndex={-1} ref={heading}>
        Your {instrument.name} result
      </h2>
      <dl class="facts">
        <dt>Score</dt>
        <dd data-testid="score">
          {result.scores.total ?? '—'}
          {range ? ` (range ${range.min}–${range.max})` : ''}
        </dd>
        <dt>Band</dt>
        <dd data-testid="band">{formatBand(result.band)}</dd>
      </dl>
      <p class="hint">
        A questionnaire score is not a diagnosis. If anything worries you, talk to a clinician.
      </p>
      <button type="button" class="secondary" onClick={again}>
        Another check-in
      </button>
    </div>
  );
};

export const CheckInPage = () => {
  const catalogue = useResource(() => unwrap(api().GET('/surveys/instruments')));
  const [chosen, setChosen] = useState<string>('');
  const [result, setResult] = useState<Submitted | undefined>(undefined);
  return (
    <Page
      title="Check-in"
      intro="Pick a questionnaire and answer each question with the option that fits best."
    >
      <Loaded resource={catalogue} what="the questionnaires">
        {({ instruments }) => {
          const offered = instruments.filter((i) => i.id !== 'custom' && i.scale !== null);
          const instrument = offered.find((i) => i.id === chosen);
          if (result && instrument)
            return (
              <Result
                result={result}
                instrument={instrument}
                again={() => {
                  setResult(undefined);
                  setChosen('');
                }}
              />
            );
          return (
            <>
              <div class="field">
                <label for="instrument">Questionnaire</label>
                <select id="instrument" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
                  <option value="">Choose…</option>
                  {offered.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.name}
                    </option>
                  ))}
                </select>
              </div>
              {instrument ? (
                <Questionnaire key={instrument.id} instrument={instrument} onDone={setResult} />
              ) : null}
            </>
          );
        }}
      </Loaded>
    </Page>
  );
};
