import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';
import { formatDate, Loaded, Notice, Page, Problem, useAction, useResource } from '../ui/kit.tsx';
import { loadClinicians, type Clinician } from './clinician-directory.ts';

type Consents = paths['/users/me/consents']['get']['responses'][200]['content']['application/json'];

const ConsentForm = ({
  consents,
  clinicians,
  saved,
}: {
  consents: Consents;
  clinicians: Clinician[];
  saved: () => void;
}) => {
  const [clinicianAccess, setClinicianAccess] = useState(consents.clinicianAccess.granted);
  const [named, setNamed] = useState<string[]>(consents.clinicianAccess.clinicianIds);
  const [aggregate, setAggregate] = useState(consents.aggregateAnalytics.granted);
  const [done, setDone] = useState(false);
  const save = useAction(async () => {
    await unwrap(
      api().PUT('/users/me/consents', {
        body: {
          clinicianAccess: clinicianAccess ? { granted: true, clinicianIds: named } : { granted: false },
          aggregateAnalytics: { granted: aggregate },
        },
      }),
    );
    setDone(true);
    saved();
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setDone(false);
        void save.run();
      }}
    >
      <fieldset class="card">
        <legend>Clinician access</legend>
        <p>Lets wellbeing clinicians see your questionnaire results and trends, to help you.</p>
        <label class="check">
          <input
            type="checkbox"
            checked={clinicianAccess}
            onChange={(e) => setClinicianAccess(e.currentTarget.checked)}
          />
          Allow clinicians to see my results
        </label>
        {clinicianAccess ? (
          <fieldset class="nested">
            <legend>Which clinicians</legend>
            <p class="hint">Choose none to allow every clinician of the organisation.</p>
            {clinicians.length === 0 ? <p>No clinicians are listed in the directory.</p> : null}
            {clinicians.map((clinician) => (
              <label class="check" key={clinician.id}>
                <input
                  type="checkbox"
                  checked={named.includes(clinician.id)}
                  onChange={(e) =>
                    setNamed(
                      e.currentTarget.checked
                        ? [...named, clinician.id]
                        : named.filter((id) => id !== clinician.id),
                    )
                  }
                />
                {clinician.displayName}
                {clinician.organisationUnit ? (
                  <span class="hint"> — {clinician.organisationUnit}</span>
                ) : null}
              </label>
            ))}
          </fieldset>
        ) : null}
        <p class="hint">Last changed: {formatDate(consents.clinicianAccess.updatedAt)}</p>
      </fieldset>
      <fieldset class="card">
        <legend>Anonymous statistics</legend>
        <p>
          Lets your results count, with at least several other people&apos;s and never by name, in the
          statistics managers see for their department.
        </p>
        <label class="check">
          <input
            type="checkbox"
            checked={aggregate}
            onChange={(e) => setAggregate(e.currentTarget.checked)}
          />
          Include me in anonymous statistics
        </label>
        <p class="hint">Last changed: {formatDate(consents.aggregateAnalytics.updatedAt)}</p>
      </fieldset>
      <Problem error={save.error} />
      {done ? <Notice kind="success">Saved. The change applies from the next request.</Notice> : null}
      <button type="submit" disabled={save.busy}>
        {save.busy ? 'Saving…' : 'Save my choices'}
      </button>
    </form>
  );
};

export const ConsentsPage = () => {
  const consents = useResource(() => unwrap(api().GET('/users/me/consents')));
  const clinicians = useResource(loadClinicians);
  return (
    <Page title="Consents" intro="You decide who may see your data. You can change this at any time.">
      <Loaded resource={consents} what="your consents">
        {(state) => (
          <Loaded resource={clinicians} what="the clinician directory">
            {(list) => <ConsentForm consents={state} clinicians={list} saved={consents.reload} />}
          </Loaded>
        )}
      </Loaded>
    </Page>
  );
};
