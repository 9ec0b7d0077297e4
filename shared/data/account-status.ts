import { subjectOfIssuedToken } from './issued-token.ts';
import { getProfile } from './user-repository.ts';

/** Whether the account a fresh token belongs to may use the API (profile present and active). */
export const accountActive = async (issuedAccessToken: string): Promise<boolean> => {
  const sub = subjectOfIssuedToken(issuedAccessToken);
  if (!sub) return false;
  const profile = await getProfile(sub);
  return profile?.isActive === true;
};
