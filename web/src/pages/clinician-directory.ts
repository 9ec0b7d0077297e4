/** The clinicians a user can name in a consent. */
export interface Clinician {
  id: string;
  fullName: string;
}

/** Until the directory route is in the contract, no clinician can be named (consent then covers all). */
export const loadClinicians = async (): Promise<Clinician[]> => [];
