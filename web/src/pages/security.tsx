import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';
import { Notice, Page, Problem, useAction } from '../ui/kit.tsx';

type Enrolment = paths['/auth/mfa/totp']['post']['responses'][200]['content']['application/json'];

/** The key in groups of four, as authenticator apps show it (easier to type on a phone). */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * Two-step sign-in with an authenticator app (TOTP), set up by the signed-in person through the API
 * (`POST /auth/mfa/totp`, then the first code at `/auth/mfa/totp/verify`): from the next sign-in the
 * sign-in page asks for a code. Where the stage requires MFA for everyone (prod), the managed login
 * itself enrols a person without an authenticator before they ever reach the console.
 */
export const SecurityPage = ({ mfa }: { mfa: 'off' | 'optional' | 'required' }) => {
  const [enrolment, setEnrolment] = useState<Enrolment | undefined>(undefined);
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const starter = useAction(async () => {
    setEnrolment(await unwrap(api().POST('/auth/mfa/totp')));
    setCode('');
    setDone(false);
  });
  const verifier = useAction(async () => {
    await unwrap(api().POST('/auth/mfa/totp/verify', { body: { code } }));
    setEnrolment(undefined);
    setDone(true);
  });
  return (
    <Page
      title="Security"
      intro="Protect your account with a second step at sign-in: a code from an authenticator app on your phone."
    >
      <section class="card" aria-labelledby="totp-title">
        <h2 id="totp-title">Authenticator app</h2>
        {mfa === 'required' ? (
          <p>Your organisation asks everyone for a code at sign-in. Setting up again replaces your app.</p>
        ) : (
          <p>
            Optional, and recommended. Setting up again replaces the app you set up before. Any authenticator
            app works (for example the one that came with your phone, or a password manager).
          </p>
        )}
        {done ? (
          <Notice kind="success">
            Two-step sign-in is on. From your next sign-in you will be asked for a code from your app.
          </Notice>
        ) : null}
        <Problem error={starter.error} />
        {enrolment ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void verifier.run();
            }}
          >
            <ol class="steps">
              <li>
                In your authenticator app, add an account and type this key:{' '}
                <code class="secret" data-testid="totp-secret">
                  {grouped(enrolment.secretCode)}
                </code>{' '}
                (or, on this phone, <a href={enrolment.otpauthUri}>open it in your authenticator app</a>).
              </li>
              <li>Enter the 6-digit code the app now shows for Mental Health Analytics.</li>
            </ol>
            <div class="field">
              <label for="totp-code">Code from the app</label>
              <input
                id="totp-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                required
                value={code}
                onInput={(e) => setCode(e.currentTarget.value.trim())}
              />
            </div>
            <Problem error={verifier.error} />
            <div class="actions">
              <button type="submit" disabled={verifier.busy}>
                {verifier.busy ? 'Checking…' : 'Turn on two-step sign-in'}
              </button>
              <button type="button" class="secondary" onClick={() => setEnrolment(undefined)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <button type="button" onClick={() => void starter.run()} disabled={starter.busy}>
            {starter.busy ? 'Preparing…' : 'Set up an authenticator app'}
          </button>
        )}
      </section>
    </Page>
  );
};
