import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';
import {
  formatDate,
  Loaded,
  MoreButton,
  Notice,
  Page,
  Problem,
  useAction,
  usePages,
  useResource,
} from '../ui/kit.tsx';

type User = paths['/users']['get']['responses'][200]['content']['application/json']['items'][number];
type Department =
  paths['/departments']['get']['responses'][200]['content']['application/json']['items'][number];
type Role = User['roles'][number];

/** The roles an organisation admin may grant and remove; clinician and auditor are the operator's. */
export const ADMIN_GRANTABLE: readonly Role[] = ['manager', 'admin'];

const allDepartments = async (): Promise<Department[]> => {
  const items: Department[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      api().GET('/departments', { params: { query: { limit: '100', ...(cursor ? { cursor } : {}) } } }),
    );
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
};

const RoleEditor = ({ user, changed }: { user: User; changed: () => void }) => {
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const save = useAction(async () => {
    await unwrap(
      api().PUT('/users/{user_id}/roles', { params: { path: { user_id: user.id } }, body: { roles } }),
    );
    changed();
  });
  const dirty = [...roles].sort().join() !== [...user.roles].sort().join();
  return (
    <form
      class="inline"
      onSubmit={(event) => {
        event.preventDefault();
        void save.run();
      }}
    >
      <fieldset>
        <legend class="visually-hidden">Roles of {user.fullName}</legend>
        {ADMIN_GRANTABLE.map((role) => (
          <label class="check" key={role}>
            <input
              type="checkbox"
              checked={roles.includes(role)}
              onChange={(e) =>
                setRoles(e.currentTarget.checked ? [...roles, role] : roles.filter((r) => r !== role))
              }
            />
            {role}
          </label>
        ))}
      </fieldset>
      <button
        type="submit"
        class="secondary"
        disabled={!dirty || save.busy}
        aria-label={`Save roles of ${user.fullName}`}
      >
        Save
      </button>
      <Problem error={save.error} />
    </form>
  );
};

