import * as z from 'zod/mini';
import { pageOf, PageQuery, uuid } from '../common.ts';
import { Department } from '../department.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';

const Name = /* @__PURE__ */ dropIfUnused(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(120)));
const Description = /* @__PURE__ */ dropIfUnused(() => z.string().check(z.trim(), z.maxLength(1000)));
/** A transaction holds at most 100 items; ten managers keep a department update well inside it. */
const ManagerIds = /* @__PURE__ */ dropIfUnused(() => z.array(uuid()).check(z.maxLength(10)));

export const CreateDepartmentBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    name: Name,
    description: z.optional(Description),
    managerIds: z.optional(ManagerIds),
    parentId: z.optional(uuid()),
  }),
);

export const UpdateDepartmentBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    name: z.optional(Name),
    description: z.optional(z.nullable(Description)),
    managerIds: z.optional(ManagerIds),
    parentId: z.optional(z.nullable(uuid())),
  }),
);

const common = { tag: 'departments', throttle: 'default', identity: 'none' } as const;

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const listDepartmentsRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'departments.list',
    method: 'GET',
    path: '/departments',
    handler: 'functions/departments/list-departments.ts',
    summary: 'Departments, by name',
    access: { users: 'any' },
    data: 'read',
    request: { query: z.strictObject(PageQuery) },
  }),
);

export const createDepartmentRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'departments.create',
    method: 'POST',
    path: '/departments',
    handler: 'functions/departments/create-department.ts',
    summary: 'Create a department (unique name)',
    access: { users: ['admin'] },
    data: 'read-write',
    request: { body: CreateDepartmentBody },
  }),
);

export const updateDepartmentRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'departments.update',
    method: 'PUT',
    path: '/departments/{department_id}',
    handler: 'functions/departments/update-department.ts',
    summary: 'Update name, description, managers or parent (optimistic locking with version)',
    access: { users: ['admin'] },
    data: 'read-write',
    request: { params: z.object({ department_id: uuid() }), body: UpdateDepartmentBody },
  }),
);

/** The area's routes: the route table reads this; a handler imports its own route's export. */
export const departmentRoutes = {
  listDepartments: listDepartmentsRoute,
  createDepartment: createDepartmentRoute,
  updateDepartment: updateDepartmentRoute,
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const departmentResponses = {
  listDepartments: {
    200: { description: 'A page of departments', schema: /* @__PURE__ */ pageOf(Department) },
  },
  createDepartment: {
    201: { description: 'Created', schema: Department },
    409: { description: 'Name taken' },
  },
  updateDepartment: {
    200: { description: 'Updated', schema: Department },
    409: { description: 'Stale version or name taken' },
  },
} satisfies ResponsesOf<typeof departmentRoutes>;
