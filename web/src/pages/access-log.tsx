import { api, unwrap } from '../api/client.ts';
import { formatDate, MoreButton, Page, Problem, usePages } from '../ui/kit.tsx';

export const AccessLogPage = () => {
  const pages = usePages((cursor) =>
    unwrap(
      api().GET('/users/me/access-log', {
        params: { query: { limit: '50', ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  return (
    <Page
      title="My access log"
      intro="Every time someone read or changed your data, and what you did yourself."
    >
      <Problem error={pages.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Accesses to my data, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {pages.items.map((entry) => (
              <tr key={entry.id}>
                <td>{formatDate(entry.at)}</td>
                <td>
                  {entry.actor.type === 'user' ? entry.actor.roles.join(', ') || 'user' : entry.actor.type}
                  {entry.actor.id ? <span class="id"> {entry.actor.id.slice(0, 8)}</span> : null}
                </td>
                <td>{entry.action}</td>
                <td>{entry.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!pages.loading && pages.items.length === 0 ? <p>Nothing recorded yet.</p> : null}
      <MoreButton pages={pages} />
    </Page>
  );
};