export const UsersPage = () => {
  const departments = useResource(allDepartments);
  const [departmentId, setDepartmentId] = useState('');
  const [search, setSearch] = useState('');
  const pages = usePages(
    (cursor) =>
      unwrap(
        api().GET('/users', {
          params: {
            query: { limit: '50', ...(departmentId ? { departmentId } : {}), ...(cursor ? { cursor } : {}) },
          },
        }),
      ),
    [departmentId],
  );
  const needle = search.trim().toLowerCase();
  const shown = needle
    ? pages.items.filter(
        (u) => u.fullName.toLowerCase().includes(needle) || u.email.toLowerCase().includes(needle),
      )
    : pages.items;
  const departmentName = (id: string | undefined) => departments.data?.find((d) => d.id === id)?.name ?? '—';
  return (
    <Page title="Users" intro="The organisation's people, their department and the roles you may grant.">
      <div class="filters">
        <div class="field">
          <label for="user-search">Search by name or e-mail</label>
          <input
            id="user-search"
            type="search"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="user-department">Department</label>
          <select
            id="user-department"
            value={departmentId}
            onChange={(e) => setDepartmentId(e.currentTarget.value)}
          >
            <option value="">All departments</option>
            {(departments.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Problem error={pages.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Department</th>
              <th scope="col">Roles</th>
              <th scope="col">Manager / admin</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((user) => (
              <tr key={user.id}>
                <td>{user.fullName}</td>
                <td>{user.email}</td>
                <td>{departmentName(user.departmentId)}</td>
                <td>{user.roles.join(', ')}</td>
                <td>
                  <RoleEditor key={user.version} user={user} changed={() => void pages.reload()} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!pages.loading && shown.length === 0 ? <p>No user matches.</p> : null}
      <MoreButton pages={pages} />
    </Page>
  );
};

const DepartmentRow = ({ department, changed }: { department: Department; changed: () => void }) => {
  const [name, setName] = useState(department.name);
  const save = useAction(async () => {
    await unwrap(
      api().PUT('/departments/{department_id}', {
        params: { path: { department_id: department.id } },
        body: { version: department.version, name },
      }),
    );
    changed();
  });
  const inputId = `dept-name-${department.id}`;
  return (
    <tr>
      <td>
        <form
          class="inline"
          onSubmit={(event) => {
            event.preventDefault();
            void save.run();
          }}
        >
          <label for={inputId} class="visually-hidden">
            Name of {department.name}
          </label>
          <input id={inputId} value={name} maxLength={120} onInput={(e) => setName(e.currentTarget.value)} />
          <button
            type="submit"
            class="secondary"
            disabled={name.trim() === department.name || !name.trim() || save.busy}
          >
            Rename
          </button>
          <Problem error={save.error} />
        </form>
      </td>
      <td>{department.managerIds.length}</td>
      <td>{formatDate(department.updatedAt)}</td>
    </tr>
  );
};

export const DepartmentsPage = () => {
  const departments = useResource(allDepartments);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | undefined>(undefined);
  const create = useAction(async () => {
    const department = await unwrap(api().POST('/departments', { body: { name } }));
    setCreated(department.name);
    setName('');
    departments.reload();
  });
  return (
    <Page title="Departments">
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          void create.run();
        }}
      >
        <h2>New department</h2>
        <div class="field">
          <label for="department-name">Name</label>
          <input
            id="department-name"
            value={name}
            maxLength={120}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <Problem error={create.error} />
        {created ? <Notice kind="success">Created {created}.</Notice> : null}
        <button type="submit" disabled={!name.trim() || create.busy}>
          Create
        </button>
      </form>
      <Loaded resource={departments} what="the departments">
        {(items) => (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Departments</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Managers</th>
                  <th scope="col">Last changed</th>
                </tr>
              </thead>
              <tbody>
                {items.map((department) => (
                  <DepartmentRow
                    key={`${department.id}-${department.version}`}
                    department={department}
                    changed={departments.reload}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </Page>
  );
};

export const AuditPage = ({ full }: { full: boolean }) => {
  const [filters, setFilters] = useState({ subjectId: '', actorId: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const pages = usePages(
    (cursor) =>
      unwrap(
        api().GET('/audit', {
          params: {
            query: {
              limit: '50',
              ...(applied.subjectId ? { subjectId: applied.subjectId } : {}),
              ...(applied.actorId ? { actorId: applied.actorId } : {}),
              ...(applied.from ? { from: new Date(applied.from).toISOString() } : {}),
              ...(applied.to ? { to: new Date(applied.to).toISOString() } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    [applied],
  );
  const field = (key: keyof typeof filters, label: string, time = false) => {
    const props = {
      id: `audit-${key}`,
      value: filters[key],
      onInput: (e: { currentTarget: HTMLInputElement }) =>
        setFilters({ ...filters, [key]: e.currentTarget.value }),
    };
    return (
      <div class="field">
        <label for={props.id}>{label}</label>
        {time ? <input type="datetime-local" {...props} /> : <input type="text" {...props} />}
      </div>
    );
  };
  return (
    <Page
      title="Audit search"
      intro={
        full
          ? 'The full audit trail. Every search is itself recorded.'
          : 'Administrative records, everything about you and everything you did. Every search is itself recorded.'
      }
    >
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ ...filters });
        }}
      >
        {field('subjectId', 'Subject (user id)')}
        {field('actorId', 'Actor id')}
        {field('from', 'From', true)}
        {field('to', 'To', true)}
        <button type="submit">Search</button>
      </form>
      <Problem error={pages.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Audit records, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
              <th scope="col">Subject</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {pages.items.map((entry) => (
              <tr key={entry.id}>
                <td>{formatDate(entry.at)}</td>
                <td>
                  {entry.actor.type} <span class="id">{entry.actor.id ?? ''}</span>
                </td>
                <td>{entry.action}</td>
                <td>
                  {entry.resource.type} <span class="id">{entry.resource.id ?? ''}</span>
                </td>
                <td class="id">{entry.subjectId ?? '—'}</td>
                <td>
                  {entry.outcome} ({entry.status})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!pages.loading && pages.items.length === 0 ? <p>No records match.</p> : null}
      <MoreButton pages={pages} />
    </Page>
  );
};
