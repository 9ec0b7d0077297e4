import { randomUUID } from 'node:crypto';
import { api, bearer } from './api.ts';
import { machineToken, registerAccount, type Account } from './accounts.ts';
import type { Actor } from './scenario-kit.ts';

/**
 * The little organisation the route scenarios are played in: one account per kind of caller (the
 * auditor, and the admins holding a second role, included), the
 * subject's department (managed by managerOfDepartment), another department (managed by
 * managerOfOther), the subject's consent to one named clinician, and a pipeline's machine token.
 * Made through the API itself, like users would; each call makes a new, independent world.
 */
export interface MatrixWorld {
  accounts: Record<Exclude<Actor, 'anonymous' | 'machine'>, Account>;
  pipelineToken: string;
  departmentId: string;
  tokenOf(actor: Actor): string | undefined;
}

export const createMatrixWorld = async (): Promise<MatrixWorld> => {
  const [
    self,
    other,
    manager,
    otherManager,
    clinician,
    unconsentedClinician,
    admin,
    auditor,
    adminManager,
    adminClinician,
    pipelineToken,
  ] = await Promise.all([
    registerAccount([], 'self'),
    registerAccount([], 'other'),
    registerAccount(['manager'], 'manager'),
    registerAccount(['manager'], 'manager-other'),
    registerAccount(['clinician'], 'clinician'),
    registerAccount(['clinician'], 'clinician-noconsent'),
    registerAccount(['admin'], 'admin'),
    registerAccount(['auditor'], 'auditor'),
    registerAccount(['admin', 'manager'], 'admin-manager'),
    // Groups added straight in Cognito, past the API's refusal: separation of duties must still hold.
    registerAccount(['admin', 'clinician'], 'admin-clinician'),
    machineToken(),
  ]);
  const accounts: MatrixWorld['accounts'] = {
    employeeSelf: self,
    employeeOther: other,
    managerOfDepartment: manager,
    managerOfOther: otherManager,
    clinicianWithConsent: clinician,
    clinicianWithoutConsent: unconsentedClinician,
    admin,
    auditor,
    adminManager,
    adminClinician,
  };
  const send = async (token: string, method: string, path: string, body: unknown) => {
    const response = await api(path, {
      method,
      headers: { ...bearer(token), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${response.text.slice(0, 300)}`);
    return response.json as { id: string };
  };
  const department = await send(admin.accessToken, 'POST', '/departments', {
    name: `Matrix ${randomUUID()}`,
    managerIds: [manager.id],
  });
  await send(admin.accessToken, 'POST', '/departments', {
    name: `Matrix other ${randomUUID()}`,
    managerIds: [otherManager.id],
  });
  await send(admin.accessToken, 'PUT', `/users/${self.id}`, { version: 1, departmentId: department.id });
  // The subject consents to one named clinician and to the admin who also holds the clinician group:
  // the consent must not give that admin anything.
  await send(self.accessToken, 'PUT', '/users/me/consents', {
    clinicianAccess: { granted: true, clinicianIds: [clinician.id, adminClinician.id] },
  });
  return {
    accounts,
    pipelineToken,
    departmentId: department.id,
    tokenOf: (actor) =>
      actor === 'anonymous' ? undefined : actor === 'machine' ? pipelineToken : accounts[actor].accessToken,
  };
};
