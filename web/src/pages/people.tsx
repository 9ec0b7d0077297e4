import { useState } from 'preact/hooks';
import { navigate } from '../router.ts';
import { Page } from '../ui/kit.tsx';
import { PersonTrends } from './trends.tsx';

/**
 * A clinician's view of one person's trends. The API answers only where the person consented to this
 * clinician (or to every clinician) and otherwise refuses; the page shows the refusal as it comes.
 */
export const PersonPage = ({ userId }: { userId: string }) => (
  <Page
    title="Trends of a person in your care"
    intro="Shown because this person allowed clinicians to see their results."
  >
    <p class="id">Person {userId}</p>
    <PersonTrends userId={userId} />
  </Page>
);

export const PeoplePage = () => {
  const [id, setId] = useState('');
  return (
    <Page
      title="People in my care"
      intro="Open the trends of a person who consented to your access: follow the link on one of their alerts, or enter their id."
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (id.trim()) navigate(`/clinician/people/${encodeURIComponent(id.trim())}`);
        }}
      >
        <div class="field">
          <label for="person-id">Person id</label>
          <input id="person-id" value={id} onInput={(e) => setId(e.currentTarget.value)} autoComplete="off" />
        </div>
        <button type="submit">Open trends</button>
      </form>
    </Page>
  );
};
